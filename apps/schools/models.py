import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, ScopedQuerySet, under


class Level(models.IntegerChoices):
    """School levels, as bits so that a school's set of levels is one small integer."""

    CRECHE = 1, _("Nhà trẻ")
    KINDERGARTEN = 2, _("Mẫu giáo")
    PRIMARY = 4, _("Tiểu học")
    LOWER_SECONDARY = 8, _("Trung học cơ sở")
    UPPER_SECONDARY = 16, _("Trung học phổ thông")
    CONTINUING = 32, _("Giáo dục thường xuyên")


ALL_LEVEL_BITS = 63
# A school teaching any of these at all is managed by the province, not the commune.
PROVINCE_MANAGED_LEVELS = Level.UPPER_SECONDARY | Level.CONTINUING


def levels_mask(levels) -> int:
    mask = 0
    for level in levels:
        mask |= int(level)
    return mask


def school_q(scope, action: str, prefix: str = "") -> Q:
    """Which schools (reached through `prefix`) the scope may `action`: seen from the school's location and
    from its managing unit (and from the units above them), changed only by the officers of the managing unit
    itself; principals manage (staff) their own school."""
    managed = Q(**{f"{prefix}managed_by__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
    if action == VIEW:
        return (
            under(f"{prefix}managed_by__", scope.officer_paths)
            | under(f"{prefix}location__", scope.officer_paths + scope.partner_paths)
            | Q(**{f"{prefix}pk__in": scope.staff_school_ids | scope.partner_school_ids})
        )
    if action == CHANGE:
        return managed
    if action == MANAGE:
        return managed | Q(**{f"{prefix}pk__in": scope.principal_school_ids})
    raise ValueError(action)


class SchoolQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return school_q(scope, action)

    def teaching(self, level: int):
        """Schools whose set of levels includes `level` (a level set has only 64 possible values)."""
        return self.filter(levels__in=[m for m in range(ALL_LEVEL_BITS + 1) if m & int(level)])


class School(models.Model):
    """A school (trường): one MOET code, the levels it teaches, where it stands and who manages it.

    `managed_by` follows from the levels and the location (the commune for preschool, primary and lower
    secondary; the province when it teaches upper secondary or continuing education at all); the service
    sets it, nobody types it.
    """

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Công lập")
        PRIVATE = "private", _("Ngoài công lập")

    moet_code = models.CharField(_("mã trường (CSDL ngành)"), max_length=20, unique=True)
    name = models.CharField(_("tên trường"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    levels = models.PositiveSmallIntegerField(_("cấp học"))
    ownership = models.CharField(_("loại hình"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    location = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="schools_located"
    )
    managed_by = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="schools_managed",
        editable=False,
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("trường")
        verbose_name_plural = _("trường")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(levels__gte=1, levels__lte=ALL_LEVEL_BITS), name="school_has_levels"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_list(self) -> list[Level]:
        return [level for level in Level if self.levels & level]

    def level_labels(self) -> str:
        return ", ".join(str(level.label) for level in self.level_list)

    def teaches(self, level: int) -> bool:
        return bool(self.levels & int(level))


class SchoolSite(models.Model):
    """A satellite site (điểm trường) of a school, in a hamlet; mountain schools have several."""

    school = models.ForeignKey(School, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("tên điểm trường"), max_length=150)
    hamlet = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_sites",
    )
    is_main = models.BooleanField(_("điểm chính"), default=False)
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)

    class QuerySet(ScopedQuerySet):
        def scope_q(self, scope, action):
            return school_q(scope, VIEW if action == VIEW else CHANGE, "school__")

    objects = QuerySet.as_manager()

    class Meta:
        verbose_name = _("điểm trường")
        verbose_name_plural = _("điểm trường")
        ordering = ["school", "-is_main", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_site_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.name}"


class Organisation(models.Model):
    """A partner organisation (tổ chức, đoàn thể) belonging to a school or to an org unit."""

    class Kind(models.TextChoices):
        TRADE_UNION = "trade_union", _("Công đoàn")
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên, Đội Thiếu niên")
        PARENTS = "parents_association", _("Ban đại diện cha mẹ học sinh")
        STUDY_PROMOTION = "study_promotion", _("Hội Khuyến học")
        WOMEN = "womens_union", _("Hội Liên hiệp Phụ nữ")
        VETERANS = "veterans", _("Hội Cựu chiến binh")
        FARMERS = "farmers", _("Hội Nông dân")
        FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
        RETIRED_TEACHERS = "retired_teachers", _("Hội Cựu giáo chức")
        BUSINESS = "business", _("Doanh nghiệp")
        OTHER = "other", _("Khác")

    kind = models.CharField(_("loại tổ chức"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("tên tổ chức"), max_length=200)
    school = models.ForeignKey(
        School, verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class QuerySet(ScopedQuerySet):
        def scope_q(self, scope, action):
            own = Q(pk__in=scope.organisation_ids)
            if action == VIEW:
                return own | school_q(scope, VIEW, "school__") | under("org_unit__", scope.officer_paths)
            return own | school_q(scope, MANAGE, "school__") | under("org_unit__", scope.officer_paths)

    objects = QuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức phối hợp")
        verbose_name_plural = _("tổ chức phối hợp")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=True) & Q(org_unit__isnull=False))
                | (Q(school__isnull=False) & Q(org_unit__isnull=True)),
                name="organisation_belongs_to_school_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.school or self.org_unit


class SchoolYear(models.Model):
    """A school year of a province (1 July → 30 June by default) with its opening day and end of teaching;
    its semesters and the three phases of seed 003 are rows of their own, so dates can differ per province."""

    province = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="school_years"
    )
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    starts_on = models.DateField(_("ngày bắt đầu"))
    opening_day = models.DateField(_("ngày khai giảng"))
    teaching_ends_on = models.DateField(_("ngày kết thúc năm học"))
    ends_on = models.DateField(_("ngày kết thúc"))
    # The day the official head count is frozen (trích xuất dữ liệu, 22/9 in seed 003), between opening and the end
    # of semester I (`services._check_calendar`); empty on a year declared before it existed: `count_on` is 22/9.
    count_day = models.DateField(_("ngày chốt số liệu"), null=True, blank=True)

    class QuerySet(ScopedQuerySet):
        def scope_q(self, scope, action):
            if action == VIEW:
                return Q(province__in=scope.ancestor_ids())
            return under("province__", scope.officer_paths)

        def containing(self, day: datetime.date):
            return self.filter(starts_on__lte=day, ends_on__gte=day)

    objects = QuerySet.as_manager()

    class Meta:
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "start_year"], name="school_year_unique_per_province"),
            models.CheckConstraint(
                condition=Q(starts_on__lt=models.F("opening_day"))
                & Q(opening_day__lt=models.F("teaching_ends_on"))
                & Q(teaching_ends_on__lte=models.F("ends_on")),
                name="school_year_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def count_on(self) -> datetime.date:
        """The year's count day: the one declared, else 22 September (seed 003)."""
        return self.count_day or datetime.date(self.start_year, 9, 22)


class YearPart(models.Model):
    """A numbered stretch of a school year (a semester, a phase): the periods rates are counted over."""

    scope_parent = "year"  # seen and changed as its school year is

    year = models.ForeignKey(SchoolYear, verbose_name=_("năm học"), on_delete=models.CASCADE, related_name="%(class)ss")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        abstract = True
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="%(class)s_unique_number"),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="%(class)s_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_number_display()} ({self.year})"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Semester(YearPart):
    """Semester I or II of a school year."""

    number = models.PositiveSmallIntegerField(_("học kỳ"), choices=[(1, _("Học kỳ I")), (2, _("Học kỳ II"))])

    class Meta(YearPart.Meta):
        verbose_name = _("học kỳ")
        verbose_name_plural = _("học kỳ")


