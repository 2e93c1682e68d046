"""The API of meetings and periodic reports (django-ninja, under /api/v1/plans, added to the plans' router): the
meetings a user sees with their decisions' tasks, the report schedules, the reports with their figures; submit,
approve and return go through the same services as the pages, each read through the same scoped selectors."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.scoping import CHANGE, MANAGE
from apps.plans import meeting_selectors, report_selectors, report_services

router = Router(tags=["meetings and reports"])


class DecisionOut(Schema):
    id: int
    text: str
    task_id: int | None
    owner: str
    due_on: datetime.date | None
    status: str


class MeetingOut(Schema):
    id: int
    kind: str
    round: int | None
    title: str
    held_on: datetime.date
    school_id: int | None
    org_unit_id: int | None
    minutes_symbol: str


class MeetingDetailOut(MeetingOut):
    attendees: list[str]
    decisions: list[DecisionOut]


class ScheduleOut(Schema):
    id: int
    title: str
    period: str
    deadline_days: int
    reporter: str
    receiver: str


class FigureOut(Schema):
    key: str
    label: str
    source: str
    numerator: int | None
    denominator: int | None


class ReportOut(Schema):
    id: int
    schedule_id: int
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    deadline: datetime.date
    revision: int
    status: str
    late: bool


class ReportDetailOut(ReportOut):
    figures: list[FigureOut]
    sections: list[dict]
    missing: list[str]
    late_reports: list[str]


class CommentIn(Schema):
    comment: str = ""


def _meeting(m) -> dict:
    return {
        "id": m.pk,
        "kind": m.kind,
        "round": m.round,
        "title": m.title,
        "held_on": m.held_on,
        "school_id": m.school_id,
        "org_unit_id": m.org_unit_id,
        "minutes_symbol": m.document.symbol if m.document_id else "",
    }


def _report(r) -> dict:
    return {
        "id": r.pk,
        "schedule_id": r.schedule_id,
        "period_label": r.period_label,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "deadline": r.deadline,
        "revision": r.revision,
        "status": r.status,
        "late": r.is_late(),
    }


def _report_detail(r) -> dict:
    counted = r.rollup or {}
    return {
        **_report(r),
        "figures": [{k: f.get(k) for k in ("key", "label", "source", "numerator", "denominator")} for f in r.figures],
        "sections": r.sections,
        "missing": [f"{m['reporter']} ({m['period']})" for m in counted.get("missing", [])],
        "late_reports": [f"{m['reporter']} ({m['period']})" for m in counted.get("late", [])],
    }


@router.get("/meetings", response=list[MeetingOut], url_name="list_meetings")
@paginate
def list_meetings(request):
    return [_meeting(m) for m in meeting_selectors.meeting_list(request.user)]


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut, url_name="get_meeting")
def get_meeting(request, meeting_id: int):
    m = meeting_selectors.meeting_for(request.user, meeting_id)
    return {
        **_meeting(m),
        "attendees": [a.party for a in m.attendees.all()],
        "decisions": [
            {
                "id": d.pk,
                "text": d.text,
                "task_id": d.task_id,
                "owner": d.task.owner_label if d.task_id else "",
                "due_on": d.task.due_on if d.task_id else None,
                "status": d.task.status if d.task_id else "",
            }
            for d in meeting_selectors.decisions_of(m)
        ],
    }


@router.get("/report-schedules", response=list[ScheduleOut], url_name="list_report_schedules")
@paginate
def list_report_schedules(request):
    return [
        {
            "id": s.pk,
            "title": s.title,
            "period": s.period,
            "deadline_days": s.deadline_days,
            "reporter": str(s.reporter),
            "receiver": str(s.receiver),
        }
        for s in report_selectors.schedule_list(request.user)
    ]


@router.get("/reports", response=list[ReportOut], url_name="list_reports")
@paginate
def list_reports(request):
    return [_report(r) for r in report_selectors.report_list(request.user)]


@router.get("/reports/{int:report_id}", response=ReportDetailOut, url_name="get_report")
def get_report(request, report_id: int):
    return _report_detail(report_selectors.report_for(request.user, report_id))


def _act(request, report_id: int, action: str, call):
    report = report_selectors.report_for(request.user, report_id, action)
    try:
        return _report_detail(call(report))
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None


@router.post("/reports/{int:report_id}/submit", response=ReportDetailOut, url_name="submit_report")
def submit_report(request, report_id: int):
    return _act(request, report_id, CHANGE, lambda r: report_services.report_submit(actor=request.user, report=r))


@router.post("/reports/{int:report_id}/approve", response=ReportDetailOut, url_name="approve_report")
def approve_report(request, report_id: int):
    return _act(request, report_id, MANAGE, lambda r: report_services.report_approve(actor=request.user, report=r))


@router.post("/reports/{int:report_id}/return", response=ReportDetailOut, url_name="return_report")
def return_report(request, report_id: int, data: CommentIn):
    return _act(
        request,
        report_id,
        MANAGE,
        lambda r: report_services.report_return(actor=request.user, report=r, comment=data.comment),
    )
