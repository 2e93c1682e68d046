"""Writes of periodic reports, each one audited transaction: a schedule (by the receiving body), a report for a
period (prefilled: `report_selectors.prefill`, and for a receiving body the roll-up of the reports under it), its
narrative sections, submit (figures and roll-up frozen), return with a comment, approve (locked: no write of this
module touches an approved report), and reopen by the approver with a reason, as a new revision.

Who: the reporter's people write and submit (`models_reports.schedule_q` CHANGE); the receiving body's people
return, approve and reopen (MANAGE)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, get_scoped_or_404, scope_for
from apps.plans import report_documents
from apps.plans import report_selectors as selectors
from apps.plans.models import PeriodicReport, ReportPeriod, ReportSchedule, ReportStatus

DEFAULT_SECTIONS = ("Kết quả thực hiện", "Tồn tại, hạn chế", "Phương hướng, kiến nghị")


def _people(*, school=None, org_unit=None, organisation=None) -> list:
    from apps.plans.services import party_users

    return party_users(
        organisation_id=getattr(organisation, "pk", None),
        org_unit_id=getattr(org_unit, "pk", None),
        school_id=getattr(school, "pk", None),
    )


def _tell(people, kind: str, title: str, report: PeriodicReport) -> None:
    from apps.notifications.services import notify

    url = reverse("plans:report", args=[report.pk])
    if people:
        transaction.on_commit(lambda: notify(recipients=people, kind=kind, title=title[:200], url=url))


@transaction.atomic
def schedule_create(
    *,
    actor,
    title: str,
    period: str,
    deadline_days: int = 10,
    school=None,
    org_unit=None,
    organisation=None,
    receiver_unit=None,
    receiver_school=None,
) -> ReportSchedule:
    """Who reports to whom, how often: set by the receiving body (its officers; a school's principal for its
    organisations)."""
    scope = scope_for(actor)
    if receiver_unit is not None and not (scope.is_admin or receiver_unit.path in scope.officer_paths):
        raise PermissionDenied
    if receiver_school is not None and not (scope.is_admin or receiver_school.pk in scope.principal_school_ids):
        raise PermissionDenied
    if period not in ReportPeriod.values:
        raise ValidationError({"period": _("Kỳ báo cáo không hợp lệ.")})
    schedule = ReportSchedule(
        title=(title or "").strip()[:300],
        period=period,
        deadline_days=deadline_days,
        school=school,
        org_unit=org_unit,
        organisation=organisation,
        receiver_unit=receiver_unit,
        receiver_school=receiver_school,
        created_by=actor,
    )
    if sum(x is not None for x in (school, org_unit, organisation)) != 1:
        raise ValidationError(_("Đơn vị báo cáo là đúng một trường, một đơn vị hoặc một tổ chức."))
    if (receiver_unit is None) == (receiver_school is None):
        raise ValidationError(_("Nơi nhận báo cáo là đúng một đơn vị hoặc một trường."))
    schedule.full_clean()
    schedule.save()
    audit_record(
        actor=actor,
        action="plans.schedule_create",
        obj=schedule,
        org_unit=schedule.commune,
        changes={"period": period, "receiver": str(schedule.receiver)},
    )
    return schedule


def _fill(actor, report: PeriodicReport) -> None:
    """The figures of the period as the system holds them now, and the roll-up of the reports under it."""
    schedule = report.schedule
    figures = selectors.prefill(actor, schedule, report.period_start, report.period_end)
    counted = selectors.rollup(actor, schedule, report.period_start, report.period_end)
    if counted["included"] or counted["missing"]:
        figures += counted["figures"]
        report.rollup = {k: counted[k] for k in ("included", "missing", "late")}
    else:
        report.rollup = {}
    report.figures = figures


@transaction.atomic
def report_create(*, actor, schedule: ReportSchedule, on: datetime.date | None = None) -> PeriodicReport:
    """The report of the period holding `on` (today by default), prefilled, with the usual narrative sections."""
    schedule = get_scoped_or_404(ReportSchedule, actor, CHANGE, pk=schedule.pk)
    start, end, label = selectors.period_of(schedule, on or timezone.localdate())
    if PeriodicReport.objects.filter(schedule=schedule, period_start=start).exists():
        raise ValidationError(_("Đã có báo cáo %(period)s.") % {"period": label})
    report = PeriodicReport(
        schedule=schedule,
        period_start=start,
        period_end=end,
        period_label=label,
        deadline=selectors.deadline_of(schedule, end),
        sections=[{"heading": h, "text": ""} for h in DEFAULT_SECTIONS],
        created_by=actor,
    )
    _fill(actor, report)
    report.full_clean()
    report.save()
    audit_record(
        actor=actor, action="plans.report_create", obj=report, org_unit=schedule.commune, changes={"period": label}
    )
    return report


def _editable(actor, report: PeriodicReport) -> PeriodicReport:
    report = get_scoped_or_404(
        PeriodicReport.objects.select_related("schedule"), actor, CHANGE, pk=report.pk, lock=True
    )
    if report.status == ReportStatus.APPROVED or report.status == ReportStatus.REOPENED:
        raise ValidationError(_("Báo cáo đã được duyệt: không sửa được."))
    if not report.editable:
        raise ValidationError(_("Báo cáo đã gửi, đang chờ duyệt: không sửa được."))
    return report


@transaction.atomic
def report_update(*, actor, report: PeriodicReport, sections: list[dict]) -> PeriodicReport:
    """The narrative sections ([{"heading", "text"}]): only while the report is a draft or returned."""
    report = _editable(actor, report)
    cleaned = [
        {"heading": str(s.get("heading", "")).strip()[:200], "text": str(s.get("text", "")).strip()[:20000]}
        for s in sections
        if str(s.get("heading", "")).strip() or str(s.get("text", "")).strip()
    ]
    report.sections = cleaned
    report.save(update_fields=["sections"])
    audit_record(
        actor=actor,
        action="plans.report_update",
        obj=report,
        org_unit=report.schedule.commune,
        changes={"sections": len(cleaned)},
    )
    return report


@transaction.atomic
def report_refresh(*, actor, report: PeriodicReport) -> PeriodicReport:
    """Read the figures again (while editable)."""
    report = _editable(actor, report)
    _fill(actor, report)
    report.save(update_fields=["figures", "rollup"])
    audit_record(actor=actor, action="plans.report_update", obj=report, org_unit=report.schedule.commune)
    return report


def reporter_body(schedule: ReportSchedule):
    """The reporter's issuing body, found as a plan's owner finds its own (`services.owner_bodies`: its first), or
    None when it has none: its report is then not entered in a register (its Word file is made on each download)."""
    from apps.documents.models import IssuingBody
    from apps.plans.services import owner_bodies

    if schedule.organisation_id:
        return IssuingBody.objects.filter(organisation=schedule.organisation_id).order_by("pk").first()
    return owner_bodies(school=schedule.school, org_unit=schedule.org_unit).first()


def _issue(actor, report: PeriodicReport, on: datetime.date):
    """The submitted report as an outgoing document of the reporter ("Số: 03/BC-…"), issued in its register with
    the figures as frozen; a report sent again (after a return, or as a reopened revision) is a new document that
    supersedes the one sent before, which stays in the register."""
    from apps.documents import services as documents

    body = reporter_body(report.schedule)
    if body is None:
        return None
    earlier = report.document if report.document_id else None
    if earlier is None and report.previous_id:
        earlier = report.previous.document
    title = report_documents.summary(report)
    if earlier is not None and earlier.symbol:
        title += f" (thay thế Báo cáo số {earlier.symbol})"
    return documents.document_issue(
        actor=actor,
        body=body,
        kind="bao_cao",
        summary=title,
        issued_on=on,
        build=lambda number_line, _symbol: report_documents.document(
            report, body=body, number_line=number_line, on=on, title=title
        ),
        supersedes=earlier,
    )


@transaction.atomic
def report_submit(*, actor, report: PeriodicReport) -> PeriodicReport:
    """Send to the receiving body: the figures (and roll-up) are read one last time and frozen, and the report is
    issued in the reporter's register (`_issue`; not when the reporter has no issuing body)."""
    report = _editable(actor, report)
    _fill(actor, report)
    now = timezone.now()
    report.status, report.frozen_at, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, now, actor
    document = _issue(actor, report, timezone.localdate(now))
    if document is not None:
        report.document = document
    report.save(update_fields=["figures", "rollup", "status", "frozen_at", "submitted_at", "submitted_by", "document"])
    changes = {"figures": {f["key"]: [f["numerator"], f["denominator"]] for f in report.figures}}
    if document is not None:
        changes["document"] = document.symbol
    audit_record(
        actor=actor,
        action="plans.report_submit",
        obj=report,
        org_unit=report.schedule.commune,
        changes=changes,
    )
    s = report.schedule
    _tell(
        _people(school=s.receiver_school, org_unit=s.receiver_unit),
        "plans.report_submitted",
        _("Báo cáo mới gửi: %(report)s") % {"report": str(report)},
        report,
    )
    return report


