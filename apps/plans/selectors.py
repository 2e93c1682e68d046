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


def party_organisations(owned):
    """The organisations a plan or a meeting (`owned`: a record with `school` or `org_unit`) may name as a party,
    an attendee or a task's owner: a school's own and its commune's; a unit's own."""
    from apps.schools.models import Organisation

    if owned.school_id:
        return Organisation.objects.filter(school=owned.school) | Organisation.objects.filter(
            org_unit=owned.school.location
        )
    return Organisation.objects.filter(org_unit=owned.org_unit)


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


OWNER_KEYS = {"unit": "owner_unit", "school": "owner_school", "org": "owner_organisation", "user": "owner_user"}


def _owner_q(key: str) -> Q | None:
    """ "org:12" → the tasks of organisation 12; "agency:Trưởng trạm y tế" → those of that named agency."""
    kind, _sep, value = key.partition(":")
    if kind == "agency" and value:
        return Q(owner_kind=Task.Owner.AGENCY, owner_name=value)
    if kind in OWNER_KEYS and value.isdigit() and 0 < int(value) < 2**63:
        return Q(**{f"{OWNER_KEYS[kind]}_id": int(value)})
    return None


def task_owners(user) -> list[tuple[str, str]]:
    """The parties owning the tasks the user follows, as (key, label) for the task list's filter, in one query."""
    rows = (
        _tasks(user)
        .exclude(plan__status=Status.SUPERSEDED)
        .order_by()
        .values_list(
            "owner_kind",
            "owner_unit_id",
            "owner_unit__name",
            "owner_school_id",
            "owner_school__name",
            "owner_organisation_id",
            "owner_organisation__name",
            "owner_user_id",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
            "owner_name",
        )
        .distinct()
    )
    found = {}
    for kind, unit, unit_name, school, school_name, org, org_name, uid, first, last, username, name in rows:
        if org:
            found[f"org:{org}"] = org_name
        elif uid:
            found[f"user:{uid}"] = f"{first} {last}".strip() or username  # as `Task.owner_label`
        elif kind == Task.Owner.AGENCY and name:
            found[f"agency:{name}"] = name
        elif school:
            found[f"school:{school}"] = school_name
        elif unit:
            found[f"unit:{unit}"] = unit_name
    return sorted(found.items(), key=lambda item: item[1].casefold())


def task_list(user, *, today: datetime.date | None = None, owner: str = ""):
    """The user's tasks, late first (then by due day), those of superseded plans left out; of one owner party
    (`task_owners`' keys) when `owner` is given."""
    today = today or timezone.localdate()
    qs = _tasks(user).exclude(plan__status=Status.SUPERSEDED)
    if owner:
        q = _owner_q(owner)
        qs = qs.filter(q) if q is not None else qs.none()
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
