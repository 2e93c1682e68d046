"""Matching records (a roster row, a census row) to the children already known, by the four rules in order:
personal ID; learner ID of the sector database; the school's own student code within that school; folded name +
birth date (or year) + commune of residence. A last-rule match that is not unique is never merged: it comes back
as "ambiguous" with its candidates, for a person to decide.

Records are matched in batches (a few queries per thousand records, not per record), so a province export of
200,000 rows is matched in seconds.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import batched

from django.db import connection

from apps.students.models import Child, Enrolment

CHUNK = 10_000  # values per IN (...) query: under SQLite's (32,766 by default) and PostgreSQL's parameter limits
KNOWN = ("personal_id", "learner_id", "birth_date")  # what a matched child already holds, read while matching


@dataclass(slots=True)
class Record:
    """What a record says about a child; `child_id`, `rule` and `candidates` are filled by `match_records`."""

    full_name_folded: str = ""
    birth_date: object = None
    birth_year: int | None = None
    commune_id: int | None = None
    personal_id: str = ""
    learner_id: str = ""
    school_id: int | None = None
    student_code: str = ""
    child_id: int | None = None
    rule: str = ""
    candidates: list = field(default_factory=list)
    known: tuple | None = None  # the matched child's (personal ID, learner ID, birth date), when read while matching


def _lookup(column: str, values) -> dict:
    """{value: (child id, (personal ID, learner ID, birth date))} of the children holding those identifiers, in
    chunks. Plain SQL on the unique index: building an ORM lookup of 10,000 values costs more than running it; the
    lookup is deliberately unscoped (a strong identifier matches any child, see `match_records`)."""
    found = {}
    table, quote = Child._meta.db_table, connection.ops.quote_name
    names = ", ".join(quote(c) for c in (column, "id", *KNOWN))
    select = f"SELECT {names} FROM {quote(table)} WHERE {quote(column)}"
    with connection.cursor() as cursor:
        for chunk in batched(sorted(values), CHUNK):
            if connection.vendor == "postgresql":  # one array parameter, not ten thousand
                cursor.execute(f"{select} = ANY(%s)", [list(chunk)])
            else:
                cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.update((row[0], (row[1], row[2:])) for row in cursor.fetchall())
    return found


def match_records(records: list[Record], visible=None) -> None:
    """Fill each record's `child_id` and `rule` ("personal_id", "learner_id", "student_code",
    "name_birth_commune", "ambiguous" with `candidates`, or "" for a child not known yet).

    Personal and learner IDs (which the uploader holds from documents) match any child; name and birth are
    matched only among `visible` (the children the uploader may see), so that a file cannot ask whether a child
    exists elsewhere, and a doubtful match never names a child the uploader could not see on a page."""
    among = visible if visible is not None else Child.objects.all()
    by_pid = _lookup("personal_id", {r.personal_id for r in records if r.personal_id})
    by_lid = _lookup("learner_id", {r.learner_id for r in records if r.learner_id})
    unmatched = []
    for r in records:
        if r.personal_id and r.personal_id in by_pid:
            (r.child_id, r.known), r.rule = by_pid[r.personal_id], "personal_id"
        elif r.learner_id and r.learner_id in by_lid:
            (r.child_id, r.known), r.rule = by_lid[r.learner_id], "learner_id"
        else:
            unmatched.append(r)
    del by_pid, by_lid
    codes = defaultdict(set)  # looked up only for the records the identifiers did not match
    for r in unmatched:
        if r.school_id is not None and r.student_code:
            codes[r.school_id].add(r.student_code)
    by_code = {}
    for school_id, wanted in codes.items():
        for chunk in batched(sorted(wanted), CHUNK):
            rows = (
                Enrolment.objects.filter(school_id=school_id, student_code__in=chunk)
                .order_by("year__start_year")
                .values_list("student_code", "child_id", *(f"child__{name}" for name in KNOWN))
            )
            by_code.update(((school_id, row[0]), (row[1], row[2:])) for row in rows)  # the latest year wins
    rest = []
    for r in unmatched:
        if (r.school_id, r.student_code) in by_code:
            (r.child_id, r.known), r.rule = by_code[(r.school_id, r.student_code)], "student_code"
        elif r.full_name_folded and r.commune_id is not None and (r.birth_date or r.birth_year):
            rest.append(r)
    if not rest:
        return
    same = defaultdict(list)  # (folded name, commune) → [(id, birth date, birth year)]
    names = {r.full_name_folded for r in rest}
    communes = {r.commune_id for r in rest}
    for chunk in batched(sorted(names), CHUNK):
        rows = among.filter(name_folded__in=chunk, commune_id__in=communes).values_list(
            "pk", "name_folded", "commune_id", "birth_date", "birth_year", "personal_id", "learner_id"
        )
        for pk, name, commune, birth_date, birth_year, personal_id, learner_id in rows:
            same[(name, commune)].append((pk, birth_date, birth_year, (personal_id, learner_id, birth_date)))
    doubtful = {}
    for r in rest:
        found = [
            (pk, known)
            for pk, birth_date, birth_year, known in same.get((r.full_name_folded, r.commune_id), ())
            if (birth_date == r.birth_date if r.birth_date else birth_year == r.birth_year)
        ]
        if len(found) == 1:
            (r.child_id, r.known), r.rule = found[0], "name_birth_commune"
        elif found:
            r.rule = "ambiguous"
            doubtful[id(r)] = sorted(pk for pk, _known in found)[:5]
    if doubtful:
        children = Child.objects.in_bulk({pk for pks in doubtful.values() for pk in pks})
        for r in rest:
            if id(r) in doubtful:
                r.candidates = [children[pk] for pk in doubtful[id(r)]]
