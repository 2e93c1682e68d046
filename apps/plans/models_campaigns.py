"""Campaigns (chiến dịch, đợt vận động): the Action Month for Education ("Tháng hành động vì sự nghiệp giáo dục",
seed 002), a fundraising drive, or another campaign of a unit: its theme and slogan, its window and peak, its dated
events ("Ngày toàn dân đưa trẻ đến trường"), the tasks it gives each agency (plans' `Task`, one per commune when a
task goes to every commune of a unit), and the report each commune or school files by the deadline with the body
that compiles them, which is not always the issuer ("Giao Phòng GDĐT làm thường trực"). Donations raised for it are
linked here (`DonationCampaign`): funds sits below plans and knows nothing of campaigns.

Who: the issuing unit's officers and the receiving unit's officers write the campaign and read every report; the
units below the issuer (their officers and schools' staff) read the campaign; a commune's officers (a school's
principal) fill their own report; the staff of a school read it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.plans.owned import SchoolOrUnit

__all__ = [
    "FIGURES",
    "FIGURE_CODES",
    "Campaign",
    "CampaignEvent",
    "CampaignReport",
    "CampaignTask",
    "DonationCampaign",
    "PledgeCampaign",
    "campaign_q",
]


def campaign_q(scope, action: str, prefix: str = "") -> Q:
    """Which campaigns (reached through `prefix`) the scope may `action`: read by those under or over the issuer
    and by the receiving unit's officers; written by the officers of the issuing or the receiving unit itself."""
    p = prefix
    if action == VIEW:
        return (
            under(f"{p}org_unit__", scope.officer_paths)
            | under(f"{p}receiving_unit__", scope.officer_paths)
            | Q(**{f"{p}org_unit__in": scope.ancestor_ids()})
        )
    if action in (CHANGE, MANAGE):
        if not scope.officer_paths:
            return NOTHING
        return Q(**{f"{p}org_unit__path__in": scope.officer_paths}) | Q(
            **{f"{p}receiving_unit__path__in": scope.officer_paths}
        )
    return NOTHING


class CampaignQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return campaign_q(scope, action)


