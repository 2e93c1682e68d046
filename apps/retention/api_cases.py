"""Dropout cases in the API (`/api/v1/retention/cases`): the list with the pages' filters (phase, owner, commune,
status; overdue follow-ups first) and one case with its interventions and follow-ups. The same selectors and scope
as the pages (`case_selectors`, `DropoutCase.objects.restrict`): an organisation's officers see its cases only while
they are open; 404 for a case out of sight; every read logged."""

import datetime

from ninja import Query, Schema
from ninja.pagination import paginate

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import MAX_ID, VIEW
from apps.orgunits.models import OrgUnit
from apps.retention import case_selectors
from apps.retention.api import ERRORS, router


class CaseOut(Schema):
    id: int
    child_id: int | None
    child: str
    commune_id: int
    commune: str
    phase: int
    source: str
    status: str
    cause: str
    cause_text: str
    outcome: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    owner: str
    overdue: bool = False

    @staticmethod
    def resolve_child(obj):
        return obj.child.full_name if obj.child_id else obj.subject

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.name

    @staticmethod
    def resolve_owner(obj):
        if obj.owner_user_id:
            return obj.owner_user.full_name or obj.owner_user.username
        return obj.owner_organisation.name if obj.owner_organisation_id else ""

    @staticmethod
    def resolve_overdue(obj):
        return bool(getattr(obj, "overdue", False))


class InterventionOut(Schema):
    kind: str
    on: datetime.date
    by: str
    note: str


class FollowUpOut(Schema):
    due_on: datetime.date
    done_on: datetime.date | None
    note: str


class CaseDetailOut(CaseOut):
    return_school_id: int | None
    return_grade: str
    interventions: list[InterventionOut]
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_interventions(obj):
        return obj.intervention_list

    @staticmethod
    def resolve_follow_ups(obj):
        return obj.follow_up_list


@router.get("/cases", response={200: list[CaseOut], **ERRORS})
@paginate
def list_cases(
    request,
    phase: int | None = Query(None, ge=1, le=3),
    owner: str = Query("", pattern="^(|me)$"),
    commune: int | None = Query(None, ge=1, le=MAX_ID),
    status: str = Query("open", pattern="^(open|closed|all)$"),
):
    """The dropout cases the caller sees, overdue follow-ups first, then the newest: by phase, `owner=me` (the
    caller's own and their organisations'), a commune (one out of sight matches nothing), open (with those waiting
    for the school), closed or all. Logged as a read."""
    unit = OrgUnit.objects.restrict(request.user, VIEW).filter(pk=commune).first() if commune else None
    cases = case_selectors.case_list(
        request.user, phase=phase, owner=owner, commune=unit, status="" if status == "all" else status
    )
    if commune and unit is None:
        cases = cases.none()
    audit_record(
        actor=request.user,
        action="retention.case_list_read",
        kind=AuditEvent.Kind.READ,
        object_type="retention.dropoutcase",
        org_unit=unit,
        changes={"count": min(cases.count(), 1000), "via": "api"},
    )
    return cases


@router.get("/cases/{int:pk}", response={200: CaseDetailOut, **ERRORS})
def get_case(request, pk: int):
    """One case with its interventions and follow-ups (404 out of sight; logged as a read of its child)."""
    return case_selectors.case_for(request.user, pk)
