"""Reads of children and enrolments, from the user's scope. A read of children's personal data (a page of the
list, an export, a child's record, a hamlet's census) is logged here and only here, as an audit event of kind READ
with the unit it concerns, so that those who govern that unit see it on the change log."""

from itertools import batched

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import VIEW, get_scoped_or_404, scope_for
from apps.core.text import fold
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students.models import (
    CensusRecord,
    CensusStatus,
    Child,
    Enrolment,
    EnrolmentEvent,
    Grade,
    Sex,
    choice_labels,
    ethnicity_name,
    status_label,
)
from apps.students.rules import CIRCUMSTANCES


def enrolled_anywhere(
    child_ids, start_year: int, levels: int | None = None, *, lock: bool = False
) -> dict[int, tuple[int, int]]:
    """{child id: (enrolment id, school id)} of the children's ongoing enrolments in the school year starting in
    `start_year`, at any school of any province (teaching one of `levels`, a mask of `schools.Level`, if given).
    The one unscoped existence check: it answers whether a child is in school, and its callers tell the user yes
    or no, or "at another school" (`rules.elsewhere_message`), never which; the ids are for comparing with the
    schools the caller itself names."""
    found = {}
    for chunk in batched(sorted(set(child_ids)), 10_000):
        rows = Enrolment.objects.filter(child_id__in=chunk, start_year=start_year, ongoing=True)
        if levels is not None:
            rows = rows.filter(school__in=School.objects.teaching(levels))
        if lock:
            rows = rows.select_for_update()
        found.update((child, (pk, school)) for child, pk, school in rows.values_list("child_id", "pk", "school_id"))
    return found


def _log_read(user, what: str, *, count: int, org_unit=None, child: Child | None = None) -> None:
    """A personal-data read as an audit event: `org_unit` (a unit or its id) is the unit the read concerns; a read of
    one child names the child (its id and name), for those who govern the child's commune."""
    audit_record(
        actor=user,
        action=f"students.{what}",
        kind=AuditEvent.Kind.READ,
        obj=child,
        org_unit=org_unit,
        object_type="students.child",
        object_repr=child.full_name if child is not None else "",
        changes={"count": count},
    )


def _unit_of_list(user, filters: dict) -> OrgUnit | int | None:
    """The narrowest unit a list of children is filtered to: the hamlet, else the school's managing unit (a class
    implies its school), else the user's own unit when they govern exactly one (or, for a principal or teacher,
    the managing unit of their one school); None for a list over several units."""
    if hamlet := filters.get("hamlet"):
        return hamlet
    group = filters.get("class_group")
    if school := filters.get("school") or (group.school if group else None):
        return school.managed_by_id
    scope = scope_for(user)
    if len(scope.officer_paths) == 1:
        return int(scope.officer_paths[0].strip("/").rsplit("/", 1)[-1])
    if not scope.officer_paths and len(scope.staff_school_ids) == 1:
        return School.objects.filter(pk__in=scope.staff_school_ids).values_list("managed_by_id", flat=True).first()
    return None


def student_list(
    user,
    *,
    year=None,
    school=None,
    grade="",
    class_group=None,
    status="",
    hamlet=None,
    sex="",
    ethnicity="",
    circumstance="",
    q="",
):
    """Enrolments the user may see, with the child, school, class and current status in one query."""
    enrolments = (
        Enrolment.objects.restrict(user, VIEW)
        .with_status()
        .select_related("child", "child__hamlet", "school", "class_group", "year")
    )
    filters = {
        "year": year,
        "school": school,
        "grade": grade,
        "class_group": class_group,
        "status": status,
        "child__hamlet": hamlet,
        "child__sex": sex,
        "child__ethnicity": ethnicity,
    }
    enrolments = enrolments.filter(**{k: v for k, v in filters.items() if v})
    if circumstance in CIRCUMSTANCES:
        enrolments = enrolments.filter(**{f"child__{circumstance}": True})
    if q:
        enrolments = enrolments.filter(child__name_folded__contains=fold(q))
    # the id last: two pupils of one name in one class keep one order, from page to page and in the export
    return enrolments.order_by("school__name", "grade", "class_group__name", "child__name_folded", "pk")


