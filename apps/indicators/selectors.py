"""Reads of the indicators, from the user's scope: a unit's figures are shown to whoever may see the unit (a partner
officer sees their unit's aggregates), a school's to whoever may see the school; the students behind a number are
a logged personal-data read, refused (404) to partner officers."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404, scope_for
from apps.indicators import counts
from apps.indicators.definitions import grades_of
from apps.indicators.models import CountRefresh, EnrolmentCount, Period, Snapshot, SnapshotAmendment, SnapshotRow
from apps.indicators.registry import Query, Target, Value, indicators
from apps.indicators.site import may_list_students
from apps.orgunits.models import OrgUnit
from apps.orgunits.selectors import tree_roots
from apps.schools.models import School, SchoolYear
from apps.schools.selectors import default_year
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.rules import ONGOING


def unit_for(user, pk: int) -> OrgUnit:
    """A province or commune of today the user may see (404 otherwise)."""
    qs = OrgUnit.objects.current().filter(level__in=(OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE))
    return get_scoped_or_404(qs, user, VIEW, pk=pk)


def school_for(user, pk: int) -> School:
    return get_scoped_or_404(School.objects.select_related("location", "managed_by"), user, VIEW, pk=pk)


def home_target(user) -> Target | None:
    """Where the indicators open for a user: the widest unit they govern or partner in, else their school."""
    scope = scope_for(user)
    if scope.is_admin or scope.officer_paths or scope.partner_paths:
        for root in tree_roots(user):
            if root.level in (OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE):
                return Target(unit=root)
    school = School.objects.restrict(user, VIEW).order_by("name").first()
    return Target(school=school) if school else None


def years_of(target: Target) -> list[SchoolYear]:
    unit = target.school.location if target.school is not None else target.unit
    return list(SchoolYear.objects.filter(province=unit.province()).order_by("-start_year"))


def year_of(target: Target, start_year: int | None, on: datetime.date | None = None) -> SchoolYear | None:
    years = years_of(target)
    if start_year:
        return next((y for y in years if y.start_year == start_year), None)
    return default_year(years, on)


def drill_targets(user, target: Target) -> list[Target]:
    """One level down: a province's communes that hold schools, a commune's schools (those the user may see)."""
    if target.school is not None:
        return []
    if target.unit.level == OrgUnit.Level.PROVINCE:
        holding = School.objects.filter(location__path__startswith=target.unit.path).values("location")
        communes = OrgUnit.objects.current().filter(parent=target.unit, pk__in=holding).order_by("name")
        return [Target(unit=u) for u in communes]
    schools = School.objects.restrict(user, VIEW).filter(location=target.unit).order_by("name")
    return [Target(school=s) for s in schools]


def figures(targets, *, year, period=Period.YEAR, level=None, breakdown="", on=None, codes=None, shared=None):
    """{indicator code: {target key: {group: Value}}} for every registered indicator (or `codes`).

    `shared` (a dict the caller keeps, e.g. for one page) lets several calls for the same targets and year share
    what the definitions read once whatever the level, period or breakdown (the targets' schools, the census, the
    snapshot; `Query.official`, whose keys name the level, period and breakdown): the dashboard's levels cost one
    reading of those instead of one each. Calls for other targets or another year get a cache of their own."""
    targets = tuple(targets)
    on = on or timezone.localdate()
    official = {}
    if shared is not None:
        official = shared.setdefault((tuple(t.key for t in targets), getattr(year, "pk", year), on), {})
    query = Query(targets=targets, year=year, period=period, level=level, breakdown=breakdown, on=on, official=official)
    out = {}
    for indicator in indicators():
        if codes is not None and indicator.code not in codes:
            continue
        if level is not None and indicator.levels and level not in indicator.levels:
            continue
        out[indicator.code] = indicator.compute(query)
    return out


def table(user, target: Target, *, year, period=Period.YEAR, level=None, on=None) -> dict:
    """What the page of a unit or school shows: every indicator for the target and one level down."""
    below = drill_targets(user, target)
    values = figures([target, *below], year=year, period=period, level=level, on=on)
    rows = []
    for indicator in indicators():
        if indicator.code not in values:
            continue
        by_target = values[indicator.code]
        rows.append(
            {
                "indicator": indicator,
                "value": by_target.get(target.key, {}).get("", Value(0, 0)),
                "below": [by_target.get(t.key, {}).get("", Value(0, 0)) for t in below],
            }
        )
    return {"target": target, "below": below, "rows": rows}


def breakdown(target: Target, code: str, *, year, period, level, kind: str, on=None) -> list[tuple[str, Value]]:
    groups = figures([target], year=year, period=period, level=level, breakdown=kind, on=on, codes={code})
    found = groups.get(code, {}).get(target.key, {})
    return sorted(((g, v) for g, v in found.items() if g), key=lambda gv: gv[0])


def headcounts(targets, *, year, level=None) -> dict[str, dict]:
    """The official head count (the snapshot, amendments included), the live count on the count day and their
    difference, per target (two queries)."""
    from apps.indicators.definitions import official_counts, school_sums

    query = Query(targets=tuple(targets), year=year, period=Period.COUNT, level=level)
    official = official_counts(query)
    live = school_sums(query, ["enrolled"], period=Period.COUNT)
    out = {}
    for t in targets:
        live_n = sum(m["enrolled"] for m in live.get(t.key, {}).values())
        official_n = None if official is None else sum(official.get(t.key, {}).values())
        out[t.key] = {
            "official": official_n,
            "live": live_n,
            "difference": None if official_n is None else live_n - official_n,
        }
    return out


def grade_table(school: School, *, year, period=Period.YEAR) -> list[dict]:
    """A school's counts by grade for the period (one query): the drill-down below a school."""
    rows = EnrolmentCount.objects.filter(school=school, year=year, period=period)
    out = defaultdict(lambda: defaultdict(int))
    measures = ("enrolled", "transfers_in", "transfers_out", "dropouts", "returned", "insured")
    for row in rows.values("grade", *measures):
        for m in measures:
            out[row["grade"]][m] += row[m]
    order = {g: i for i, g in enumerate(grades_of(None))}
    return [
        {"grade": g, "counts": [(name, m[name]) for name in measures]}
        for g, m in sorted(out.items(), key=lambda gm: order.get(gm[0], 99))
    ]


