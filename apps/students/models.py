import datetime
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import MANAGE, VIEW, ScopedQuerySet, under
from apps.schools.models import Level, school_q
from apps.students.identity import ethnicity_table


def choice_labels(choices: type[models.Choices]) -> dict[str, str]:
    """{value: label} of `choices` in the active language, translated once per language: a lazy label translates on
    each use (`get_FOO_display()` hashes every label of the field's choices, a gettext each), which was most of the
    time of a province's 3,000-row export."""
    return _choice_labels(choices, get_language())


@cache
def _choice_labels(choices: type[models.Choices], language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def ethnicity_name(code: str) -> str:
    """The ethnic group's name from its code (the list in `identity.ETHNICITIES`); "" for a code not in it."""
    return ethnicity_table()[0].get(code, "")


def status_label(status: str | None) -> str:
    """An enrolment's status (`EnrolmentQuerySet.with_status()`'s annotation) in words; "" when it has none."""
    return choice_labels(EnrolmentEvent.Kind)[status] if status else ""


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Grade(models.TextChoices):
    """Where a child sits: creche age groups (months), kindergarten age groups (years), grades 1–12."""

    CRECHE_3_12 = "NT1", _("Nhà trẻ 3–12 tháng")
    CRECHE_13_24 = "NT2", _("Nhà trẻ 13–24 tháng")
    CRECHE_25_36 = "NT3", _("Nhà trẻ 25–36 tháng")
    KINDER_3 = "MG3", _("Mẫu giáo 3 tuổi (bé)")
    KINDER_4 = "MG4", _("Mẫu giáo 4 tuổi (nhỡ)")
    KINDER_5 = "MG5", _("Mẫu giáo 5 tuổi (lớn)")
    G1 = "1", _("Lớp 1")
    G2 = "2", _("Lớp 2")
    G3 = "3", _("Lớp 3")
    G4 = "4", _("Lớp 4")
    G5 = "5", _("Lớp 5")
    G6 = "6", _("Lớp 6")
    G7 = "7", _("Lớp 7")
    G8 = "8", _("Lớp 8")
    G9 = "9", _("Lớp 9")
    G10 = "10", _("Lớp 10")
    G11 = "11", _("Lớp 11")
    G12 = "12", _("Lớp 12")


def level_of(grade: str) -> Level:
    """The school level a grade belongs to."""
    if grade.startswith("NT"):
        return Level.CRECHE
    if grade.startswith("MG"):
        return Level.KINDERGARTEN
    number = int(grade)
    return Level.PRIMARY if number <= 5 else Level.LOWER_SECONDARY if number <= 9 else Level.UPPER_SECONDARY


def levels_teaching(grade: str) -> int:
    """The levels (as bits) whose schools may teach a grade: continuing-education centres teach the
    secondary grades too."""
    level = level_of(grade)
    return level | Level.CONTINUING if level in (Level.LOWER_SECONDARY, Level.UPPER_SECONDARY) else level


class Consent(models.TextChoices):
    """The legal basis for processing a child's data (Law 91/2025, Decree 356/2025)."""

    PUBLIC_DUTY = "public_duty", _("Thực hiện nhiệm vụ công (phổ cập, quản lý giáo dục)")
    PARENT_CONSENT = "parent_consent", _("Cha mẹ, người giám hộ đồng ý")
    NOT_RECORDED = "not_recorded", _("Chưa ghi nhận")


def enrolments_seen_by(scope):
    """Enrolments the scope may read: from the school's location or managing unit (officers), the principal's
    school, and for a teacher only the classes they are assigned to."""
    return (
        under("school__managed_by__", scope.officer_paths)
        | under("school__location__", scope.officer_paths)
        | Q(school__in=scope.principal_school_ids)
        | Q(class_group__teacher_assignments__teacher_id=scope.user_id)
    )


def child_q(scope, action: str = VIEW, prefix: str = "child__") -> Q:
    """Rows reached through their child (a case, a visit, a payout: `prefix` is the path to the child): those
    whose child the scope may `action`, other apps' contributions included. In one line: `child_q(scope)`."""
    return Q(**{f"{prefix}in": Child.objects.within(scope, action).values("pk")})


def enrolment_q(scope, action: str = VIEW, prefix: str = "enrolment__") -> Q:
    """Rows reached through an enrolment (an absence, a result, a warning): those whose enrolment the scope may
    `action`, contributions included."""
    return Q(**{f"{prefix}in": Enrolment.objects.within(scope, action).values("pk")})


class ChildQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            enrolled = Enrolment.objects.filter(enrolments_seen_by(scope)).values("child")
            return under("commune__", scope.officer_paths) | Q(pk__in=enrolled)
        # Changed by the commune where the child lives or by a school that enrols them.
        enrolled = Enrolment.objects.filter(school_q(scope, MANAGE, "school__"))
        return under("commune__", scope.officer_paths) | Q(pk__in=enrolled.values("child"))

    def aggregate_q(self, scope):
        # Partner officers count the children of their organisation's commune or school, never seeing one.
        at_partner_schools = Enrolment.objects.filter(school__in=scope.partner_school_ids).values("child")
        return self.scope_q(scope, VIEW) | under("commune__", scope.partner_paths) | Q(pk__in=at_partner_schools)


class Child(models.Model):
    """One child, once: across schools, years and the census. Personal data of a minor."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))  # some sources give only the year
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=2, default="01")
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True)
    learner_id = models.CharField(_("mã định danh CSDL ngành"), max_length=20, null=True, blank=True, unique=True)
    commune = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("xã nơi ở"), on_delete=models.PROTECT, related_name="children_living"
    )
    hamlet = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("thôn nơi ở"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_in_hamlet",
    )
    address_as_written = models.CharField(_("địa chỉ như đã ghi"), max_length=255, blank=True)
    poor = models.BooleanField(_("hộ nghèo"), default=False)
    near_poor = models.BooleanField(_("hộ cận nghèo"), default=False)
    orphan = models.BooleanField(_("mồ côi"), default=False)
    disability = models.BooleanField(_("khuyết tật"), default=False)
    remote_area = models.BooleanField(_("vùng đặc biệt khó khăn"), default=False)
    consent = models.CharField(
        _("cơ sở xử lý dữ liệu"), max_length=20, choices=Consent.choices, default=Consent.PUBLIC_DUTY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by `services.child_merge`: this record was found to be the same child as another; every relation now
    # hangs off that one, and this id answers with it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="merged_children"
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("trẻ")
        verbose_name_plural = _("trẻ")
        ordering = ["name_folded", "birth_year"]
        indexes = [models.Index(fields=["name_folded", "birth_year", "commune"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def ethnicity_name(self) -> str:
        return ethnicity_name(self.ethnicity)

    def age_in(self, start_year: int) -> int:
        """Age counted by calendar year (Education Law 2019, art. 28): the school year's start year − birth year."""
        return start_year - self.birth_year


class Guardian(models.Model):
    """A parent or guardian of a child, with the phone number schools call."""

    scope_parent = "child"  # reached only through the child (`students.selectors`), never listed alone

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardians")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    relation = models.CharField(_("quan hệ"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người giám hộ")
        verbose_name_plural = _("người giám hộ")

    def __str__(self) -> str:
        return self.full_name


class ClassGroupQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            return school_q(scope, VIEW, "school__")
        return school_q(scope, MANAGE, "school__")


class ClassGroup(models.Model):
    """A class (lớp) of a school in a school year, e.g. "6/2" or "Lá 1"."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="class_groups")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="class_groups")
    name = models.CharField(_("tên lớp"), max_length=30)
    grade = models.CharField(_("khối"), max_length=4, choices=Grade.choices)

    objects = ClassGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["school", "grade", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "name"], name="class_name_unique_per_year")]

    def __str__(self) -> str:
        return self.name


class TeacherAssignment(models.Model):
    """A teacher teaching a class (homeroom or subject); it is what limits a teacher's view of children."""

    scope_parent = "class_group"

    class Kind(models.TextChoices):
        HOMEROOM = "homeroom", _("Chủ nhiệm")
        SUBJECT = "subject", _("Bộ môn")

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="class_assignments")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.PROTECT, related_name="teacher_assignments")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.HOMEROOM)

    class Meta:
        verbose_name = _("phân công giảng dạy")
        verbose_name_plural = _("phân công giảng dạy")
        constraints = [
            models.UniqueConstraint(fields=["teacher", "class_group", "kind"], name="teacher_assignment_unique"),
        ]


class EnrolmentQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            return Q(pk__in=Enrolment.objects.filter(enrolments_seen_by(scope)).values("pk"))
        return school_q(scope, MANAGE, "school__")

    def aggregate_q(self, scope):
        return (
            self.scope_q(scope, VIEW)
            | under("school__location__", scope.partner_paths)
            | Q(school__in=scope.partner_school_ids)
        )

    def with_status(self):
        """Each enrolment's current status: the kind of its latest event (never stored twice)."""
        latest = EnrolmentEvent.objects.filter(enrolment=OuterRef("pk")).order_by("-on", "-pk")
        return self.annotate(status=Subquery(latest.values("kind")[:1]))


