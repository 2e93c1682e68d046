"""Periodic reports (báo cáo định kỳ): a schedule as data (who reports — a unit, a school or an organisation — to
which receiving body, for which period: month, quarter, semester or year, by how many days after the period's end),
and the reports filed under it: prefilled from indicators, funds and cases, with narrative sections, their figures
(numerators and denominators) frozen on submit; submitted → approved, or returned with a comment and submitted
again; approved, it is locked; the approver may reopen it with a reason, as a new revision. A receiving body's
own report adds up the approved reports of those reporting to it and lists the missing and late ones.

Who: the reporter's people write and submit (a school's principal, a unit's own officers, an organisation's partner
officers); the receiving body's officers (a school's principal, for its organisations) approve, return and reopen;
both sides and the officers over them read."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.owners import OwnedByOne, one_owner

__all__ = ["ReportPeriod", "ReportSchedule", "ReportStatus", "PeriodicReport", "REPORT_EDITABLE", "schedule_q"]


def schedule_q(scope, action: str, prefix: str = "") -> Q:
    p = prefix
    orgs = Q(**{f"{p}organisation__in": scope.organisation_ids}) if scope.organisation_ids else NOTHING
    receiver = (Q(**{f"{p}receiver_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING) | Q(
        **{f"{p}receiver_school__in": scope.principal_school_ids}
    )
    if action == VIEW:
        return (
            Q(**{f"{p}school__in": scope.staff_school_ids})
            | under(f"{p}school__location__", scope.officer_paths)
            | under(f"{p}school__managed_by__", scope.officer_paths)
            | under(f"{p}org_unit__", scope.officer_paths)
            | orgs
            | under(f"{p}organisation__org_unit__", scope.officer_paths)
            | Q(**{f"{p}organisation__school__in": scope.staff_school_ids})
            | under(f"{p}receiver_unit__", scope.officer_paths)
            | Q(**{f"{p}receiver_school__in": scope.staff_school_ids})
        )
    if action == CHANGE:  # the reporter's own people
        units = Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
        return Q(**{f"{p}school__in": scope.principal_school_ids}) | units | orgs
    if action == MANAGE:  # the receiving body's
        return receiver
    return NOTHING


class ScheduleQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return schedule_q(scope, action)


class ReportQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return schedule_q(scope, action, "schedule__")


class ReportPeriod(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    SEMESTER = "semester", _("Học kỳ")
    YEAR = "year", _("Năm học")


class ReportSchedule(OwnedByOne, models.Model):
    """Who reports (exactly one of a school, a unit, an organisation) to which receiving body (a unit, or a school
    for its own organisations), every which period, due `deadline_days` after the period's last day."""

    title = models.CharField(_("tên báo cáo"), max_length=300)
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị nhận báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver_school = models.ForeignKey(
        "schools.School",
        verbose_name=_("trường nhận báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10, choices=ReportPeriod.choices)
    deadline_days = models.PositiveSmallIntegerField(_("hạn nộp (số ngày sau kỳ)"), default=10)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")
        ordering = ["title", "pk"]
        constraints = [
            one_owner("report_schedule_has_one_reporter"),
            models.CheckConstraint(
                condition=Q(receiver_unit__isnull=False, receiver_school__isnull=True)
                | Q(receiver_unit__isnull=True, receiver_school__isnull=False),
                name="report_schedule_one_receiver",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reporter(self):
        return self.school or self.org_unit or self.organisation

    @property
    def receiver(self):
        return self.receiver_unit or self.receiver_school


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")
    REOPENED = "reopened", _("Đã mở lại (bản mới)")


REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class PeriodicReport(models.Model):
    """One revision of a reporter's report for one period. `figures`: [{"key", "label", "source", "numerator",
    "denominator"}] (live while editable, frozen on submit); `sections`: [{"heading", "text"}]; `rollup`: the
    receiving body's own report's count of the reports under it ({"included": [...], "missing": [...], "late":
    [...]}), frozen with the figures. A reopened report stays as it was; its next revision carries `previous`.
    `document`: the register entry issued when it was last submitted (the reporter's "Số: …/BC-…"; a report
    returned and submitted again is issued anew, superseding the earlier one, which stays in the register)."""

    scope_parent = "schedule"

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_label = models.CharField(_("kỳ"), max_length=60)
    deadline = models.DateField(_("hạn nộp"))
    revision = models.PositiveSmallIntegerField(_("lần"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField(_("số liệu báo cáo"), default=list, blank=True)
    sections = models.JSONField(_("các mục nội dung"), default=list, blank=True)
    rollup = models.JSONField(default=dict, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("ý kiến trả lại"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.CharField(_("lý do mở lại"), max_length=500, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period_start", "schedule", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_start", "revision"], name="periodic_report_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.title} — {self.period_label}"

    @property
    def editable(self) -> bool:
        return self.status in REPORT_EDITABLE

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Submitted after its deadline, or still not submitted past it."""
        if self.submitted_at is not None:
            from django.utils import timezone

            return timezone.localdate(self.submitted_at) > self.deadline
        from django.utils import timezone

        return (today or timezone.localdate()) > self.deadline
