"""The plans' API (django-ninja, under /api/v1/plans): plans, their targets with live progress, and tasks, each
read through the same scoped selectors as the pages; a task's status is updated through the same service."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.plans import selectors, services

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    version: int
    period_start: datetime.date
    period_end: datetime.date
    school_id: int | None
    org_unit_id: int | None
    symbol: str


class TargetOut(Schema):
    id: int
    label: str
    mode: str
    comparison: str
    value: str | None
    progress: str
    met: bool | None


class TaskOut(Schema):
    id: int
    plan_id: int | None
    title: str
    owner: str
    when: str
    due_on: datetime.date
    status: str
    late: bool


class StatusIn(Schema):
    status: str
    note: str = ""
    reason: str = ""


def _plan(p) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "status": p.status,
        "version": p.version,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "school_id": p.school_id,
        "org_unit_id": p.org_unit_id,
        "symbol": p.document.symbol if p.document_id else "",
    }


def _task(t) -> dict:
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "title": t.title,
        "owner": t.owner_label,
        "when": t.when,
        "due_on": t.due_on,
        "status": t.status,
        "late": t.is_late(),
    }


@router.get("/", response=list[PlanOut], url_name="list_plans")
@paginate
def list_plans(request):
    return [_plan(p) for p in selectors.plan_list(request.user)]


@router.get("/{int:plan_id}/targets", response=list[TargetOut], url_name="list_plan_targets")
def list_plan_targets(request, plan_id: int):
    plan = selectors.plan_for(request.user, plan_id)
    return [
        {
            "id": line.target.pk,
            "label": line.target.label,
            "mode": line.target.mode,
            "comparison": line.target.comparison,
            "value": None if line.target.value is None else f"{line.target.value.normalize():f}",
            "progress": line.progress.text if line.progress else "",
            "met": line.progress.met if line.progress else None,
        }
        for line in selectors.progress_of(plan)
    ]


@router.get("/{int:plan_id}/tasks", response=list[TaskOut], url_name="list_plan_tasks")
def list_plan_tasks(request, plan_id: int):
    plan = selectors.plan_for(request.user, plan_id)
    return [_task(t) for t in selectors.plan_tasks_detail(request.user, plan)]


@router.get("/tasks", response=list[TaskOut], url_name="list_tasks")
@paginate
def list_tasks(request):
    return [_task(t) for t in selectors.task_list(request.user)]


@router.post("/tasks/{int:task_id}/status", response=TaskOut, url_name="set_task_status")
def set_task_status(request, task_id: int, data: StatusIn):
    task = selectors.task_for(request.user, task_id)
    try:
        task = services.task_set_status(
            actor=request.user, task=task, status=data.status, note=data.note, reason=data.reason
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return _task(task)


from apps.plans import campaign_api  # noqa: E402  campaigns (issue 19): their own module, under /campaigns

router.add_router("/campaigns", campaign_api.router)
# Meetings and periodic reports (issue 19): their operations in a module of their own, under the same prefix.
from apps.plans import meeting_api  # noqa: E402

router.add_router("", meeting_api.router)
