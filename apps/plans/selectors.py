"""Reads of the plans app, each starting from the scoped queryset (`restrict`)."""

import calendar
import datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404
from apps.plans import progress
from apps.plans.models import Plan, Status, Task, TaskEvidence


def plan_list(user, *, kind: str = "", status: str = ""):
    qs = Plan.objects.restrict(user, VIEW).select_related("school", "org_unit", "document")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def plan_for(user, pk: int, action: str = VIEW) -> Plan:
    return get_scoped_or_404(
        Plan.objects.select_related(
            "school__managed_by", "school__location", "org_unit", "document", "body", "previous__document"
        ),
        user,
        action,
        pk=pk,
    )


def progress_of(plan: Plan, *, on=None):
    return progress.measure(plan, on=on)


def may(user, plan: Plan) -> dict:
    return {
        "change": can(user, plan, CHANGE),
        "confirm": can(user, plan, MANAGE),
    }


def _tasks(user):
    return Task.objects.restrict(user, VIEW).select_related(
        "plan", "owner_unit", "owner_school", "owner_organisation", "owner_user"
    )


def plan_tasks_detail(user, plan: Plan):
    """The plan's tasks whose details (status, evidence, comments) the user may see."""
    return _tasks(user).filter(plan=plan).order_by("due_on", "order", "pk")


def plan_schedule(plan: Plan):
    """The plan's activities as the plan states them (what, who, when): part of the plan's content."""
    return plan.tasks.select_related("owner_unit", "owner_school", "owner_organisation", "owner_user").order_by(
        "due_on", "order", "pk"
    )


def task_for(user, pk: int, action: str = VIEW) -> Task:
    return get_scoped_or_404(
        Task.objects.select_related("plan", "owner_unit", "owner_school", "owner_organisation", "owner_user"),
        user,
        action,
        pk=pk,
    )


def task_list(user, *, today: datetime.date | None = None):
    """The user's tasks, late first (then by due day), those of superseded plans left out."""
    today = today or timezone.localdate()
    qs = _tasks(user).exclude(plan__status=Status.SUPERSEDED)
    late = Case(
        When(Q(status__in=Task.OPEN) & Q(due_on__lt=today), then=Value(0)),
        When(status__in=Task.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=late).order_by("rank", "due_on", "pk")


def late_tasks(user, *, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return task_list(user, today=today).filter(status__in=Task.OPEN, due_on__lt=today)


def calendar_of(user, year: int, month: int) -> list[list[dict]]:
    """The month as weeks of days (Monday first), each day with the user's tasks due on it."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    due = {}
    for task in task_list(user).filter(due_on__range=(first, last)):
        due.setdefault(task.due_on, []).append(task)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(year, month):
        weeks.append([{"day": d, "in_month": d.month == month, "tasks": due.get(d, [])} for d in week])
    return weeks


def evidence_for(user, pk: int) -> TaskEvidence:
    item = TaskEvidence.objects.select_related("task__plan").filter(pk=pk).first()
    if item is None:
        from django.http import Http404

        raise Http404
    task_for(user, item.task_id)
    return item
