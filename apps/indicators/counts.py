"""The count tables, kept in step: what each enrolment and census record counts for, rewritten for a whole school
(or hamlet) and year at once inside the transaction of the write that changed it (the students' after-write
hooks), and rebuilt in full by `manage.py rebuild_counts`.

A status on a day is the kind of the enrolment's latest event dated on or before it (the same rule as
`EnrolmentQuerySet.with_status`, read at a date). Each period is a window (a, b] of the year (`calendar`); the
measures of `models.MEASURES` are reckoned per enrolment over it (`enrolment_measures`) and summed per school,
grade, sex, ethnicity, circumstances and period. Set-based per school: one school's year costs a few queries,
whatever the number of its rows."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import batched

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.core.bulk import id_runs, insert
from apps.indicators.models import (
    CIRCUMSTANCE_BITS,
    MEASURES,
    CensusAgeCount,
    CensusCount,
    CountRefresh,
    EnrolmentCount,
    EnrolmentGradeCount,
    Period,
)
from apps.schools.models import SchoolYear
from apps.students.models import CensusRecord, CensusStatus, Child, Enrolment, EnrolmentEvent
from apps.students.rules import ONGOING

Kind = EnrolmentEvent.Kind
DAY = datetime.timedelta(days=1)
GONE = {CensusStatus.MOVED_AWAY, CensusStatus.DECEASED}
SCHOOLS_AT_ONCE = 100  # schools whose year is counted together (their rows are held in memory meanwhile)


@dataclass(frozen=True)
class Calendar:
    """A school year's days as the counts read them: each period's window (first day, last day)."""

    year_id: int
    province_id: int
    start_year: int
    starts_on: datetime.date
    ends_on: datetime.date
    count_on: datetime.date
    windows: dict


def calendar(year: SchoolYear) -> Calendar:
    semesters = {s.number: s for s in year.semesters.all()}
    phases = {p.number: p for p in year.phases.all()}
    s1_end = semesters[1].ends_on if 1 in semesters else datetime.date(year.start_year + 1, 1, 17)
    windows = {
        Period.COUNT: (year.starts_on, year.count_on),
        Period.PHASE1: (year.starts_on, year.opening_day - DAY),
        Period.PHASE2: (year.opening_day, s1_end),
        Period.PHASE3: (s1_end + DAY, year.ends_on),
        Period.SEMESTER1: (year.opening_day, s1_end),
        Period.SEMESTER2: (s1_end + DAY, semesters[2].ends_on if 2 in semesters else year.teaching_ends_on),
        Period.YEAR: (year.starts_on, year.ends_on),
    }
    for number, key in ((1, Period.PHASE1), (2, Period.PHASE2), (3, Period.PHASE3)):
        if number in phases:
            windows[key] = (phases[number].starts_on, phases[number].ends_on)
    return Calendar(year.pk, year.province_id, year.start_year, year.starts_on, year.ends_on, year.count_on, windows)


def status_at(events, day: datetime.date):
    """The kind of the latest event dated on or before `day` (events sorted by date, then id), or None."""
    status = None
    for kind, on in events:
        if on > day:
            break
        status = kind
    return status


def enrolment_measures(events, insured: bool, cal: Calendar, windows=None) -> dict[str, dict[str, int]]:
    """{period: {measure: 0/1}} of one enrolment with `events` [(kind, on)] sorted by date then id."""
    out = {}
    for period, (a, b) in (windows or cal.windows).items():
        end = status_at(events, b)
        m = {}
        if end in ONGOING:
            m["enrolled"] = 1
            if insured:
                m["insured"] = 1
        kinds_in = {kind for kind, on in events if a <= on <= b}
        if Kind.TRANSFERRED_IN in kinds_in:
            m["transfers_in"] = 1
        if Kind.TRANSFERRED_OUT in kinds_in:
            m["transfers_out"] = 1
        after_count = {kind for kind, on in events if cal.count_on < on <= b}
        if Kind.TRANSFERRED_IN in after_count:
            m["transfers_in_after_count"] = 1
        if Kind.TRANSFERRED_OUT in after_count:
            m["transfers_out_after_count"] = 1
        if any(kind == Kind.DROPPED_OUT and cal.count_on < on and a <= on <= b for kind, on in events):
            m["dropouts_after_count"] = 1
        dropped = [on for kind, on in events if kind == Kind.DROPPED_OUT and a <= on <= b]
        if dropped:
            m["dropouts"] = 1
            if any(kind == Kind.RETURNED and dropped[0] <= on <= b for kind, on in events):
                m["returned"] = 1
        if m:
            out[period] = m
    return out


def circumstances_of(child: dict) -> int:
    return sum(bit for name, bit in CIRCUMSTANCE_BITS.items() if child[name])


CHILD_FIELDS = ("sex", "ethnicity", *CIRCUMSTANCE_BITS)


def previous_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(province_id=year.province_id, start_year=year.start_year - 1).first()


def next_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(province_id=year.province_id, start_year=year.start_year + 1).first()


def continuation(last_events, last_grade: str, last_cal: Calendar) -> str | None:
    """What last year's enrolment expects of the new year: "continue" (ongoing at the year's end, or completed the
    last kindergarten year or grade 5, or recorded as not continuing), "grade9" (completed grade 9: their own
    list), or None (completed grade 12, moved, dropped out: nothing expected)."""
    end = status_at(last_events, last_cal.ends_on)
    if end in ONGOING or end == Kind.NOT_CONTINUED:
        return "continue"
    if end == Kind.COMPLETED:
        if last_grade in ("MG5", "5"):
            return "continue"
        if last_grade == "9":
            return "grade9"
    return None


ENROLMENT_FIELDS = ("pk", "school_id", "child_id", "grade", "health_insurance", *(f"child__{f}" for f in CHILD_FIELDS))


def _events_where(distinct: bool = False, **where) -> dict[int, list]:
    """{enrolment id: [(kind, on)]} of the enrolments matching `where` (one query, sorted by date then id;
    `distinct` where the conditions join through rows that may repeat an event)."""
    events = defaultdict(list)
    rows = EnrolmentEvent.objects.filter(**where).order_by("enrolment_id", "on", "pk")
    rows = rows.values_list("enrolment_id", "kind", "on", "pk")
    if distinct:
        rows = rows.distinct()
    for enrolment_id, kind, on, _pk in rows.iterator(chunk_size=10_000):
        events[enrolment_id].append((kind, on))
    return events


def _key(row) -> tuple:
    _pk, _school, _child, grade, _insured, sex, ethnicity, *flags = row
    return (grade, sex, ethnicity, sum(bit for bit, on in zip(CIRCUMSTANCE_BITS.values(), flags, strict=True) if on))


def schools_year_rows(school_ids, year: SchoolYear, cal: Calendar | None = None, grouped: bool = True) -> dict:
    """{school: {(grade, sex, ethnicity, circumstances, period, measure): n}} for these schools' year: their
    enrolments' own measures, and (on period C) the continuation of their enrolments of the year before (did not
    continue). A fixed number of queries whatever the number of schools or rows (joins, never lists of ids).
    Most enrolments share their history (enrolled on the opening day, nothing since): the enrolments are counted
    per (school, key, history) first — by the database (`_grouped_combos`), or one by one in Python
    (`_combos_by_enrolment`, with `grouped=False`: what `recompute` checks the other against) — and each distinct
    history's measures are worked out once."""
    cal = cal or calendar(year)
    school_ids = sorted(set(school_ids))
    out: dict[int, Counter] = defaultdict(Counter)
    combos = (_grouped_combos if grouped else _combos_by_enrolment)(school_ids, year)
    measures_of: dict[tuple, dict] = {}
    for school_id, counter in combos.items():
        totals = out[school_id]
        for (key, history, insured), n in counter.items():
            measures = measures_of.get((history, insured))
            if measures is None:
                measures = measures_of[(history, insured)] = enrolment_measures(list(history), insured, cal)
            for period, values in measures.items():
                for measure, value in values.items():
                    totals[(*key, period, measure)] += value * n
    last = previous_year(year)
    if last is not None:
        _continuation(out, school_ids, last, cal)
    return out