class Campaign(models.Model):
    """A campaign of a unit (issued by its People's Committee or its education office): a kind, a theme and a
    slogan, a window (1/8–1/9) with a peak (18–25/8), the receiving unit and body that compiles the reports and the
    deadline of those reports. An archived campaign is a past one, such as those made from the funds' free-text
    labels ("đợt vận động"), whose text is kept in `label`."""

    class Kind(models.TextChoices):
        ACTION_MONTH = "action_month", _("Tháng hành động vì sự nghiệp giáo dục")
        FUNDRAISING = "fundraising", _("Vận động quyên góp")
        OTHER = "other", pgettext_lazy("campaign kind", "Khác")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang triển khai")
        CLOSED = "closed", _("Đã kết thúc")
        ARCHIVED = "archived", _("Lưu trữ")

    kind = models.CharField(_("loại chiến dịch"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên chiến dịch"), max_length=300)
    theme = models.CharField(_("chủ đề"), max_length=500, blank=True)
    slogan = models.CharField(_("khẩu hiệu"), max_length=500, blank=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    receiving_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị tổng hợp"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_name = models.CharField(_("cơ quan thường trực tổng hợp"), max_length=200, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    peak_starts_on = models.DateField(_("cao điểm từ ngày"), null=True, blank=True)
    peak_ends_on = models.DateField(_("cao điểm đến ngày"), null=True, blank=True)
    report_due_on = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    label = models.CharField(_("nhãn đợt vận động cũ"), max_length=150, blank=True)  # the funds' text, as written
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="campaign_window_ordered"),
            models.CheckConstraint(
                condition=Q(peak_starts_on__isnull=True)
                | Q(peak_ends_on__isnull=True)
                | Q(peak_starts_on__lte=models.F("peak_ends_on")),
                name="campaign_peak_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def compiler(self) -> str:
        return self.receiving_name or str(self.receiving_unit)


class CampaignEvent(models.Model):
    """A dated event inside the campaign's window ("Ngày toàn dân đưa trẻ đến trường", the opening ceremony)."""

    scope_parent = "campaign"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("ngày"))
    title = models.CharField(_("sự kiện"), max_length=300)

    class Meta:
        verbose_name = _("sự kiện của chiến dịch")
        verbose_name_plural = _("sự kiện của chiến dịch")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return self.title


class CampaignTask(models.Model):
    """A campaign's task for one agency: the plans' `Task` (its status, evidence and reminders are the task's) and
    the batch it was sent in (one per commune when it went to every commune of a unit)."""

    scope_parent = "campaign"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_tasks")
    task = models.OneToOneField("plans.Task", on_delete=models.CASCADE, related_name="campaign_link")
    batch = models.PositiveIntegerField(_("đợt giao"), default=0)

    class Meta:
        ordering = ["task__due_on", "pk"]


class ReportQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            own = (
                under("org_unit__", scope.officer_paths)
                | Q(school__in=scope.staff_school_ids)
                | under("school__location__", scope.officer_paths)
            )
            return (
                own | under("campaign__receiving_unit__", scope.officer_paths) | campaign_q(scope, CHANGE, "campaign__")
            )
        if action == CHANGE:  # the reporting unit's own officers, the school's principal
            units = Q(org_unit__path__in=scope.officer_paths) if scope.officer_paths else NOTHING
            return units | Q(school__in=scope.principal_school_ids)
        if action == MANAGE:
            return campaign_q(scope, CHANGE, "campaign__")
        return NOTHING


# The figures a report holds, in the order of the district's roll-up: (code, label, unit).
FIGURES = (
    ("mobilised", _("Trẻ được vận động ra lớp"), _("trẻ")),
    ("returned", _("Học sinh bỏ học trở lại lớp"), _("học sinh")),
    ("grade10_absent", _("Trúng tuyển lớp 10 nhưng chưa ra lớp"), _("học sinh")),
    ("gifts", _("Suất quà đã tặng"), _("suất")),
    ("gifts_value", _("Giá trị quà (đồng)"), _("đồng")),
    ("scholarships", _("Suất học bổng đã cấp"), _("suất")),
    ("scholarships_value", _("Giá trị học bổng (đồng)"), _("đồng")),
    ("raised", _("Tiền, hiện vật vận động được (đồng)"), _("đồng")),
)
FIGURE_CODES = tuple(code for code, _label, _unit in FIGURES)


class CampaignReport(SchoolOrUnit, models.Model):
    """The report of one commune (or school) on the campaign, due on a day: the figures the system held for the
    window when the form was opened (`system`), the figures the unit reports (`figures`, each different one with
    its note in `notes`), and a narrative. Submitted, it is read-only; late when submitted after its due day (or
    still not submitted after it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa gửi")
        SUBMITTED = "submitted", _("Đã gửi")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("hạn báo cáo"))
    system = models.JSONField(_("số liệu hệ thống"), default=dict, blank=True)  # code → int
    figures = models.JSONField(_("số liệu báo cáo"), default=dict, blank=True)  # code → int
    notes = models.JSONField(_("giải trình"), default=dict, blank=True)  # code → text, where a figure differs
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("lúc gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo chiến dịch")
        verbose_name_plural = _("báo cáo chiến dịch")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, org_unit__isnull=True)
                | Q(school__isnull=True, org_unit__isnull=False),
                name="campaign_report_school_or_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "org_unit"], condition=Q(org_unit__isnull=False), name="campaign_report_unit_once"
            ),
            models.UniqueConstraint(
                fields=["campaign", "school"], condition=Q(school__isnull=False), name="campaign_report_school_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.reporter}"

    @property
    def reporter(self):
        return self.owner

    def value(self, code: str) -> int:
        return int(self.figures.get(code, self.system.get(code, 0)) or 0)

    def is_late(self, today) -> bool:
        if self.status == self.Status.SUBMITTED:
            return timezone.localdate(self.submitted_at) > self.due_on
        return today > self.due_on


class DonationCampaign(models.Model):
    """The campaign a donation was raised for (the donation's own free-text `campaign` stays as written)."""

    scope_parent = "donation"

    donation = models.OneToOneField("funds.Donation", on_delete=models.PROTECT, related_name="campaign_link")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donation_links")

    class Meta:
        verbose_name = _("khoản đóng góp cho chiến dịch")
        verbose_name_plural = _("khoản đóng góp cho chiến dịch")


class PledgeCampaign(models.Model):
    """The campaign a pledge was made in (the pledge's free-text `campaign` stays as written)."""

    scope_parent = "pledge"

    pledge = models.OneToOneField("funds.Pledge", on_delete=models.PROTECT, related_name="campaign_link")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledge_links")

    class Meta:
        verbose_name = _("cam kết cho chiến dịch")
        verbose_name_plural = _("cam kết cho chiến dịch")
