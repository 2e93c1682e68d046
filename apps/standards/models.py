"""National standard schools (trường chuẩn quốc gia, Circulars 17, 18 and 19/2018, amended by 22/2024): the criteria
sets as data, a school's self-assessment cycles with their council, ratings and evidence, its target level, its
construction roadmap and the recognition decisions it holds (issue 20, seed 004)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.models import School, school_q


class SetKind(models.TextChoices):
    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    SECONDARY = "secondary", _("Trung học")


class CriteriaSetQuerySet(ScopedQuerySet):
    """Reference data every signed-in user reads; only system administrators (who pass every scope) change it."""

    def scope_q(self, scope, action):
        return Q() if action == VIEW and not scope.is_empty else NOTHING


class CriteriaSet(models.Model):
    """A set of criteria for one kind of school as a circular states it: five standards, their criteria, the
    indicators of assessment levels 1–3 and level 4's extra requirements; the rule turning criteria into levels,
    how long a recognition lasts and how early a school re-registers are data of the set. `verified`: a system
    administrator has checked every text against the official document — only then are levels derived from it."""

    code = models.SlugField(_("mã bộ tiêu chuẩn"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ tiêu chuẩn"), max_length=255)
    circular = models.CharField(_("văn bản quy định"), max_length=120, blank=True)
    kind = models.CharField(_("loại trường"), max_length=10, choices=SetKind.choices)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    verified = models.BooleanField(_("đã xác minh"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # national standard level → the assessment level it needs ({"1": 2, "2": 3}); assessment levels are cumulative.
    national_levels = models.JSONField(_("quy tắc mức chuẩn quốc gia"), default=dict)
    validity_years = models.PositiveSmallIntegerField(_("thời hạn công nhận (năm)"), default=5)
    reregister_months = models.PositiveSmallIntegerField(_("đăng ký lại trước khi hết hạn (tháng)"), default=5)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chuẩn")
        verbose_name_plural = _("bộ tiêu chuẩn")
        ordering = ["kind", "-effective_from", "code"]

    def __str__(self) -> str:
        return self.name

    def required_level(self, national_level: int) -> int | None:
        value = self.national_levels.get(str(national_level))
        return int(value) if value is not None else None


class Standard(models.Model):
    """One of a set's five standards (tiêu chuẩn)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="standards")
    number = models.PositiveSmallIntegerField(_("tiêu chuẩn số"))
    title = models.CharField(_("tên tiêu chuẩn"), max_length=255, blank=True)

    scope_parent = "criteria_set"

    class Meta:
        verbose_name = _("tiêu chuẩn")
        ordering = ["criteria_set", "number"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "number"], name="standard_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.title else str(_("Tiêu chuẩn %(n)s") % {"n": self.number})


class Criterion(models.Model):
    """A criterion (tiêu chí) of a standard, "1.10"; its text empty while nobody has loaded the official one."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("tiêu chí số"))
    text = models.TextField(_("nội dung tiêu chí"), blank=True)

    scope_parent = "standard"

    class Meta:
        verbose_name = _("tiêu chí")
        ordering = ["standard__number", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="criterion_number")]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.standard.number}.{self.number}"


class Indicator(models.Model):
    """An indicator (chỉ báo) of a criterion at one assessment level (1–3), "a)"; or one of level 4's extra
    requirements of the set (no criterion, level 4)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="indicators")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators")
    level = models.PositiveSmallIntegerField(_("mức"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    label = models.CharField(_("chỉ báo"), max_length=10)  # "a", "b"… (level 4: "1", "2"…)
    text = models.TextField(_("nội dung chỉ báo"), blank=True)

    scope_parent = "criteria_set"

    class Meta:
        verbose_name = _("chỉ báo")
        ordering = ["criterion__standard__number", "criterion__number", "level", "label"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "criterion", "level", "label"], name="indicator_label"),
            models.UniqueConstraint(
                fields=["criteria_set", "label"], condition=Q(criterion__isnull=True), name="extra_label"
            ),
        ]

    def __str__(self) -> str:
        if self.criterion_id is None:
            return str(_("Mức 4, yêu cầu %(n)s") % {"n": self.label})
        return f"{self.criterion.code} · {_('Mức')} {self.level} {self.label})"


def _school_scoped(prefix: str):
    class QuerySet(ScopedQuerySet):
        def scope_q(self, scope, action):
            return school_q(scope, action, prefix)

    return QuerySet