def _filtered(user, filters: dict | None):
    enrolments = student_list(user, **(filters or {}))
    return enrolments.none() if filters is None else enrolments  # None: a filter that is not one of the user's


def student_list_page(user, filters: dict | None, number) -> Page:
    """Page `number` of the student list with `filters` (`StudentFilterForm.filters()`; None, a filter that is not
    one of the user's choices, lists nothing), logged as a read of the children on it."""
    page = Paginator(_filtered(user, filters), settings.PAGE_SIZE).get_page(number)
    _log_read(user, "list_read", count=len(page.object_list), org_unit=_unit_of_list(user, filters or {}))
    return page


EXPORT_COLUMNS = (
    "child__full_name",
    "child__birth_date",
    "child__birth_year",
    "child__sex",
    "child__ethnicity",
    "school__moet_code",
    "school__name",
    "year_id",
    "grade",
    "class_group__name",
    "student_code",
    "status",
    "child__hamlet__name",
    "child__hamlet__qualifier",
)

EXPORT_HEADERS = (
    gettext_lazy("Họ và tên"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Mã trường"),
    gettext_lazy("Trường"),
    gettext_lazy("Năm học"),
    gettext_lazy("Khối"),
    gettext_lazy("Lớp"),
    gettext_lazy("Mã học sinh"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Thôn"),
)


def student_list_export(user, filters: dict, *, limit: int) -> list[tuple]:
    """The first `limit` enrolments of the student list with `filters` as a workbook's rows, one cell for each of
    `EXPORT_HEADERS`; logged as an export. Read as values (`EXPORT_COLUMNS`), not models: a province's export is
    thousands of rows, and five models a row were most of its time. The cells say what the models' properties say,
    through the same functions (`status_label`, `ethnicity_name`, `OrgUnit.name_shown`, `choice_labels` for
    `get_FOO_display()`)."""
    enrolments = list(_filtered(user, filters).values_list(*EXPORT_COLUMNS, named=True)[:limit])
    _log_read(user, "list_export", count=len(enrolments), org_unit=_unit_of_list(user, filters))
    sexes, grades = choice_labels(Sex), choice_labels(Grade)
    years = {y.pk: y.name for y in SchoolYear.objects.filter(pk__in={e.year_id for e in enrolments})}
    return [
        (
            e.child__full_name,
            e.child__birth_date or e.child__birth_year,  # a date cell, or the year alone as a number
            sexes.get(e.child__sex, e.child__sex),
            ethnicity_name(e.child__ethnicity),
            e.school__moet_code,
            e.school__name,
            years[e.year_id],
            grades.get(e.grade, e.grade),
            e.class_group__name or "",
            e.student_code,
            status_label(e.status),
            OrgUnit.name_shown(e.child__hamlet__name, e.child__hamlet__qualifier) if e.child__hamlet__name else "",
        )
        for e in enrolments
    ]


def student_list_api(user, filters: dict | None):
    """The student list with `filters` for an API caller (who pages through it); logged as a read of all of it."""
    enrolments = _filtered(user, filters)
    _log_read(user, "api_list_read", count=enrolments.count(), org_unit=_unit_of_list(user, filters or {}))
    return enrolments


def kept_child_id(pk: int) -> int:
    """The id a child's id answers with: the kept child's, for one merged into another (`services.child_merge`)."""
    for _step in range(5):
        into = Child.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
        if not into:
            return pk
        pk = into
    return pk


def child_for(user, pk: int) -> Child:
    events = EnrolmentEvent.objects.select_related("recorded_by").order_by("on", "pk")
    enrolments = (
        Enrolment.objects.restrict(user, VIEW)
        .with_status()
        .select_related("school", "year", "class_group")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("year__start_year")
    )
    queryset = Child.objects.select_related("commune", "hamlet").prefetch_related(
        Prefetch("enrolments", queryset=enrolments, to_attr="visible_enrolments"),
        Prefetch(
            "census_records",
            queryset=CensusRecord.objects.restrict(user).select_related("year", "hamlet", "school"),
            to_attr="visible_census",
        ),
        "guardians",
    )
    pk = kept_child_id(pk)
    child = get_scoped_or_404(queryset, user, VIEW, pk=pk)
    _log_read(user, "child_read", count=1, org_unit=child.commune, child=child)
    return child


COMPULSORY_AGES = range(6, 15)  # primary and lower secondary, by calendar-year age
# The census's one out-of-school rule: a child of school age (6–14, 5-year-olds too when asked) counted out of
# school — not in school, or stopped after primary — and on no roster this year; those who completed lower
# secondary, moved away, died or are exempt for disability are not. A child counted "studying" whose school no
# roster links is found too, and listed apart ("unlinked").
OUT_OF_SCHOOL = (CensusStatus.NOT_IN_SCHOOL, CensusStatus.COMPLETED_PRIMARY)


def school_ages(five: bool = False) -> range:
    return range(5 if five else COMPULSORY_AGES.start, COMPULSORY_AGES.stop)


def census_finding(status: str, age: int, enrolled: bool, *, five: bool = False) -> str | None:
    """What the census finds of one record: "out" (of school age and out of school), "unlinked" (counted studying,
    on no roster), or None."""
    if enrolled:
        return None
    if status == CensusStatus.IN_SCHOOL:
        return "unlinked"
    if status in OUT_OF_SCHOOL and age in school_ages(five):
        return "out"
    return None


def census_of_hamlet(user, hamlet, year, *, export: bool = False, five: bool = False) -> list[CensusRecord]:
    """The hamlet's census for the year, each record with its child, the child's `age`, whether the child is
    `enrolled` at any school this year, and `unlisted`: counted "in school" but on no roster, or of compulsory
    school age and out of school — the children the census is for finding. "Enrolled" is an ongoing enrolment
    this school year at any school, in any province (`enrolled_anywhere`: a dropout is not in school, a child at
    a school the officer does not see is). The hamlet must be one the user governs. Logged as a read (`export`:
    for a workbook) of the hamlet's children."""
    records = list(
        CensusRecord.objects.restrict(user)
        .filter(hamlet=hamlet, year=year)
        .select_related("child", "school")
        .order_by("child__birth_year", "child__name_folded", "pk")
    )
    in_school = enrolled_anywhere([r.child_id for r in records], year.start_year)
    for record in records:
        record.enrolled = record.child_id in in_school
        record.age = record.child.age_in(year.start_year)
        record.finding = census_finding(record.status, record.age, record.enrolled, five=five)
        record.unlisted = record.finding is not None
    _log_read(user, "census_export" if export else "census_read", count=len(records), org_unit=hamlet)
    return records


def census_counts(user, year):
    """{hamlet id: number of census records} for the year, over the hamlets the user governs."""
    rows = CensusRecord.objects.restrict(user).filter(year=year).values("hamlet").annotate(n=Count("pk"))
    return {row["hamlet"]: row["n"] for row in rows}


def years_holding_records(year_ids) -> set[int]:
    """Of the school years, those with an enrolment or a census record (`schools.selectors.default_year` opens
    pages on a year with data): two queries, no personal data."""
    held = set(Enrolment.objects.filter(year_id__in=year_ids).order_by().values_list("year_id", flat=True).distinct())
    rest = [pk for pk in year_ids if pk not in held]
    records = CensusRecord.objects.filter(year_id__in=rest).order_by().values_list("year_id", flat=True).distinct()
    return held | set(records)


def census_unlisted_by_hamlet(user, start_year: int) -> list[dict]:
    """Of the census the user governs for the school year starting in `start_year`, how many children each hamlet
    has that the census finds for (`census_of_hamlet`'s `unlisted`: counted in school but on no school's roster,
    or of compulsory age and out of school), most first: [{hamlet, hamlet__name, hamlet__parent__name, year, n}].
    Counts only, no child: the home page's "what needs attention"."""
    compulsory = Q(
        status__in=OUT_OF_SCHOOL,
        child__birth_year__gte=start_year - COMPULSORY_AGES.stop + 1,
        child__birth_year__lte=start_year - COMPULSORY_AGES.start,
    )
    in_school = Enrolment.objects.filter(child_id=OuterRef("child_id"), start_year=start_year, ongoing=True)
    rows = (
        CensusRecord.objects.restrict(user)
        .filter(year__start_year=start_year)
        .filter(Q(status=CensusStatus.IN_SCHOOL) | compulsory)
        .filter(~Exists(in_school))
        .values("hamlet", "hamlet__name", "hamlet__parent__name", "year")
        .annotate(n=Count("pk"))
        .order_by("-n", "hamlet__name")
    )
    return list(rows)


def student_tile_counts(user, year) -> dict:
    """The home page's figures for the user's students this year: enrolled now, and dropped out (counts only)."""
    enrolments = Enrolment.objects.restrict(user, VIEW).filter(year__start_year=year.start_year)
    return {
        "ongoing": enrolments.filter(ongoing=True).count(),
        "dropped_out": enrolments.with_status().filter(status=EnrolmentEvent.Kind.DROPPED_OUT).count(),
    }


def campaign_counts(user, *, starts, ends, commune=None, school=None) -> dict[str, int]:
    """What a campaign's report reads for its window (plans' campaigns, issue 19), counted from the enrolments the
    user may count, of the children of `commune` (or at its schools) or at `school`:
    - mobilised: enrolments opened in the window (their first event dated in it) for children who were out of
      school (a census record says so) or who stopped before (an earlier enrolment ended dropped out or not
      continued);
    - returned: enrolments with a return dated in the window;
    - grade10_absent: grade-10 enrolments of the school year the window leads into whose status at the window's
      end is dropped out or not continued (admitted, not attending)."""
    from django.db.models import Subquery

    from apps.core.scoping import AGGREGATE

    Kind = EnrolmentEvent.Kind
    rows = Enrolment.objects.restrict(user, AGGREGATE)
    if school is not None:
        rows = rows.filter(school=school)
    elif commune is not None:
        rows = rows.filter(Q(child__commune=commune) | Q(school__location=commune))
    first = EnrolmentEvent.objects.filter(enrolment=OuterRef("pk")).order_by("on", "pk")
    stopped_before = (
        Enrolment.objects.filter(child=OuterRef("child"), start_year__lt=OuterRef("start_year"))
        .with_status()
        .filter(status__in=[Kind.DROPPED_OUT, Kind.NOT_CONTINUED])
    )
    out_of_school = CensusRecord.objects.filter(child=OuterRef("child"), status=CensusStatus.NOT_IN_SCHOOL)
    mobilised = (
        rows.annotate(opened_on=Subquery(first.values("on")[:1]))
        .filter(opened_on__gte=starts, opened_on__lte=ends)
        .filter(Exists(stopped_before) | Exists(out_of_school))
        .count()
    )
    returned = rows.filter(events__kind=Kind.RETURNED, events__on__gte=starts, events__on__lte=ends).distinct().count()
    start_year = ends.year if ends.month >= 7 else ends.year - 1
    at_end = EnrolmentEvent.objects.filter(enrolment=OuterRef("pk"), on__lte=ends).order_by("-on", "-pk")
    grade10_absent = (
        rows.filter(grade="10", start_year=start_year)
        .annotate(status_then=Subquery(at_end.values("kind")[:1]))
        .filter(status_then__in=[Kind.DROPPED_OUT, Kind.NOT_CONTINUED])
        .count()
    )
    return {"mobilised": mobilised, "returned": returned, "grade10_absent": grade10_absent}