class Phase(YearPart):
    """One of the three phases of seed 003: 1 mobilisation (1 July → the day before opening), 2 opening → end of
    semester I, 3 semester II → end of the school year."""

    number = models.PositiveSmallIntegerField(
        _("giai đoạn"),
        choices=[
            (1, _("Giai đoạn 1: huy động")),
            (2, _("Giai đoạn 2: đến hết học kỳ I")),
            (3, _("Giai đoạn 3: học kỳ II đến hết năm học")),
        ],
    )

    class Meta(YearPart.Meta):
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")


class CatchmentQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # Seen as its school is; changed by the school's managing unit only (not its principal).
        return school_q(scope, VIEW if action == VIEW else CHANGE, "school__")


class Catchment(models.Model):
    """Where a school draws its children from for one level (địa bàn tuyển sinh): hamlets, or a whole commune where
    it has none. The census of these units is the denominator of the school's census-based indicators (right-age
    enrolment); a commune's several primary schools split its hamlets between them."""

    school = models.ForeignKey(School, verbose_name=_("trường"), on_delete=models.CASCADE, related_name="catchments")
    level = models.PositiveSmallIntegerField(_("cấp học"), choices=Level.choices)
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("thôn hoặc xã"), on_delete=models.PROTECT, related_name="catchments"
    )

    objects = CatchmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("địa bàn tuyển sinh")
        verbose_name_plural = _("địa bàn tuyển sinh")
        ordering = ["school", "level", "unit"]
        constraints = [models.UniqueConstraint(fields=["school", "level", "unit"], name="catchment_unique")]

    def __str__(self) -> str:
        return f"{self.school} · {self.get_level_display()} · {self.unit}"