class Enrolment(models.Model):
    """A child at a school in a school year, in a grade and class; what happened is in its events."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="enrolments")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="enrolments")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="enrolments")
    grade = models.CharField(_("khối"), max_length=4, choices=Grade.choices)
    class_group = models.ForeignKey(
        ClassGroup, verbose_name=_("lớp"), null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    student_code = models.CharField(_("mã học sinh (trường)"), max_length=30, blank=True)
    health_insurance = models.BooleanField(_("tham gia BHYT"), default=False)
    # Kept by the services and the bulk write, in the same transaction as the events: the school year's first
    # calendar year (school years are per province) and whether the child is still at this school (the status is
    # one of `rules.ONGOING`). A child has at most one ongoing enrolment per school year (the constraint below).
    start_year = models.PositiveSmallIntegerField(_("năm học bắt đầu"), editable=False)
    ongoing = models.BooleanField(_("đang theo học"), default=True, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ học sinh")
        verbose_name_plural = _("hồ sơ học sinh")
        constraints = [
            models.UniqueConstraint(fields=["child", "school", "year"], name="enrolment_unique_per_school_year"),
            models.UniqueConstraint(
                fields=["child", "start_year"], condition=Q(ongoing=True), name="one_ongoing_enrolment_per_year"
            ),
            models.UniqueConstraint(
                fields=["school", "year", "student_code"],
                condition=~Q(student_code=""),
                name="student_code_unique_per_school_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.school} ({self.year})"

    @property
    def status_label(self) -> str:
        """The current status annotated by `with_status()`, in words."""
        return status_label(getattr(self, "status", None))

    @property
    def status_tone(self) -> str:
        """The colour of the status label (`.badge.status-<tone>` in the shared CSS; the label's text says it)."""
        return STATUS_TONES.get(getattr(self, "status", None) or "", "muted")


STATUS_TONES = {
    "enrolled": "ok",
    "transferred_in": "ok",
    "returned": "ok",
    "repeating": "warn",
    "transferred_out": "info",
    "completed": "info",
    "dropped_out": "bad",
    "not_continued": "bad",
}


class DropoutReason(models.TextChoices):
    ECONOMIC = "economic", _("Hoàn cảnh kinh tế khó khăn")
    DISTANCE = "distance", _("Nhà xa trường")
    FAMILY = "family", _("Hoàn cảnh gia đình")
    LEARNING = "learning", _("Học lực yếu, khó khăn trong học tập")
    EARLY_MARRIAGE = "early_marriage", _("Tảo hôn")
    LABOUR_MIGRATION = "labour_migration", _("Đi làm ăn xa")
    HEALTH = "health", _("Sức khỏe")
    OTHER = "other", _("Lý do khác")


class EnrolmentEvent(models.Model):
    """Something that happened to an enrolment, on a date. Corrections are new events, never edits."""

    scope_parent = "enrolment"

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Đang học (đầu năm)")
        TRANSFERRED_IN = "transferred_in", _("Chuyển đến")
        TRANSFERRED_OUT = "transferred_out", _("Chuyển đi")
        DROPPED_OUT = "dropped_out", _("Bỏ học")
        RETURNED = "returned", _("Trở lại học")
        REPEATING = "repeating", _("Lưu ban")
        COMPLETED = "completed", _("Hoàn thành cấp học")
        NOT_CONTINUED = "not_continued", _("Không tiếp tục học sau hè")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("sự kiện"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("ngày"))
    reason = models.CharField(_("lý do"), max_length=20, choices=DropoutReason.choices, blank=True)
    reason_text = models.CharField(_("ghi rõ lý do"), max_length=255, blank=True)
    other_school = models.CharField(_("trường chuyển đến/đi"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = _("diễn biến")
        ordering = ["enrolment", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="dropped_out") | ~Q(reason=""), name="dropout_has_a_reason"),
        ]
        # The early warning reads the dropouts (rare among the events) by kind and day, once per chunk of the daily
        # job: without it, every event of the database.
        indexes = [models.Index(fields=["kind", "on"], name="event_kind_on")]

    @property
    def tone(self) -> str:
        """The colour of this event's label (`.badge.status-<tone>`), as for an enrolment's status."""
        return STATUS_TONES.get(self.kind, "muted")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class CensusStatus(models.TextChoices):
    NOT_IN_SCHOOL = "not_in_school", _("Không đi học")
    IN_SCHOOL = "in_school", _("Đang đi học")
    COMPLETED_PRIMARY = "completed_primary", _("Đã hoàn thành tiểu học")
    COMPLETED_LOWER_SECONDARY = "completed_lower_secondary", _("Đã tốt nghiệp THCS")
    MOVED_AWAY = "moved_away", _("Chuyển đi nơi khác")
    DECEASED = "deceased", _("Đã chết")
    EXEMPT_DISABILITY = "exempt_disability", _("Miễn (khuyết tật nặng)")


class CensusRecordQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # The census is the commune's work: its officers read and change it.
        return under("hamlet__", scope.officer_paths)


class CensusRecord(models.Model):
    """A child counted in a hamlet's census (điều tra phổ cập) for a school year, in school or not."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="census_records")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="census_records")
    hamlet = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="census_records")
    status = models.CharField(_("tình trạng"), max_length=30, choices=CensusStatus.choices)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="census_records"
    )
    school_as_written = models.CharField(_("trường như đã ghi"), max_length=255, blank=True)
    grade = models.CharField(_("khối"), max_length=4, choices=Grade.choices, blank=True)
    surveyed_on = models.DateField(_("ngày điều tra"), default=datetime.date.today)

    objects = CensusRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu điều tra phổ cập")
        verbose_name_plural = _("phiếu điều tra phổ cập")
        constraints = [models.UniqueConstraint(fields=["child", "year"], name="census_once_per_child_year")]

    def __str__(self) -> str:
        return f"{self.child} — {self.hamlet} ({self.year})"


# An enrolment's absences and semester results live in their own module (`records`), registered from here.
from apps.students.records import Absence, SemesterResult  # noqa: E402, F401