def school_on_day(school: School, *, year, day: datetime.date) -> list[dict]:
    """A school's counts by grade from the year's start to any day inside it: a live query over its enrolments and
    events (three queries), allowed for one school at a time — the count tables hold the periods only."""
    if not year.starts_on <= day <= year.ends_on:
        raise Http404
    cal = counts.calendar(year)
    window = {"D": (year.starts_on, day)}
    enrolments = list(Enrolment.objects.filter(school=school, year=year).values_list("pk", "grade", "health_insurance"))
    events = defaultdict(list)
    rows = EnrolmentEvent.objects.filter(enrolment__school=school, enrolment__year=year).order_by(
        "enrolment_id", "on", "pk"
    )
    for enrolment_id, kind, on in rows.values_list("enrolment_id", "kind", "on"):
        events[enrolment_id].append((kind, on))
    measures = ("enrolled", "transfers_in", "transfers_out", "dropouts", "returned", "insured")
    out = defaultdict(lambda: defaultdict(int))
    for pk, grade, insured in enrolments:
        for m, n in counts.enrolment_measures(events[pk], insured, cal, window).get("D", {}).items():
            out[grade][m] += n
    order = {g: i for i, g in enumerate(grades_of(None))}
    return [
        {"grade": g, "counts": [(name, m[name]) for name in measures]}
        for g, m in sorted(out.items(), key=lambda gm: order.get(gm[0], 99))
    ]


def refreshed_at(targets, year) -> datetime.datetime | None:
    """When the counts behind these targets were last rewritten."""
    q = Q(pk__in=[])
    for t in targets:
        if t.school is not None:
            q |= Q(school=t.school)
        else:
            q |= Q(school__location__path__startswith=t.unit.path) | Q(hamlet__path__startswith=t.unit.path)
    return CountRefresh.objects.filter(q, year=year).aggregate(at=Max("at"))["at"]


# What a list behind a number may show: a measure an enrolment counts for in the period's window.
LISTED = ("enrolled", "insured", "transfers_in", "transfers_out", "dropouts", "dropouts_after_count", "returned")


def students_behind(user, school: School, *, year, period: str, measure: str, grade: str = "") -> list[Enrolment]:
    """The enrolments behind one of a school's numbers (those the user may see: a teacher, their classes), logged
    as a personal-data read. Partner officers never get a list (404)."""
    if not may_list_students(user) or measure not in LISTED or period not in Period.values:
        raise Http404
    cal = counts.calendar(year)
    enrolments = Enrolment.objects.restrict(user, VIEW).filter(school=school, year=year)
    if grade:
        enrolments = enrolments.filter(grade=grade)
    enrolments = list(enrolments.select_related("child", "class_group").order_by("grade", "child__name_folded"))
    events = defaultdict(list)
    rows = EnrolmentEvent.objects.filter(enrolment__in=[e.pk for e in enrolments]).order_by("enrolment_id", "on", "pk")
    for enrolment_id, kind, on in rows.values_list("enrolment_id", "kind", "on"):
        events[enrolment_id].append((kind, on))
    window = {period: cal.windows[period]}
    found = [
        e
        for e in enrolments
        if counts.enrolment_measures(events[e.pk], e.health_insurance, cal, window).get(period, {}).get(measure)
    ]
    audit_record(
        actor=user,
        action="indicators.students_read",
        kind=AuditEvent.Kind.READ,
        org_unit=school.managed_by,
        object_type="students.child",
        changes={"count": len(found), "school": school.pk, "measure": measure, "period": period},
    )
    return found


