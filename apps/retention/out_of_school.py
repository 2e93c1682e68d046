"""Children out of school, found by the census (its one rule, `students.selectors.census_finding`), and the link
proposals for census children the import's exact rules did not tie to an enrolment: same commune, birth year ± 1,
the given name equal and the folded names alike — a score shown, never linked automatically (a person confirms,
and `students.services.child_merge` merges)."""

from collections import defaultdict
from difflib import SequenceMatcher
from functools import reduce
from operator import or_

from django.db.models import Q

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import VIEW, under
from apps.retention.models import DropoutCase
from apps.students.models import CensusRecord, Child, Enrolment
from apps.students.selectors import census_finding, enrolled_anywhere

MIN_SCORE = 60
MAX_PROPOSALS = 5


def out_of_school(user, commune, year, *, five: bool = False) -> dict:
    """{"out": [...], "unlinked": [...]}: the census records of the commune's hamlets (those the user governs) for
    the year that the census finds — out of school at school age, and "studying" at a school no roster links —
    each with `age`, `open_case` and `proposals`. Logged as a read of the commune's children."""
    of_commune = CensusRecord.objects.restrict(user).filter(
        year=year, hamlet__parent=commune, child__merged_into__isnull=True
    )
    # The finding needs three values per record; only the records it keeps are read whole (a commune's census is
    # thousands of records, a few dozen of them found).
    light = list(of_commune.values_list("pk", "child_id", "status", "child__birth_year"))
    in_school = enrolled_anywhere([child_id for _pk, child_id, _s, _b in light], year.start_year)
    findings = {}
    for pk, child_id, status, birth_year in light:
        if finding := census_finding(status, year.start_year - birth_year, child_id in in_school, five=five):
            findings[pk] = finding
    records = list(
        of_commune.filter(pk__in=list(findings))
        .select_related("child", "child__commune", "hamlet", "school")
        .order_by("hamlet__name", "child__name_folded")
    )
    cased = set(
        DropoutCase.objects.exclude(status=DropoutCase.Status.CLOSED)
        .filter(child_id__in=[r.child_id for r in records])
        .values_list("child_id", flat=True)
    )
    found = {"out": [], "unlinked": []}
    for record in records:
        record.age = record.child.age_in(year.start_year)
        record.open_case = record.child_id in cased
        found[findings[record.pk]].append(record)
    shown = [r for rows in found.values() for r in rows]
    proposals = link_proposals_for(user, [r.child for r in shown])
    for record in shown:
        record.proposals = proposals[record.child_id]
    audit_record(
        actor=user,
        action="retention.out_of_school_read",
        kind=AuditEvent.Kind.READ,
        org_unit=commune,
        object_type="students.child",
        changes={"count": len(found["out"]) + len(found["unlinked"])},
    )
    return found


def given_name(folded: str) -> str:
    return folded.rsplit(" ", 1)[-1] if folded else ""


def score(a: str, b: str) -> int:
    """How alike two folded names are, 0–100 (a missing middle name still scores high)."""
    return round(100 * SequenceMatcher(None, a, b).ratio())


def link_proposals(user, child: Child) -> list[tuple[Child, int]]:
    """Enrolled children the user may see who may be this census child: the same commune (living there or at one of
    its schools), born a year either side, the same given name, a score of at least `MIN_SCORE`; best first."""
    name = child.name_folded
    at_schools = Enrolment.objects.filter(under("school__location__", [child.commune.path])).values("child")
    candidates = (
        Child.objects.restrict(user, VIEW)
        .filter(Q(commune_id=child.commune_id) | Q(pk__in=at_schools))
        .filter(birth_year__gte=child.birth_year - 1, birth_year__lte=child.birth_year + 1)
        .filter(merged_into__isnull=True, name_folded__endswith=f" {given_name(name)}", enrolments__isnull=False)
        .exclude(pk=child.pk)
        .distinct()
    )
    scored = [
        (c, score(name, c.name_folded)) for c in candidates[:200] if given_name(c.name_folded) == given_name(name)
    ]
    return sorted([p for p in scored if p[1] >= MIN_SCORE], key=lambda p: -p[1])[:MAX_PROPOSALS]


def link_proposals_for(user, children) -> dict[int, list[tuple[Child, int]]]:
    """`link_proposals` of many census children at once ({child id: proposals}): one query per commune they live
    in, not one per child (the out-of-school list shows a commune's census)."""
    out, by_commune = {}, defaultdict(list)
    for child in children:
        by_commune[child.commune_id].append(child)
    for commune_id, group in by_commune.items():
        if commune_id is None:
            out.update({child.pk: link_proposals(user, child) for child in group})
            continue
        at_schools = Enrolment.objects.filter(under("school__location__", [group[0].commune.path])).values("child")
        names = reduce(or_, (Q(name_folded__endswith=f" {given_name(c.name_folded)}") for c in group))
        years = [c.birth_year for c in group]
        candidates = list(
            Child.objects.restrict(user, VIEW)
            .filter(Q(commune_id=commune_id) | Q(pk__in=at_schools))
            .filter(birth_year__gte=min(years) - 1, birth_year__lte=max(years) + 1)
            .filter(names, merged_into__isnull=True, enrolments__isnull=False)
            .distinct()
        )
        for child in group:
            name, given = child.name_folded, given_name(child.name_folded)
            mine = [
                c
                for c in candidates
                if c.pk != child.pk
                and child.birth_year - 1 <= c.birth_year <= child.birth_year + 1
                and c.name_folded.endswith(f" {given}")
            ][:200]  # as `link_proposals` reads at most 200 candidates
            scored = [(c, score(name, c.name_folded)) for c in mine if given_name(c.name_folded) == given]
            out[child.pk] = sorted([p for p in scored if p[1] >= MIN_SCORE], key=lambda p: -p[1])[:MAX_PROPOSALS]
    return out
