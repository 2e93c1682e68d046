"""Reads of children and enrolments, from the user's scope. Listing children logs a personal-data read."""

from itertools import batched

from django.db.models import Count, Exists, OuterRef, Prefetch

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import VIEW, get_scoped_or_404
from apps.core.text import fold
from apps.students.models import CensusRecord, CensusStatus, Child, Enrolment, EnrolmentEvent


def enrolled_anywhere(child_ids, start_year: int, *, lock: bool = False) -> dict[int, tuple[int, int]]:
    """{child id: (enrolment id, school id)} of the children's ongoing enrolments in the school year starting in
    `start_year`, at any school of any province. Deliberately unscoped: it answers whether a child may be enrolled,
    and its callers tell the user no more than "at another school" (`rules.elsewhere_message`)."""
    found = {}
    for chunk in batched(sorted(set(child_ids)), 10_000):
        rows = Enrolment.objects.filter(child_id__in=chunk, start_year=start_year, ongoing=True)
        if lock:
            rows = rows.select_for_update()
        found.update((child, (pk, school)) for child, pk, school in rows.values_list("child_id", "pk", "school_id"))
    return found


def log_read(user, *, what: str, count: int, org_unit=None) -> None:
    """A personal-data read (a list or page of children), written as an audit event of kind READ."""
    audit_record(
        actor=user,
        action=f"students.{what}",
        kind=AuditEvent.Kind.READ,
        org_unit=org_unit,
        object_type="students.child",
        changes={"count": count},
    )


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
    if circumstance in ("poor", "near_poor", "orphan", "disability", "remote_area"):
        enrolments = enrolments.filter(**{f"child__{circumstance}": True})
    if q:
        enrolments = enrolments.filter(child__name_folded__contains=fold(q))
    return enrolments.order_by("school__name", "grade", "class_group__name", "child__name_folded")


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
    child = get_scoped_or_404(queryset, user, VIEW, pk=pk)
    log_read(user, what="child_read", count=1, org_unit=child.commune)
    return child


COMPULSORY_AGES = range(6, 15)  # primary and lower secondary, by calendar-year age


def census_of_hamlet(user, hamlet, year) -> list[CensusRecord]:
    """The hamlet's census for the year, each record with its child, the child's `age`, whether the child is
    `enrolled` at any school this year, and `unlisted`: counted "in school" but on no roster, or of compulsory
    school age and out of school — the children the census is for finding. The hamlet must be one the user
    governs."""
    enrolled = Enrolment.objects.filter(child=OuterRef("child"), year=year)
    records = list(
        CensusRecord.objects.restrict(user)
        .filter(hamlet=hamlet, year=year)
        .select_related("child", "school")
        .annotate(enrolled=Exists(enrolled))
        .order_by("child__birth_year", "child__name_folded")
    )
    for record in records:
        record.age = record.child.age_in(year.start_year)
        record.unlisted = not record.enrolled and (
            record.status == CensusStatus.IN_SCHOOL
            or (record.status == CensusStatus.NOT_IN_SCHOOL and record.age in COMPULSORY_AGES)
        )
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
