"""Plans (kế hoạch) and tasks (nhiệm vụ): a plan of a school or a unit with its legal basis, sections, targets,
annexes, recipients and signatories, agreed by the signing parties on a hash of its content, confirmed by the
confirming unit and issued through the documents app; its activities are tasks, one `Task` model that meetings
and campaigns will use too.

Who: a school's plan is written by its principal (a unit's by that unit's officers), read by the school's staff,
the officers over it and the partner officers of its signing organisations, and confirmed by the officers of its
confirming unit (the commune for a school's plan). A task's status, evidence and comments are seen by its owner
party and by the plan's owner and the officers over it; never by another organisation."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.plans.owned import SchoolOrUnit


def plan_q(scope, action: str, prefix: str = "") -> Q:
    """Which plans (reached through `prefix`) the scope may `action`."""
    p = prefix
    if action == VIEW:
        signing = (
            Q(**{f"{p}pk__in": Signatory.objects.filter(organisation__in=scope.organisation_ids).values("plan")})
            if scope.organisation_ids
            else NOTHING
        )
        return (
            Q(**{f"{p}school__in": scope.staff_school_ids})
            | under(f"{p}school__managed_by__", scope.officer_paths)
            | under(f"{p}school__location__", scope.officer_paths)
            | under(f"{p}org_unit__", scope.officer_paths)
            | under(f"{p}confirming_unit__", scope.officer_paths)
            | signing
        )
    if action == CHANGE:  # writing: the school's principal, the unit's own officers
        units = Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
        return Q(**{f"{p}school__in": scope.principal_school_ids}) | units
    if action == MANAGE:  # confirming: the officers of the confirming unit itself
        return Q(**{f"{p}confirming_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
    return NOTHING


class PlanQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return plan_q(scope, action)


class PlanChildQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return plan_q(scope, VIEW if action == VIEW else CHANGE, "plan__")


class Kind(models.TextChoices):
    SOCIALISATION = "socialisation", _("Xã hội hóa giáo dục")
    COORDINATION = "coordination", _("Phối hợp")
    ENROLMENT = "enrolment", _("Huy động trẻ đến trường và duy trì sĩ số")
    CAMPAIGN = "campaign", _("Chiến dịch")
    STANDARD = "standard", _("Xây dựng trường đạt chuẩn quốc gia")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    IN_AGREEMENT = "in_agreement", _("Đang lấy ý kiến thống nhất")
    AWAITING = "awaiting_confirmation", _("Chờ xác nhận")
    ISSUED = "issued", _("Đã ban hành")
    SUPERSEDED = "superseded", _("Đã được thay thế")


EDITABLE = (Status.DRAFT, Status.IN_AGREEMENT)


class Plan(SchoolOrUnit, models.Model):
    """A plan (kế hoạch) of a school or a unit for a period (several years allowed), optionally a school year; the
    plan it implements; its legal basis (căn cứ), its five sections, annexes (phụ lục), recipients (nơi nhận); one
    version of it: an amendment is a new plan with `previous` set, issued under a new number that replaces the
    old one. Issued, it is read-only and its Word file is the register's document."""

    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại kế hoạch"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("trích yếu"), max_length=300)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    school_year = models.ForeignKey(
        "schools.SchoolYear",
        verbose_name=_("năm học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implements = models.ForeignKey(
        "self", verbose_name=_("thực hiện kế hoạch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implements_text = models.CharField(_("thực hiện văn bản"), max_length=300, blank=True)
    basis = models.JSONField(_("căn cứ"), default=list, blank=True)  # ["Căn cứ …", …]
    purposes = models.TextField(_("mục đích, yêu cầu"), blank=True)
    contents = models.TextField(_("nội dung và giải pháp"), blank=True)
    targets_text = models.TextField(_("chỉ tiêu (lời dẫn)"), blank=True)
    organisation_text = models.TextField(_("tổ chức thực hiện"), blank=True)
    reporting = models.TextField(_("chế độ báo cáo"), blank=True)
    annexes = models.JSONField(_("phụ lục"), default=list, blank=True)  # [{"title": …, "text": …}]
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)  # [{"name": …, "purpose": …}]
    confirming_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.ForeignKey(
        "documents.IssuingBody", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=25, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("lần"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("thay thế kế hoạch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("ngày xác nhận"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, org_unit__isnull=True)
                | Q(school__isnull=True, org_unit__isnull=False),
                name="plan_school_or_unit",
            ),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="plan_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class Signatory(models.Model):
    """A party that signs the plan (or confirms it: "XÁC NHẬN CỦA UBND XÃ"), in order left to right: its label
    ("MẶT TRẬN TỔ QUỐC XÃ", "CT.CĐCS"), the prefix lines stacked above the title ("TM. ỦY BAN NHÂN DÂN XÃ" over
    "KT. CHỦ TỊCH"), the title and the name; the account that agrees for it (an organisation's partner officers, a
    unit's officers, a school's principal, one user), or none: the owner then records it as signed on paper, with
    the scan. An agreement holds the plan's content hash of that moment: any later edit voids it."""

    class Role(models.TextChoices):
        SIGN = "sign", _("Ký")
        CONFIRM = "confirm", _("Xác nhận")

    scope_parent = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.SIGN)
    party = models.CharField(_("bên ký"), max_length=150, blank=True)
    title = models.CharField(_("chức vụ"), max_length=150)
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    prefixes = models.JSONField(_("dòng thẩm quyền"), default=list, blank=True)  # ["TM. …", "KT. …"]
    organisation = models.ForeignKey(
        "schools.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_hash = models.CharField(max_length=64, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    on_paper = models.BooleanField(_("ký trên giấy"), default=False)
    scan = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("bên ký")
        verbose_name_plural = _("các bên ký")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.party or self.title

    @property
    def has_account(self) -> bool:
        return bool(self.organisation_id or self.org_unit_id or self.school_id or self.user_id)

    def agreed(self, content_hash: str) -> bool:
        return bool(self.agreed_hash) and self.agreed_hash == content_hash


class PlanTarget(models.Model):
    """A target of the plan: computed by the indicator engine (an indicator and level for the plan's owner, or a
    registered target of a linkable kind, `apps.plans.linkable`), with its own comparison and value; or attested
    (qualitative: "Họp, phối hợp với nhà trường thường xuyên"), met or not, with evidence."""

    class Mode(models.TextChoices):
        COMPUTED = "computed", _("Tính từ số liệu")
        ATTESTED = "attested", _("Xác nhận đạt/không đạt")

    scope_parent = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    mode = models.CharField(_("cách đánh giá"), max_length=10, choices=Mode.choices, default=Mode.ATTESTED)
    indicator = models.CharField(_("chỉ số"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp học"), default=0)
    link_kind = models.CharField(_("loại chỉ tiêu liên kết"), max_length=40, blank=True)
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=2, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=15, decimal_places=3, null=True, blank=True)
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    note = models.CharField(_("minh chứng, ghi chú"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        "documents.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class TaskQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        own = (
            (Q(owner_organisation__in=scope.organisation_ids) if scope.organisation_ids else NOTHING)
            | (Q(owner_user=scope.user_id) if scope.user_id else NOTHING)
            | Q(owner_school__in=scope.principal_school_ids if action != VIEW else scope.staff_school_ids)
            | (
                under("owner_unit__", scope.officer_paths)
                if action == VIEW
                else (Q(owner_unit__path__in=scope.officer_paths) if scope.officer_paths else NOTHING)
            )
        )
        if action == VIEW:
            holders = (
                Q(plan__school__in=scope.staff_school_ids)
                | under("plan__school__managed_by__", scope.officer_paths)
                | under("plan__org_unit__", scope.officer_paths)
            )
            return own | holders
        return own | plan_q(scope, CHANGE, "plan__")


class Task(models.Model):
    """A task (nhiệm vụ, hoạt động): for a plan now, for meetings and campaigns later. Its owner is a party: a unit,
    a school, an organisation, a user, or a named agency with no account ("Trưởng trạm y tế"); due a day, or a month
    range ("10+11/2025": due the range's last day). Planned → in progress → done (with a note or evidence) or
    cancelled (with a reason); late is derived: not done nor cancelled after its due day."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    class Owner(models.TextChoices):
        UNIT = "unit", _("Đơn vị")
        SCHOOL = "school", _("Trường")
        ORGANISATION = "organisation", _("Tổ chức")
        USER = "user", _("Cá nhân")
        AGENCY = "agency", _("Cơ quan, người không có tài khoản")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("nội dung công việc"), max_length=500)
    owner_kind = models.CharField(_("loại người thực hiện"), max_length=15, choices=Owner.choices)
    owner_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "schools.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(_("người, cơ quan thực hiện"), max_length=200, blank=True)
    due_on = models.DateField(_("hạn"))
    month_start = models.DateField(_("từ tháng"), null=True, blank=True)  # the 1st of the range's first month
    month_end = models.DateField(_("đến tháng"), null=True, blank=True)  # the 1st of its last month
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("kết quả"), blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_on", "order", "pk"]

    def __str__(self) -> str:
        return self.title[:120]

    @property
    def owner_label(self) -> str:
        found = self.owner_unit or self.owner_school or self.owner_organisation
        if found is not None:
            return str(found)
        if self.owner_user_id:
            return self.owner_user.get_full_name() or self.owner_user.username
        return self.owner_name

    @property
    def when(self) -> str:
        """ "10+11/2025" for a month range, "10/2025" for one month, "05/09/2025" for a day."""
        if self.month_start:
            end = self.month_end or self.month_start
            if end == self.month_start:
                return f"{self.month_start.month}/{self.month_start.year}"
            if end.year == self.month_start.year:
                months = "+".join(str(m) for m in range(self.month_start.month, end.month + 1))
                return f"{months}/{end.year}"
            return f"{self.month_start.month}/{self.month_start.year}-{end.month}/{end.year}"
        return f"{self.due_on:%d/%m/%Y}"

    def is_late(self, today: datetime.date | None = None) -> bool:
        return self.status in self.OPEN and self.due_on < (today or timezone.localdate())


class TaskComment(models.Model):
    """A comment on a task, by its owner or the plan's owner."""

    scope_parent = "task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class TaskEvidence(models.Model):
    """A file that shows a task done (a photo, minutes, a list), accepted by `apps.documents.attachments` (content
    checked, images re-encoded without location), downloaded only by those who see the task."""

    scope_parent = "task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="plans/evidence/%Y/")
    filename = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class TaskReminder(models.Model):
    """A reminder sent for a task: 7 and 1 days before its due day, and once when late; kept so each goes once."""

    class Kind(models.TextChoices):
        DAYS_7 = "due7", _("Còn 7 ngày")
        DAYS_1 = "due1", _("Còn 1 ngày")
        LATE = "late", _("Quá hạn")

    scope_parent = "task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "kind"], name="task_reminder_once")]


from apps.plans.models_campaigns import *  # noqa: E402, F403  campaigns: their own module (issue 19)
from apps.plans.models_meetings import *  # noqa: E402,F401,F403 (meetings: their own module)
from apps.plans.models_reports import *  # noqa: E402,F401,F403 (periodic reports: their own module)