class Cycle(models.Model):
    """A self-assessment (tự đánh giá) of one school on the set it started with (kept even when a newer set is
    loaded): its council, criteria assigned to members, ratings and evidence. Open while the council works."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang tự đánh giá")
        CLOSED = "closed", _("Đã kết thúc")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chuẩn"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=6, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    objects = _school_scoped("school__").as_manager()

    class Meta:
        verbose_name = _("đợt tự đánh giá")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="cycle_school_year")]

    def __str__(self) -> str:
        return f"{self.school} · {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CouncilMember(models.Model):
    """A member of the self-assessment council (hội đồng tự đánh giá); `user` when they sign in to edit the
    criteria assigned to them."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch")
        VICE = "vice", _("Phó Chủ tịch")
        SECRETARY = "secretary", _("Thư ký")
        MEMBER = "member", _("Ủy viên")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    role = models.CharField(_("nhiệm vụ"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope_parent = "cycle"

    class Meta:
        verbose_name = _("thành viên hội đồng")
        ordering = ["cycle", "pk"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """The council's work on one criterion in a cycle: who writes it, the current state, strengths, weaknesses.
    The level reached is derived from the ratings (`apps.standards.rules`)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        CouncilMember, verbose_name=_("người phụ trách"), null=True, blank=True, on_delete=models.SET_NULL
    )
    current_state = models.TextField(_("mô tả hiện trạng"), blank=True)
    strengths = models.TextField(_("điểm mạnh"), blank=True)
    weaknesses = models.TextField(_("điểm yếu"), blank=True)

    scope_parent = "cycle"

    class Meta:
        verbose_name = _("đánh giá tiêu chí")
        constraints = [models.UniqueConstraint(fields=["cycle", "criterion"], name="assessment_criterion")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.criterion}"


class ImprovementTask(models.Model):
    """An item of a criterion's improvement plan (kế hoạch cải tiến chất lượng): a task of the plans app (`plans.Task`,
    owned by the school, its status, evidence and comments kept there) linked to the criterion's assessment it
    improves and, when the council says which, to one indicator of that criterion. `responsible` names the person
    or group the plan gives it to ("Tổ chuyên môn 1"), who need not have an account."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="improvements")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("cải tiến chỉ báo"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.OneToOneField("plans.Task", on_delete=models.CASCADE, related_name="improvement")
    responsible = models.CharField(_("người thực hiện"), max_length=120, blank=True)

    scope_parent = "assessment"

    class Meta:
        verbose_name = _("kế hoạch cải tiến")
        ordering = ["assessment", "task__due_on", "pk"]

    def __str__(self) -> str:
        return str(self.task)


class Rating(models.Model):
    """The council's rating of one indicator in a cycle: met or not, with a note."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("đạt"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now=True)

    scope_parent = "cycle"

    class Meta:
        verbose_name = _("đánh giá chỉ báo")
        constraints = [models.UniqueConstraint(fields=["cycle", "indicator"], name="rating_indicator")]


class Evidence(models.Model):
    """An evidence item (minh chứng) of a cycle, coded `[H1-1.10-01]`: box, standard.criterion of the criterion it
    was first filed for, number; one code however many criteria use it. Its file goes through the documents'
    attachment service (content checked, images stripped)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    code = models.CharField(_("mã minh chứng"), max_length=30)
    box = models.PositiveSmallIntegerField(_("hộp"), validators=[MinValueValidator(1)])
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    first_criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    criteria = models.ManyToManyField(Criterion, related_name="+", verbose_name=_("dùng cho tiêu chí"))
    title = models.CharField(_("tên minh chứng"), max_length=300)
    reference = models.CharField(_("số, ngày ban hành"), max_length=120, blank=True)
    issuer = models.CharField(_("nơi ban hành"), max_length=200, blank=True)
    attachment = models.ForeignKey(
        "documents.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope_parent = "cycle"

    class Meta:
        verbose_name = _("minh chứng")
        ordering = ["box", "first_criterion__standard__number", "first_criterion__number", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="evidence_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Target(models.Model):
    """A school's target: national standard level 1 or 2 by a year (seed 004: "đạt chuẩn Quốc gia mức độ II cuối
    năm 2023")."""

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("mức chuẩn quốc gia"), choices=[(1, _("Mức độ 1")), (2, _("Mức độ 2"))])
    year = models.PositiveSmallIntegerField(_("năm đạt"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = _school_scoped("school__").as_manager()

    class Meta:
        verbose_name = _("mục tiêu chuẩn quốc gia")
        ordering = ["school", "year"]
        constraints = [models.UniqueConstraint(fields=["school", "level"], name="standards_target_level")]

    def __str__(self) -> str:
        return f"{self.school} · {self.level} · {self.year}"


class ItemKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Nhà hiệu bộ")
    CLASSROOMS = "classrooms", _("Phòng học")
    FUNCTIONAL = "functional", _("Phòng học chức năng")
    HALL = "hall", _("Nhà tập đa năng")
    CANTEEN = "canteen", _("Nhà ăn")
    WALLS = "walls", _("Tường bao")
    GATE = "gate", _("Cổng trường")
    GUARD = "guard", _("Nhà bảo vệ")
    PARKING = "parking", _("Nhà để xe")
    DRAINAGE = "drainage", _("Hệ thống cống, thoát nước")
    PLAYGROUND = "playground", _("Sân chơi")
    POOL = "pool", _("Bể bơi")
    EQUIPMENT = "equipment", _("Thiết bị")
    LAND = "land", _("Mở rộng khuôn viên, đất")


class ConstructionItem(models.Model):
    """An item of a school's construction roadmap (lộ trình xây dựng cơ sở vật chất): what, the year planned and
    the milestone day, the investor, the budget, where it stands; linked to the indicators it would satisfy."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Kế hoạch")
        BUILDING = "building", _("Đang thi công")
        HANDED_OVER = "handed_over", _("Đã bàn giao")
        IN_USE = "in_use", _("Đưa vào sử dụng")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("hạng mục"), max_length=16, choices=ItemKind.choices)
    name = models.CharField(_("tên công trình"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm thực hiện"))
    due_on = models.DateField(_("mốc hoàn thành"))
    investor = models.CharField(_("chủ đầu tư"), max_length=120)
    budget = models.PositiveBigIntegerField(_("tổng mức đầu tư (₫)"), default=0)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)])
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="items", verbose_name=_("đáp ứng chỉ báo"))

    objects = _school_scoped("school__").as_manager()

    class Meta:
        verbose_name = _("hạng mục công trình")
        ordering = ["year", "school", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.HANDED_OVER, self.Status.IN_USE)


class Source(models.TextChoices):
    STATE = "state", _("Ngân sách nhà nước")
    LAND = "land", _("Nguồn đấu giá quyền sử dụng đất")
    SOCIAL = "social", _("Xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class Funding(models.Model):
    """Money for a construction item from one source. Socialisation comes through the funds app — a payout of a
    fund (its purpose, posting and balance rules apply) or a pledge — never typed here."""

    item = models.ForeignKey(ConstructionItem, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("nguồn vốn"), max_length=8, choices=Source.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (₫)"))
    payout = models.ForeignKey("funds.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pledge = models.ForeignKey("funds.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_parent = "item"

    class Meta:
        verbose_name = _("nguồn kinh phí")
        ordering = ["item", "pk"]


class Photo(models.Model):
    """A photo of a construction item's progress (an attachment of the school's issuing body)."""

    item = models.ForeignKey(ConstructionItem, on_delete=models.CASCADE, related_name="photos")
    attachment = models.ForeignKey("documents.Attachment", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)

    scope_parent = "item"


class Recognition(models.Model):
    """A recognition decision: quality accreditation (kiểm định, Cấp độ 1–4) or national standard (chuẩn quốc gia,
    Mức độ 1–2), with its issuer, number, date and the day it expires."""

    class Kind(models.TextChoices):
        ACCREDITATION = "accreditation", _("Kiểm định chất lượng")
        NATIONAL = "national", _("Trường chuẩn quốc gia")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại quyết định"), max_length=14, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(
        _("cấp độ, mức độ"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    issuer = models.CharField(_("cơ quan quyết định"), max_length=200)
    number = models.CharField(_("số quyết định"), max_length=60)
    issued_on = models.DateField(_("ngày quyết định"))
    valid_until = models.DateField(_("có giá trị đến"))
    reminded_on = models.DateField(null=True, blank=True)  # the day the managing unit was told to re-register
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = _school_scoped("school__").as_manager()

    class Meta:
        verbose_name = _("quyết định công nhận")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} · {self.school}"


def committee_q(scope, action: str, prefix: str = "") -> Q:
    """Which steering committees (reached through `prefix`) the scope may `action`: seen by the officers of its unit
    and of the units above it and by the staff of the schools that unit manages; changed by the officers of the
    unit itself (the commune's people's committee sets it up)."""
    p = prefix
    if action == VIEW:
        staff = School.objects.filter(pk__in=scope.staff_school_ids)
        schools = (
            Q(**{f"{p}org_unit__in": staff.values("managed_by")}) | Q(**{f"{p}org_unit__in": staff.values("location")})
            if scope.staff_school_ids
            else NOTHING
        )
        return under(f"{p}org_unit__", scope.officer_paths) | schools
    return Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING


class CommitteeQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return committee_q(scope, action)


class SteeringCommittee(models.Model):
    """The steering committee for building national standard schools (ban chỉ đạo xây dựng trường chuẩn quốc gia) of
    a unit, set up by its decision (seed 004: "UBND xã thành lập ban chỉ đạo … do đồng chí Phó chủ tịch UBND xã làm
    trưởng ban"); it gives its members their duties, inspects, reports yearly to the Party committee and reviews the
    plan at mid-term."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên ban chỉ đạo"), max_length=255)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)  # blank: not known
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan quyết định"), max_length=200)
    period_from = models.PositiveSmallIntegerField(_("giai đoạn từ năm"))
    period_to = models.PositiveSmallIntegerField(_("đến năm"))
    review_on = models.DateField(_("sơ kết giữa nhiệm kỳ"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period_to")), name="committee_period"),
        ]

    def __str__(self) -> str:
        return self.name


class SteeringMember(models.Model):
    """A member of a steering committee: who (a name, the position held outside it), the role in it, the party they
    speak for (an organisation, a school or nobody) and their duty in words ("tham mưu chỉ đạo, hướng dẫn hoạt động
    Y tế học đường"); the duties they are given become tasks (`SteeringDuty`)."""

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó Trưởng ban")
        STANDING = "standing", _("Ủy viên thường trực")
        MEMBER = "member", _("Ủy viên")
        SECRETARY = "secretary", _("Thư ký")

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("họ tên"), max_length=120, blank=True)  # the plan may name the position only
    position = models.CharField(_("chức vụ"), max_length=200)
    role = models.CharField(_("vai trò trong ban"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    duty = models.TextField(_("nhiệm vụ được phân công"), blank=True)
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope_parent = "committee"

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        ordering = ["committee", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee"], condition=Q(role="head"), name="committee_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.name else self.position


class SteeringDuty(models.Model):
    """A duty the committee gives one of its members: a task of the plans app owned by the member's party (their
    organisation, their school, their account, or the committee's unit), its progress followed there."""

    member = models.ForeignKey(SteeringMember, on_delete=models.PROTECT, related_name="duties")
    task = models.OneToOneField("plans.Task", on_delete=models.CASCADE, related_name="steering_duty")

    scope_parent = "member"

    class Meta:
        verbose_name = _("nhiệm vụ của thành viên ban chỉ đạo")
        ordering = ["member", "task__due_on", "pk"]

    def __str__(self) -> str:
        return str(self.task)


class SteeringInspection(models.Model):
    """An inspection by the steering committee (kiểm tra, giám sát), of a school or of its members' work: when,
    what was inspected, the conclusion; each finding to act on becomes a task (`InspectionFinding`)."""

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.PROTECT, related_name="inspections")
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày kiểm tra"))
    subject = models.CharField(_("nội dung kiểm tra"), max_length=300)
    conclusion = models.TextField(_("kết luận"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_parent = "committee"

    class Meta:
        verbose_name = _("đợt kiểm tra của ban chỉ đạo")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.subject}"


class InspectionFinding(models.Model):
    """A finding of an inspection that asks for something to be done: a task of the plans app, owned by the school
    inspected (or the committee's unit)."""

    inspection = models.ForeignKey(SteeringInspection, on_delete=models.PROTECT, related_name="findings")
    task = models.OneToOneField("plans.Task", on_delete=models.CASCADE, related_name="inspection_finding")

    scope_parent = "inspection"

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        ordering = ["inspection", "pk"]