def _combos_by_enrolment(school_ids, year: SchoolYear) -> dict[int, Counter]:
    """{school: {(key, history, insured): enrolments}}, every enrolment and event read into Python."""
    enrolments = Enrolment.objects.filter(school_id__in=school_ids, year=year).values_list(*ENROLMENT_FIELDS)
    events = _events_where(enrolment__school_id__in=school_ids, enrolment__year=year)
    combos: dict[int, Counter] = defaultdict(Counter)
    no_events = ()
    for row in enrolments.iterator(chunk_size=10_000):
        history = tuple(events[row[0]]) if row[0] in events else no_events
        combos[row[1]][(_key(row), history, bool(row[4]))] += 1
    return combos


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)  # SQLite gives text


def _grouped_combos(school_ids, year: SchoolYear) -> dict[int, Counter]:
    """The same as `_combos_by_enrolment`, grouped by the database: the enrolments with at most one event (nearly
    all) come counted per school, key, event and insurance — a few thousand rows for a province's 200,000 — and
    only those with a longer history are read one by one, with their events. Two queries, whatever the rows; no
    server-side cursor stays open across the groups, and the plan needs no estimate of the rows (a join grouped
    once, whatever the planner believes of the tables' sizes)."""
    qn = connection.ops.quote_name
    e, c, v = (qn(m._meta.db_table) for m in (Enrolment, Child, EnrolmentEvent))
    person = ", ".join(f"c.{qn(f)}" for f in CHILD_FIELDS)
    columns = f"e.school_id, e.grade, {person}, e.health_insurance"
    schools = ", ".join(["%s"] * len(school_ids))
    where = f"e.year_id = %s AND e.school_id IN ({schools})"
    params = [year.pk, *school_ids]
    bare = [qn(f) for f in ("school_id", "grade", *CHILD_FIELDS, "health_insurance")]
    combos: dict[int, Counter] = defaultdict(Counter)
    bits = list(CIRCUMSTANCE_BITS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {", ".join(bare)}, kind, first_on, COUNT(*) FROM (
                    SELECT {columns}, MIN(v.kind) AS kind, MIN(v.{qn("on")}) AS first_on, COUNT(v.id) AS events
                    FROM {e} e JOIN {c} c ON c.id = e.child_id LEFT JOIN {v} v ON v.enrolment_id = e.id
                    WHERE {where}
                    GROUP BY e.id, {columns}
                ) one
                WHERE events < 2
                GROUP BY {", ".join(bare)}, kind, first_on""",
            params,
        )
        for school_id, grade, sex, ethnicity, *flags, insured, kind, on, n in cursor.fetchall():
            key = (grade, sex, ethnicity, sum(bit for bit, f in zip(bits, flags, strict=True) if f))
            history = () if kind is None else ((kind, _as_date(on)),)
            combos[school_id][(key, history, bool(insured))] += n
        cursor.execute(
            f"""SELECT {", ".join(["id", *bare, "kind", qn("on")])} FROM (
                    SELECT e.id, {columns}, v.kind, v.{qn("on")}, v.id AS event_id,
                        COUNT(*) OVER (PARTITION BY e.id) AS events
                    FROM {e} e JOIN {c} c ON c.id = e.child_id JOIN {v} v ON v.enrolment_id = e.id
                    WHERE {where}
                ) longer
                WHERE events > 1
                ORDER BY id, {qn("on")}, event_id""",
            params,
        )
        histories: dict[int, list] = {}  # enrolment → [(kind, on)], in order
        keys = {}
        for pk, school_id, grade, sex, ethnicity, *flags, insured, kind, on in cursor.fetchall():
            if pk not in keys:
                person_key = (grade, sex, ethnicity, sum(bit for bit, f in zip(bits, flags, strict=True) if f))
                keys[pk], histories[pk] = (school_id, person_key, bool(insured)), []
            histories[pk].append((kind, _as_date(on)))
        for pk, (school_id, person_key, insured) in keys.items():
            combos[school_id][(person_key, tuple(histories[pk]), insured)] += 1
    return combos


def school_year_rows(school_id: int, year: SchoolYear, cal: Calendar | None = None, grouped: bool = True) -> Counter:
    """The counts of one school's year (see `schools_year_rows`)."""
    return schools_year_rows([school_id], year, cal, grouped).get(school_id, Counter())


def _continuation(out: dict, school_ids, last: SchoolYear, cal: Calendar) -> None:
    last_cal = calendar(last)
    last_rows = list(Enrolment.objects.filter(school_id__in=school_ids, year=last).values_list(*ENROLMENT_FIELDS))
    if not last_rows:
        return
    last_events = _events_where(enrolment__school_id__in=school_ids, enrolment__year=last)
    expected = []
    for row in last_rows:
        what = continuation(last_events.get(row[0], []), row[3], last_cal)
        if what:
            expected.append((row, what))
    if not expected:
        return
    # The new year's enrolments, anywhere, of the children these schools had last year, and their census (moved
    # away, deceased): joins through last year's enrolments.
    through_last = {"child__enrolments__school_id__in": school_ids, "child__enrolments__year": last}
    new = Enrolment.objects.filter(start_year=cal.start_year, **through_last).distinct()
    new_events = _events_where(
        enrolment__start_year=cal.start_year,
        enrolment__child__enrolments__school_id__in=school_ids,
        enrolment__child__enrolments__year=last,
        distinct=True,
    )
    in_school: dict[int, set] = defaultdict(set)  # child → grades of an enrolment begun by the count day
    for pk, child_id, grade in new.values_list("pk", "child_id", "grade"):
        status = status_at(new_events.get(pk, []), cal.count_on)
        if status is not None and status != Kind.NOT_CONTINUED:
            in_school[child_id].add(grade)
    gone = set(
        CensusRecord.objects.filter(
            year__start_year__in=(cal.start_year, cal.start_year - 1), status__in=GONE, **through_last
        ).values_list("child_id", flat=True)
    )
    for row, what in expected:
        child_id = row[2]
        if child_id in gone:
            continue
        key, totals = (*_key(row), Period.COUNT), out[row[1]]
        if what == "continue":
            totals[(*key, "continuing")] += 1
            if not in_school.get(child_id):
                totals[(*key, "not_continued")] += 1
        else:
            totals[(*key, "grade9_completers")] += 1
            if not in_school.get(child_id, set()) & {"10", "11", "12"}:
                totals[(*key, "grade9_not_grade10")] += 1


COUNT_FIELDS = ("school_id", "year_id", "grade", "sex", "ethnicity", "circumstances", "period", *MEASURES)


def _count_rows(school_id: int, year_id: int, totals: Counter) -> list[tuple]:
    """The school's `EnrolmentCount` rows as tuples of COUNT_FIELDS (a measure not counted is 0)."""
    rows: dict[tuple, dict] = defaultdict(dict)
    for (grade, sex, ethnicity, circumstances, period, measure), n in totals.items():
        if n:
            rows[(grade, sex, ethnicity, circumstances, period)][measure] = n
    return [(school_id, year_id, *key, *(measures.get(m, 0) for m in MEASURES)) for key, measures in rows.items()]


GRADE_COUNT_FIELDS = ("school_id", "year_id", "grade", "period", *MEASURES)


def _grade_count_rows(count_rows: list[tuple]) -> list[tuple]:
    """`EnrolmentGradeCount` rows (GRADE_COUNT_FIELDS): the `EnrolmentCount` rows (COUNT_FIELDS) summed over sex,
    ethnicity and circumstances."""
    sums: dict[tuple, list] = {}
    for school_id, year_id, grade, _sex, _ethnicity, _circumstances, period, *measures in count_rows:
        key = (school_id, year_id, grade, period)
        if key in sums:
            sums[key] = [a + b for a, b in zip(sums[key], measures, strict=True)]
        else:
            sums[key] = measures
    return [(*key, *measures) for key, measures in sums.items()]


def refresh_schools(pairs) -> None:
    """Rewrite the enrolment counts of each (school id, year id)."""
    by_year = defaultdict(set)
    for school_id, year_id in pairs:
        by_year[year_id].add(school_id)
    now = timezone.now()
    for year in SchoolYear.objects.filter(pk__in=list(by_year)).prefetch_related("semesters", "phases"):
        cal = calendar(year)
        schools = sorted(by_year[year.pk])
        EnrolmentCount.objects.filter(year=year, school_id__in=schools).delete()
        EnrolmentGradeCount.objects.filter(year=year, school_id__in=schools).delete()
        for chunk in batched(schools, SCHOOLS_AT_ONCE):
            rows = schools_year_rows(chunk, year, cal)
            values = []
            for school_id in chunk:
                values += _count_rows(school_id, year.pk, rows.get(school_id, Counter()))
            insert(EnrolmentCount, COUNT_FIELDS, values)  # at the driver's speed: Django's bulk_create took 4 s
            insert(EnrolmentGradeCount, GRADE_COUNT_FIELDS, _grade_count_rows(values))
        CountRefresh.objects.filter(year=year, school_id__in=schools).delete()
        CountRefresh.objects.bulk_create([CountRefresh(school_id=s, year=year, at=now) for s in schools])


# ---- the census ---------------------------------------------------------------------------------------------------


def hamlets_year_rows(hamlet_ids, year: SchoolYear) -> dict[int, Counter]:
    """{hamlet: {(birth year, sex, ethnicity, circumstances, status, grade, enrolled): children}} of these hamlets'
    census for the year, in two
    queries: the records, and their children's ongoing enrolments that year at any school of any province — the rule
    of `students.selectors.enrolled_anywhere`, read as one join instead of a list of ids."""
    hamlet_ids = sorted(set(hamlet_ids))
    records = list(
        CensusRecord.objects.filter(hamlet_id__in=hamlet_ids, year=year).values_list(
            "hamlet_id", "child_id", "child__birth_year", "status", "grade", *(f"child__{f}" for f in CHILD_FIELDS)
        )
    )
    ongoing = dict(
        Enrolment.objects.filter(
            start_year=year.start_year,
            ongoing=True,
            child__census_records__year=year,
            child__census_records__hamlet_id__in=hamlet_ids,
        ).values_list("child_id", "grade")
    )
    out: dict[int, Counter] = defaultdict(Counter)
    bits = list(CIRCUMSTANCE_BITS.values())
    for hamlet_id, child_id, birth_year, status, grade, sex, ethnicity, *flags in records:
        if child_id in ongoing:
            grade, enrolled = ongoing[child_id], True
        else:
            grade, enrolled = (grade if status == CensusStatus.IN_SCHOOL else ""), False
        circumstances = sum(bit for bit, on in zip(bits, flags, strict=True) if on)
        out[hamlet_id][(birth_year, sex, ethnicity, circumstances, status, grade, enrolled)] += 1
    return out


def hamlet_year_rows(hamlet_id: int, year: SchoolYear) -> Counter:
    """{(birth year, sex, ethnicity, circumstances, status, grade, enrolled): children} of one hamlet's census."""
    return hamlets_year_rows([hamlet_id], year).get(hamlet_id, Counter())


CENSUS_KEY = ("birth_year", "sex", "ethnicity", "circumstances", "status", "grade", "enrolled")
CENSUS_FIELDS = ("hamlet_id", "year_id", *CENSUS_KEY, "children")
AGE_COUNT_FIELDS = ("hamlet_id", "year_id", "birth_year", "status", "grade", "enrolled", "children")


def _age_count_rows(census_rows: list[tuple]) -> list[tuple]:
    """`CensusAgeCount` rows (AGE_COUNT_FIELDS): the `CensusCount` rows (CENSUS_FIELDS) summed over sex, ethnicity
    and circumstances."""
    sums: Counter = Counter()
    for hamlet_id, year_id, birth_year, _sex, _ethnicity, _circumstances, status, grade, enrolled, n in census_rows:
        sums[(hamlet_id, year_id, birth_year, status, grade, enrolled)] += n
    return [(*key, n) for key, n in sums.items()]


def refresh_hamlets(pairs) -> None:
    """Rewrite the census counts of each (hamlet id, year id)."""
    by_year = defaultdict(set)
    for hamlet_id, year_id in pairs:
        by_year[year_id].add(hamlet_id)
    now = timezone.now()
    for year in SchoolYear.objects.filter(pk__in=list(by_year)):
        hamlets = sorted(by_year[year.pk])
        CensusCount.objects.filter(year=year, hamlet_id__in=hamlets).delete()
        CensusAgeCount.objects.filter(year=year, hamlet_id__in=hamlets).delete()
        values = []
        for chunk in batched(hamlets, 200):
            rows = hamlets_year_rows(chunk, year)
            values += [
                (hamlet_id, year.pk, *key, n) for hamlet_id in chunk for key, n in rows.get(hamlet_id, {}).items()
            ]
        insert(CensusCount, CENSUS_FIELDS, values)
        insert(CensusAgeCount, AGE_COUNT_FIELDS, _age_count_rows(values))
        CountRefresh.objects.filter(year=year, hamlet_id__in=hamlets).delete()
        CountRefresh.objects.bulk_create([CountRefresh(hamlet_id=h, year=year, at=now) for h in hamlets])


# ---- what a write touches -----------------------------------------------------------------------------------------


def _years_around(year_ids) -> dict[int, tuple[int | None, int | None]]:
    """{year id: (previous year id, next year id)} in the same province."""
    years = list(SchoolYear.objects.filter(pk__in=year_ids).values_list("pk", "province_id", "start_year"))
    wanted = Q(pk__in=[])
    for _pk, province, start in years:
        wanted |= Q(province_id=province, start_year__in=(start - 1, start + 1))
    near = {(p, s): pk for pk, p, s in SchoolYear.objects.filter(wanted).values_list("pk", "province_id", "start_year")}
    return {pk: (near.get((p, s - 1)), near.get((p, s + 1))) for pk, p, s in years}


def schools_touched_by_children(child_ids, year_ids) -> set[tuple[int, int]]:
    """(school, year) whose counts depend on these children in these years: each of their enrolments of the year
    before, the year itself and the year after — in any province, by start year — counts at its own school that
    year and, for did-not-continue, the next year."""
    start_years = set(SchoolYear.objects.filter(pk__in=year_ids).values_list("start_year", flat=True))
    near = {y + d for y in start_years for d in (-1, 0, 1)}
    rows = set()
    for q in id_runs(child_ids):
        rows |= set(Enrolment.objects.filter(q("child_id"), start_year__in=near).values_list("school_id", "year_id"))
    nexts = {pk: nxt for pk, (_prev, nxt) in _years_around({y for _s, y in rows}).items()}
    return rows | {(s, nexts[y]) for s, y in rows if nexts.get(y)}


def on_enrolments(ids: list[int]) -> None:
    """After-write hook: enrolments were written (created, changed, given an event)."""
    rows = []
    for q in id_runs(ids):
        rows += list(Enrolment.objects.filter(q("pk")).values_list("child_id", "year_id"))
    if not rows:
        return
    child_ids = {c for c, _y in rows}
    year_ids = {y for _c, y in rows}
    refresh_schools(schools_touched_by_children(child_ids, year_ids))
    # The census counts whether a child is enrolled anywhere, in any province: a census record is matched by its
    # year's start year, not by the school year row (school years are per province).
    start_years = set(SchoolYear.objects.filter(pk__in=year_ids).values_list("start_year", flat=True))
    hamlets = set()
    for q in id_runs(child_ids):
        hamlets |= set(
            CensusRecord.objects.filter(q("child_id"), year__start_year__in=start_years).values_list(
                "hamlet_id", "year_id"
            )
        )
    refresh_hamlets(hamlets)


def on_census(ids: list[int]) -> None:
    """After-write hook: census records were written. A record may have moved to another hamlet (of this commune
    or another), leaving the old hamlet's counts stale: besides every hamlet of the communes written, any hamlet of
    those years whose counted children differ from its records is rewritten (two grouped queries per year)."""
    rows = []
    for q in id_runs(ids):
        rows += list(CensusRecord.objects.filter(q("pk")).values_list("child_id", "year_id", "hamlet__parent_id"))
    if not rows:
        return
    year_ids = {y for _c, y, _p in rows}
    communes = {p for _c, _y, p in rows}
    pairs = set(
        CensusRecord.objects.filter(year_id__in=year_ids, hamlet__parent_id__in=communes).values_list(
            "hamlet_id", "year_id"
        )
    )
    for year_id in year_ids:
        counted = dict(
            CensusCount.objects.filter(year_id=year_id)
            .values("hamlet_id")
            .annotate(n=Sum("children"))
            .values_list("hamlet_id", "n")
        )
        recorded = dict(
            CensusRecord.objects.filter(year_id=year_id)
            .values("hamlet_id")
            .annotate(n=Count("pk"))
            .values_list("hamlet_id", "n")
        )
        pairs |= {(h, year_id) for h in set(counted) | set(recorded) if counted.get(h) != recorded.get(h)}
    refresh_hamlets(pairs)
    refresh_schools(schools_touched_by_children({c for c, _y, _p in rows}, year_ids))


# ---- the full rebuild ---------------------------------------------------------------------------------------------


def all_school_pairs() -> set[tuple[int, int]]:
    pairs = set(Enrolment.objects.values_list("school_id", "year_id").distinct())
    around = _years_around({y for _s, y in pairs})
    return pairs | {(s, around[y][1]) for s, y in pairs if around.get(y, (None, None))[1]}


def all_hamlet_pairs() -> set[tuple[int, int]]:
    return set(CensusRecord.objects.values_list("hamlet_id", "year_id").distinct())


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Rewrite every count table from the enrolments and the census."""
    EnrolmentCount.objects.all().delete()
    EnrolmentGradeCount.objects.all().delete()
    CensusCount.objects.all().delete()
    CensusAgeCount.objects.all().delete()
    CountRefresh.objects.all().delete()
    schools, hamlets = all_school_pairs(), all_hamlet_pairs()
    refresh_schools(schools)
    refresh_hamlets(hamlets)
    return {"school_years": len(schools), "hamlet_years": len(hamlets), "rows": EnrolmentCount.objects.count()}


def _summed(schools: Counter, census: Counter) -> tuple[Counter, Counter]:
    """The coarse tables as the full ones summed (`EnrolmentGradeCount`, `CensusAgeCount`), in the shape of
    `stored`: what they must hold."""
    grades: Counter = Counter()
    for (school_id, year_id, grade, _sex, _ethnicity, _circumstances, period, measure), n in schools.items():
        grades[(school_id, year_id, grade, period, measure)] += n
    ages: Counter = Counter()
    for (hamlet_id, year_id, birth_year, _sex, _ethn, _circ, status, grade, enrolled), n in census.items():
        ages[(hamlet_id, year_id, birth_year, status, grade, enrolled)] += n
    return +grades, +ages


def recompute() -> tuple[Counter, Counter, Counter, Counter]:
    """The counts as a full recompute gives them, in memory (the property test compares the tables with it): the
    enrolment counts, the census counts, and the two summed as the coarse tables hold them."""
    schools: Counter = Counter()
    years = {y.pk: y for y in SchoolYear.objects.prefetch_related("semesters", "phases")}
    for school_id, year_id in all_school_pairs():
        for key, n in school_year_rows(school_id, years[year_id], grouped=False).items():
            if n:
                schools[(school_id, year_id, *key)] = n
    census: Counter = Counter()
    for hamlet_id, year_id in all_hamlet_pairs():
        for key, n in hamlet_year_rows(hamlet_id, years[year_id]).items():
            census[(hamlet_id, year_id, *key)] = n
    return (schools, census, *_summed(schools, census))


def stored() -> tuple[Counter, Counter, Counter, Counter]:
    """The count tables as stored, in the shape of `recompute`."""
    schools: Counter = Counter()
    for row in EnrolmentCount.objects.values(
        "school_id", "year_id", "grade", "sex", "ethnicity", "circumstances", "period", *MEASURES
    ):
        for measure in MEASURES:
            if row[measure]:
                key = (
                    row["school_id"],
                    row["year_id"],
                    row["grade"],
                    row["sex"],
                    row["ethnicity"],
                    row["circumstances"],
                    row["period"],
                    measure,
                )
                schools[key] = row[measure]
    census: Counter = Counter()
    for row in CensusCount.objects.values_list(*CENSUS_FIELDS):
        census[row[:-1]] = row[-1]
    grades: Counter = Counter()
    for school_id, year_id, grade, period, *measures in EnrolmentGradeCount.objects.values_list(*GRADE_COUNT_FIELDS):
        for measure, n in zip(MEASURES, measures, strict=True):
            if n:
                grades[(school_id, year_id, grade, period, measure)] = n
    ages: Counter = Counter()
    for row in CensusAgeCount.objects.values_list(*AGE_COUNT_FIELDS):
        if row[-1]:
            ages[row[:-1]] = row[-1]
    return schools, census, grades, ages