def _decided(actor, report: PeriodicReport) -> PeriodicReport:
    report = get_scoped_or_404(
        PeriodicReport.objects.select_related("schedule"), actor, MANAGE, pk=report.pk, lock=True
    )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt hoặc trả lại báo cáo đã gửi."))
    return report


@transaction.atomic
def report_return(*, actor, report: PeriodicReport, comment: str) -> PeriodicReport:
    report = _decided(actor, report)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"return_comment": _("Trả lại báo cáo cần ghi ý kiến.")})
    report.status, report.return_comment = ReportStatus.RETURNED, comment[:4000]
    report.save(update_fields=["status", "return_comment"])
    audit_record(
        actor=actor,
        action="plans.report_return",
        obj=report,
        org_unit=report.schedule.commune,
        changes={"comment": comment[:200]},
    )
    s = report.schedule
    _tell(
        _people(school=s.school, org_unit=s.org_unit, organisation=s.organisation),
        "plans.report_returned",
        _("Báo cáo bị trả lại: %(report)s") % {"report": str(report)},
        report,
    )
    return report


@transaction.atomic
def report_approve(*, actor, report: PeriodicReport) -> PeriodicReport:
    report = _decided(actor, report)
    report.status, report.approved_at, report.approved_by = ReportStatus.APPROVED, timezone.now(), actor
    report.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(actor=actor, action="plans.report_approve", obj=report, org_unit=report.schedule.commune)
    s = report.schedule
    _tell(
        _people(school=s.school, org_unit=s.org_unit, organisation=s.organisation),
        "plans.report_approved",
        _("Báo cáo đã được duyệt: %(report)s") % {"report": str(report)},
        report,
    )
    return report


