"""Reads of the early warning, from the user's scope: the at-risk students of a class, school or commune (a read
of children's personal data, logged), a child's flags with their history, the rules a user may read or edit."""

from django.conf import settings
from django.core.paginator import Paginator

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.orgunits.models import OrgUnit
from apps.retention.models import Level, RiskFlag
from apps.retention.rules import rules_for


def at_risk_page(
    user, *, year, class_group=None, school=None, commune=None, levels=(Level.MEDIUM, Level.HIGH), page=None
):
    """The current flags at `levels` of the year's ongoing students the user sees, narrowed to a class, a school or
    the commune where the children live; high first, then by score. Logged as a read with the count shown."""
    flags = (
        RiskFlag.objects.restrict(user, VIEW)
        .filter(current=True, level__in=levels, enrolment__year=year, enrolment__ongoing=True)
        .select_related("enrolment__child", "enrolment__class_group", "enrolment__school")
        .order_by("-score", "enrolment__child__name_folded", "pk")
    )
    if class_group is not None:
        flags = flags.filter(enrolment__class_group=class_group)
    if school is not None:
        flags = flags.filter(enrolment__school=school)
    if commune is not None:
        flags = flags.filter(enrolment__child__commune=commune)
    found = Paginator(flags, settings.PAGE_SIZE).get_page(page)
    unit = (school.managed_by_id if school else None) or (commune.pk if commune else None)
    if class_group is not None:
        unit = class_group.school.managed_by_id
    audit_record(
        actor=user,
        action="retention.list_read",
        kind=AuditEvent.Kind.READ,
        org_unit=unit,
        object_type="students.child",
        changes={"count": len(found.object_list)},
    )
    return found


def flags_of_child(user, child) -> list[RiskFlag]:
    """Every flag (current and past) of the child's enrolments the user sees, latest first."""
    return list(
        RiskFlag.objects.restrict(user, VIEW)
        .filter(enrolment__child=child)
        .select_related("enrolment__year")
        .order_by("-computed_at", "-pk")
    )


def editable_provinces(user):
    """The provinces whose rules the user may change (their own officers; every province for an administrator)."""
    return OrgUnit.objects.current().restrict(user, CHANGE).filter(level=OrgUnit.Level.PROVINCE).order_by("code")


def readable_provinces(user):
    scope = scope_for(user)
    provinces = OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE)
    return provinces if scope.is_admin else provinces.filter(pk__in=scope.ancestor_ids())


def rules_of(province):
    return rules_for(province.pk)


VISIT_WINDOW = 30  # days: a visit within them keeps a student off the overdue list
OVERDUE_ABSENCES = 3  # unexcused days in the window that make a visit due whatever the level


def overdue_visits(user, *, on=None, limit: int | None = None) -> list:
    """The ongoing students the user visits (their homeroom classes, the schools they manage, their mentees) whose
    visit is overdue on `on` (as of the end of a year that is over): at medium or high risk, or with at least
    OVERDUE_ABSENCES unexcused days in the last VISIT_WINDOW days, and no visit in those days. Most at risk first."""
    import datetime

    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from apps.retention.models import HomeVisit, Mentorship
    from apps.students.models import Enrolment
    from apps.students.records import Absence, record_writers_q

    today = on or timezone.localdate()
    scope = scope_for(user)
    if scope.is_empty and not scope.is_admin:
        return []
    mentees = Mentorship.objects.filter(mentor_id=user.pk, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    mine = record_writers_q(scope) if not scope.is_admin else Q()
    if scope.is_admin:
        mine = Q(pk__in=[])  # an administrator visits nobody's family
    enrolments = Enrolment.objects.filter(
        mine | Q(pk__in=mentees.values("enrolment")), ongoing=True, year__starts_on__lte=today
    ).filter(year__ends_on__gte=today - datetime.timedelta(days=366))
    # As of today, or the year's end once it is over (the level of a finished year stands as of its last day).
    found = []
    for year_end in enrolments.values_list("year__ends_on", flat=True).distinct().order_by():
        as_of = min(today, year_end)
        since = as_of - datetime.timedelta(days=VISIT_WINDOW - 1)
        of_year = enrolments.filter(year__ends_on=year_end)
        absent = (
            Absence.objects.filter(enrolment=OuterRef("pk"), excused=False, on__gte=since, on__lte=as_of)
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        flagged = RiskFlag.objects.filter(enrolment=OuterRef("pk"), current=True, level__in=(Level.MEDIUM, Level.HIGH))
        visited = HomeVisit.objects.filter(enrolment=OuterRef("pk"), on__gte=since, on__lte=today)
        rows = (
            of_year.annotate(flagged=Exists(flagged), absent=absent, visited=Exists(visited))
            .filter(Q(flagged=True) | Q(absent__gte=OVERDUE_ABSENCES), visited=False)
            .select_related("child", "class_group", "school")
            .order_by("child__name_folded", "pk")
        )
        found.extend(rows[: limit or 2000])
    levels = {f.enrolment_id: f for f in RiskFlag.objects.filter(enrolment__in=[e.pk for e in found], current=True)}
    for e in found:
        e.flag = levels.get(e.pk)
    found.sort(key=lambda e: (-(e.flag.score if e.flag else 0), e.child.name_folded))
    return found[:limit] if limit else found


def visits_of_child(user, child) -> list:
    from apps.retention.models import HomeVisit

    return list(
        HomeVisit.objects.restrict(user, VIEW)
        .filter(enrolment__child=child)
        .select_related("visited_by", "enrolment__year")
        .order_by("-on", "-pk")
    )


def mentor_lists(user, year) -> dict:
    """The mentors page: the at-risk students (medium or high) without a mentor today, and the mentorships in force,
    among the students the user sees; and the user's own mentees."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from apps.retention.mentors import in_force
    from apps.retention.models import Mentorship
    from apps.students.models import Enrolment

    today = timezone.localdate()
    visible = Enrolment.objects.restrict(user, VIEW).filter(year=year, ongoing=True)
    mentored = Mentorship.objects.filter(in_force(today), enrolment=OuterRef("pk"))
    unmentored = (
        RiskFlag.objects.filter(
            current=True, level__in=(Level.MEDIUM, Level.HIGH), enrolment__in=visible.filter(~Exists(mentored))
        )
        .select_related("enrolment__child", "enrolment__class_group", "enrolment__school")
        .order_by("-score", "enrolment__child__name_folded")[:200]
    )
    mentorships = (
        Mentorship.objects.filter(in_force(today), enrolment__in=visible)
        .select_related("mentor", "enrolment__child", "enrolment__class_group")
        .order_by("mentor__full_name", "mentor__username", "enrolment__child__name_folded")[:500]
    )
    audit_record(
        actor=user,
        action="retention.list_read",
        kind=AuditEvent.Kind.READ,
        object_type="students.child",
        changes={"count": len(unmentored) + len(mentorships), "list": "mentors"},
    )
    return {"unmentored": unmentored, "mentorships": mentorships}
