"""The campaigns' API (django-ninja, under /api/v1/plans/campaigns): the campaigns a user sees, one with its events,
its reports' roll-up for the receiving body, a report and its filing, each through the same scoped selectors and
services as the pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.scoping import CHANGE, MANAGE, can
from apps.plans import campaign_selectors as selectors
from apps.plans import campaign_services as services

router = Router(tags=["campaigns"])


class CampaignEventOut(Schema):
    on: datetime.date
    title: str


class CampaignOut(Schema):
    id: int
    kind: str
    title: str
    theme: str
    slogan: str
    status: str
    org_unit_id: int
    receiving_unit_id: int
    compiler: str
    starts_on: datetime.date
    ends_on: datetime.date
    peak_starts_on: datetime.date | None
    peak_ends_on: datetime.date | None
    report_due_on: datetime.date | None


class CampaignDetailOut(CampaignOut):
    events: list[CampaignEventOut]


class CampaignReportOut(Schema):
    id: int
    campaign_id: int
    org_unit_id: int | None
    school_id: int | None
    reporter: str
    due_on: datetime.date
    status: str
    submitted_at: datetime.datetime | None
    system: dict[str, int]
    figures: dict[str, int]
    notes: dict[str, str]
    narrative: str


class RollupLineOut(Schema):
    report_id: int
    reporter: str
    status: str
    late: bool
    no_hotline: bool
    figures: dict[str, int]


class RollupOut(Schema):
    campaign_id: int
    on: datetime.date
    submitted: int
    lines: list[RollupLineOut]
    totals: dict[str, int]


class ReportIn(Schema):
    figures: dict[str, int] = {}
    notes: dict[str, str] = {}
    narrative: str = ""
    submit: bool = False


class CampaignPatch(Schema):
    """The fields of `campaign_services.CAMPAIGN_FIELDS` to change; those left out stay."""

    title: str | None = None
    theme: str | None = None
    slogan: str | None = None
    issuer_name: str | None = None
    receiving_name: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    peak_starts_on: datetime.date | None = None
    peak_ends_on: datetime.date | None = None
    report_due_on: datetime.date | None = None


def _campaign(c) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "title": c.title,
        "theme": c.theme,
        "slogan": c.slogan,
        "status": c.status,
        "org_unit_id": c.org_unit_id,
        "receiving_unit_id": c.receiving_unit_id,
        "compiler": c.compiler,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "peak_starts_on": c.peak_starts_on,
        "peak_ends_on": c.peak_ends_on,
        "report_due_on": c.report_due_on,
    }


def _report(r) -> dict:
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "org_unit_id": r.org_unit_id,
        "school_id": r.school_id,
        "reporter": str(r.reporter),
        "due_on": r.due_on,
        "status": r.status,
        "submitted_at": r.submitted_at,
        "system": r.system,
        "figures": r.figures,
        "notes": r.notes,
        "narrative": r.narrative,
    }


@router.get("/", response=list[CampaignOut], url_name="list_campaigns")
@paginate
def list_campaigns(request):
    return [_campaign(c) for c in selectors.campaign_list(request.user)]


@router.get("/{int:pk}", response=CampaignDetailOut, url_name="get_campaign")
def get_campaign(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    return {**_campaign(campaign), "events": [{"on": e.on, "title": e.title} for e in campaign.events.all()]}


@router.patch("/{int:pk}", response=CampaignDetailOut, url_name="update_campaign")
def update_campaign(request, pk: int, data: CampaignPatch):
    campaign = selectors.campaign_for(request.user, pk)
    if not can(request.user, campaign, CHANGE):
        raise PermissionDenied
    try:
        campaign = services.campaign_update(actor=request.user, campaign=campaign, **data.dict(exclude_unset=True))
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return get_campaign(request, campaign.pk)


@router.get("/{int:pk}/rollup", response=RollupOut, url_name="campaign_rollup")
def campaign_rollup(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    if not can(request.user, campaign, MANAGE):
        raise PermissionDenied
    rollup = selectors.rollup(request.user, campaign)
    return {
        "campaign_id": campaign.pk,
        "on": rollup.on,
        "submitted": rollup.submitted,
        "totals": rollup.totals,
        "lines": [
            {
                "report_id": line.report.pk,
                "reporter": line.name,
                "status": line.report.status,
                "late": line.late,
                "no_hotline": line.no_hotline,
                "figures": line.values,
            }
            for line in rollup.lines
        ],
    }


@router.get("/reports/{int:pk}", response=CampaignReportOut, url_name="get_campaign_report")
def get_campaign_report(request, pk: int):
    return _report(selectors.report_for(request.user, pk))


@router.post("/reports/{int:pk}", response=CampaignReportOut, url_name="save_campaign_report")
def save_campaign_report(request, pk: int, data: ReportIn):
    report = selectors.report_for(request.user, pk, CHANGE)
    try:
        report = services.campaign_report_save(
            actor=request.user,
            report=report,
            figures=data.figures,
            notes=data.notes,
            narrative=data.narrative,
            submit=data.submit,
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return _report(report)
