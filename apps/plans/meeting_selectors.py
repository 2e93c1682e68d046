"""Reads of meetings, each starting from the scoped queryset (`restrict`), and the windows of the three parents'
meetings a year, taken from the school calendar's semester dates."""

import datetime

from django.db.models import Exists, OuterRef

from apps.core.scoping import CHANGE, VIEW, can, get_scoped_or_404
from apps.plans.models import Meeting, MeetingDecision, MeetingKind, ParentsMeetingGap

# Days around the calendar's dates that a parents' meeting of each round may fall in: the start of the year (from
# two weeks before opening day to a month after), the end of semester I (three weeks either side of its last day)
# and the end of the year (the last month of semester II and two weeks after).
WINDOWS = {1: (14, 30), 2: (21, 21), 3: (30, 14)}


def parents_windows(year) -> list[tuple[int, datetime.date, datetime.date]]:
    """[(round, first day, last day)] of the year's three parents' meetings."""
    semesters = {s.number: s for s in year.semesters.all()}
    anchors = {1: year.opening_day}
    if 1 in semesters:
        anchors[2] = semesters[1].ends_on
    anchors[3] = semesters[2].ends_on if 2 in semesters else year.teaching_ends_on
    out = []
    for round_, anchor in sorted(anchors.items()):
        before, after = WINDOWS[round_]
        out.append((round_, anchor - datetime.timedelta(days=before), anchor + datetime.timedelta(days=after)))
    return out


def meeting_list(user, *, kind: str = ""):
    qs = Meeting.objects.restrict(user, VIEW).select_related("school", "org_unit", "document")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def meeting_for(user, pk: int, action: str = VIEW) -> Meeting:
    return get_scoped_or_404(
        Meeting.objects.select_related("school__location", "school__managed_by", "org_unit", "document"),
        user,
        action,
        pk=pk,
    )


def may(user, meeting: Meeting) -> dict:
    return {"change": meeting.editable and can(user, meeting, CHANGE)}


def decisions_of(meeting: Meeting):
    return meeting.decisions.select_related(
        "task__owner_unit", "task__owner_school", "task__owner_organisation", "task__owner_user"
    )


def missing_parents_meetings(user):
    """The parents' meetings the daily job found missing after their window, that no meeting of that round has
    made up since, oldest window first."""
    held = Meeting.objects.filter(
        kind=MeetingKind.PARENTS,
        school=OuterRef("school"),
        round=OuterRef("round"),
        held_on__gte=OuterRef("year__starts_on"),
        held_on__lte=OuterRef("year__ends_on"),
    )
    return (
        ParentsMeetingGap.objects.restrict(user, VIEW)
        .select_related("school", "year")
        .annotate(made_up=Exists(held))
        .filter(made_up=False)
        .order_by("window_end", "school__name", "round")
    )


def task_terms(scope, action):
    """Widens the tasks (`scoping.contribute`): a meeting's decision's task is seen by those who see the meeting
    and changed by those who run it, as a plan's task is by the plan's."""
    from apps.core.scoping import NOTHING
    from apps.plans.models_meetings import meeting_q

    if action not in (VIEW, CHANGE):
        return NOTHING
    from django.db.models import Q

    meetings = Meeting.objects.filter(meeting_q(scope, action))
    return Q(pk__in=MeetingDecision.objects.filter(meeting__in=meetings, task__isnull=False).values("task"))