@transaction.atomic
def report_reopen(*, actor, report: PeriodicReport, reason: str) -> PeriodicReport:
    """The approver reopens an approved report, with a reason: the approved revision stays as it was (marked
    reopened) and a new revision, a draft with its sections and figures, is returned."""
    report = get_scoped_or_404(
        PeriodicReport.objects.select_related("schedule"), actor, MANAGE, pk=report.pk, lock=True
    )
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Chỉ mở lại báo cáo đã duyệt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reopen_reason": _("Mở lại báo cáo cần ghi lý do.")})
    PeriodicReport.objects.filter(pk=report.pk).update(status=ReportStatus.REOPENED, reopen_reason=reason[:500])
    new = PeriodicReport.objects.create(
        schedule=report.schedule,
        period_start=report.period_start,
        period_end=report.period_end,
        period_label=report.period_label,
        deadline=report.deadline,
        revision=report.revision + 1,
        previous=report,
        figures=report.figures,
        sections=report.sections,
        rollup=report.rollup,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="plans.report_reopen",
        obj=report,
        org_unit=report.schedule.commune,
        changes={"reason": reason[:200], "revision": new.revision},
    )
    s = report.schedule
    _tell(
        _people(school=s.school, org_unit=s.org_unit, organisation=s.organisation),
        "plans.report_reopened",
        _("Báo cáo được mở lại: %(report)s") % {"report": str(report)},
        new,
    )
    return new