def snapshot_of(year) -> Snapshot | None:
    return Snapshot.objects.filter(year=year).select_related("taken_by").first()


def snapshot_rows(user, school: School, year) -> list[SnapshotRow]:
    """A school's frozen rows (a personal-data read, logged), for amending."""
    if not may_list_students(user):
        raise Http404
    rows = list(
        SnapshotRow.objects.restrict(user, VIEW)
        .filter(snapshot__year=year, school=school)
        .annotate(amendment_count=Count("amendments"))
        .select_related("enrolment__child", "class_group")
        .order_by("grade", "enrolment__child__name_folded")
    )
    audit_record(
        actor=user,
        action="indicators.students_read",
        kind=AuditEvent.Kind.READ,
        org_unit=school.managed_by,
        object_type="students.child",
        changes={"count": len(rows), "school": school.pk, "snapshot": year.pk},
    )
    return rows


def amendable_schools(user, snapshot: Snapshot) -> list[School]:
    """The schools of a snapshot whose rows the user may amend (the officers of their managing unit)."""
    held = SnapshotRow.objects.filter(snapshot=snapshot).values("school_id")
    return list(School.objects.restrict(user, CHANGE).filter(pk__in=held).order_by("name"))


SEARCH_LIMIT = 50


def snapshot_search(user, snapshot: Snapshot, school: School, *, class_id: int | None = None, name: str = ""):
    """A school's frozen rows the user may amend, narrowed by class and by a part of the child's name (folded:
    "nguyen van" finds "Nguyễn Văn An"); at most SEARCH_LIMIT, a logged personal-data read. Returns (rows, more)."""
    from apps.core.text import fold

    rows = SnapshotRow.objects.restrict(user, CHANGE).filter(snapshot=snapshot, school=school)
    if class_id:
        rows = rows.filter(class_group_id=class_id)
    if name.strip():
        rows = rows.filter(enrolment__child__name_folded__contains=fold(name.strip()))
    found = list(
        rows.select_related("enrolment__child", "class_group").order_by("grade", "enrolment__child__name_folded")[
            : SEARCH_LIMIT + 1
        ]
    )
    audit_record(
        actor=user,
        action="indicators.students_read",
        kind=AuditEvent.Kind.READ,
        org_unit=school.managed_by,
        object_type="students.child",
        changes={"count": len(found[:SEARCH_LIMIT]), "school": school.pk, "snapshot": snapshot.year_id, "search": True},
    )
    return found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT


def amendments_of(school: School, year) -> list[SnapshotAmendment]:
    return list(
        SnapshotAmendment.objects.filter(row__school=school, row__snapshot__year=year)
        .select_related("actor", "row")
        .order_by("-at")
    )


def ongoing(status: str) -> bool:
    return status in ONGOING


def census_children(user, unit: OrgUnit, *, year, age: int, in_school: bool | None = None) -> list:
    """The census children of one age living in a unit's subtree (those to be universalised), with whether an
    ongoing enrolment is matched anywhere — the children behind a census-based number, for the officers over the
    commune (a logged personal-data read; 404 for anyone else)."""
    from django.db.models import Exists, OuterRef

    from apps.indicators.definitions import NOT_TO_UNIVERSALISE
    from apps.students.models import CensusRecord

    if not scope_for(user).is_admin and not scope_for(user).officer_paths:
        raise Http404
    ongoing = Enrolment.objects.filter(child=OuterRef("child"), start_year=year.start_year, ongoing=True)
    rows = (
        CensusRecord.objects.restrict(user, VIEW)
        .filter(hamlet__path__startswith=unit.path, year=year, child__birth_year=year.start_year - age)
        .exclude(status__in=list(NOT_TO_UNIVERSALISE))
        .annotate(enrolled=Exists(ongoing))
        .select_related("child", "hamlet")
        .order_by("hamlet__name", "child__name_folded")
    )
    if in_school is not None:
        rows = rows.filter(enrolled=in_school)
    found = list(rows)
    audit_record(
        actor=user,
        action="indicators.census_read",
        kind=AuditEvent.Kind.READ,
        org_unit=unit,
        object_type="students.child",
        changes={"count": len(found), "age": age, "year": year.pk},
    )
    return found
