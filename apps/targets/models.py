"""Targets (chỉ tiêu), the defaults a unit publishes for its subtree with a registration deadline, and each school's
registration annex (phụ lục đăng ký chỉ tiêu) with its lines (seed 003)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.models import school_q
from apps.targets import rules


class Comparison(models.TextChoices):
    GE = rules.GE, "≥"
    GT = rules.GT, ">"
    LE = rules.LE, "≤"
    LT = rules.LT, "<"


class ValueKind(models.TextChoices):
    RATE = rules.RATE, _("Tỷ lệ (%)")
    COUNT = rules.COUNT, _("Số lượng")
    MONEY = rules.MONEY, _("Số tiền (₫)")


RATE_MAX = Decimal("999.999")  # what Decimal(6,3) holds


def check_value(comparison: str, value: Decimal, kind: str) -> None:
    """A target's value must make its comparison possible: a rate of 0 to 100 % with at most 3 decimals (a rate
    "> 100 %" or "< 0 %" no count can meet), a whole count or amount of đồng."""
    if comparison not in (*rules.FLOORS, *rules.CEILINGS):
        raise ValidationError({"comparison": _("So sánh là ≥, >, ≤ hoặc <.")})
    if value is None:
        raise ValidationError({"value": _("Nhập giá trị chỉ tiêu.")})
    value = Decimal(value)
    if not value.is_finite():
        raise ValidationError({"value": _("Giá trị chỉ tiêu phải là một số.")})
    if value < 0:
        raise ValidationError({"value": _("Chỉ tiêu không được âm.")})
    if kind == rules.RATE:
        if value > 100 or value.as_tuple().exponent < -3:
            raise ValidationError({"value": _("Tỷ lệ từ 0 đến 100 %, tối đa 3 chữ số thập phân.")})
        if comparison == rules.GT and value >= 100:
            raise ValidationError({"value": _("Không thể đạt “trên 100 %”: chọn “≥ 100 %”.")})
    elif value != value.to_integral_value():
        raise ValidationError({"value": _("Số lượng và số tiền là số nguyên.")})
    if comparison == rules.LT and value == 0:
        raise ValidationError({"value": _("Không thể đạt “dưới 0”: chọn “≤ 0”.")})


class PublicationQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            # The publications on the way down to the user's units and schools, and those below the units they govern.
            return Q(org_unit__in=scope.ancestor_ids()) | under("org_unit__", scope.officer_paths)
        # Published, and changed, by the officers of that very unit.
        return Q(org_unit__path__in=scope.officer_paths) if scope.officer_paths else NOTHING


class Publication(models.Model):
    """A unit's default targets for its subtree in a school year, with the day schools must register theirs by
    (the annex, "trước ngày 20/9" in seed 003). A school's defaults are those of the nearest publication on its
    managing unit's path (its commune's, else the province's)."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("hạn đăng ký"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("ngày công bố"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu ban hành")
        verbose_name_plural = _("chỉ tiêu ban hành")
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="publication_unit_year")]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.year}"


class TargetQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action != VIEW:
            return NOTHING  # written by the services only (publish, approve)
        return (
            Q(org_unit__in=scope.ancestor_ids())
            | under("org_unit__", scope.officer_paths)
            | (Q(school__isnull=False) & school_q(scope, VIEW, "school__"))
        )


class Target(models.Model):
    """A target: an indicator (a code of `apps.indicators.registry`) × an org unit (the defaults it published, for
    itself and its subtree) or a school (its approved annex) × school year × level (a mask of `schools.Level`, 0 for
    every level) × comparison (≥ > ≤ <) × value: a percentage (0–100, 3 decimals) for a rate, a count of children, an
    amount in ₫ — `kind` says which. Dropout targets are ceilings (≤, <)."""

    indicator = models.CharField(_("chỉ số"), max_length=40)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("cấp học"), default=0)
    comparison = models.CharField(_("so sánh"), max_length=2, choices=Comparison.choices, default=Comparison.GE)
    value = models.DecimalField(_("giá trị"), max_digits=15, decimal_places=3)
    kind = models.CharField(_("loại giá trị"), max_length=5, choices=ValueKind.choices, default=ValueKind.RATE)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )  # the defaults it belongs to (an org unit's target)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=True) & Q(school__isnull=False))
                | (Q(org_unit__isnull=False) & Q(school__isnull=True)),
                name="target_unit_or_school",
            ),
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "year", "level"],
                condition=Q(school__isnull=True),
                name="target_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "school", "year", "level"],
                condition=Q(org_unit__isnull=True),
                name="target_unique_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparison_display()} {self.value}"

    def clean(self):
        check_value(self.comparison, self.value, self.kind)

    def gap(self, numerator, denominator=None) -> rules.Gap:
        return rules.gap(self.comparison, self.value, numerator, denominator, self.kind)


class AnnexQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            # The school's staff and the officers over it; never a partner officer (annexes are the school's work).
            return (
                under("school__managed_by__", scope.officer_paths)
                | under("school__location__", scope.officer_paths)
                | Q(school__in=scope.staff_school_ids)
            )
        if action == CHANGE:  # registering and submitting: the school's principal
            return Q(school__in=scope.principal_school_ids)
        if action == MANAGE:  # approving, returning, reopening: the officers of the school's managing unit itself
            return school_q(scope, CHANGE, "school__")
        return NOTHING


class Annex(models.Model):
    """A school's registration of its targets for a school year (phụ lục đăng ký chỉ tiêu): draft → submitted →
    approved, or returned with a comment → resubmitted. `deadline` is set when the managing unit reopens a late
    registration (else the publication's deadline holds)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
        RETURNED = "returned", _("Trả lại để sửa")
        APPROVED = "approved", _("Đã duyệt")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField(_("hạn đăng ký (mở lại)"), null=True, blank=True)
    comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày duyệt hoặc trả lại"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AnnexQuerySet.as_manager()

    class Meta:
        verbose_name = _("phụ lục đăng ký chỉ tiêu")
        verbose_name_plural = _("phụ lục đăng ký chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="annex_school_year")]

    def __str__(self) -> str:
        return f"{self.school} · {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AnnexLine(models.Model):
    """One row of the annex: a level and an indicator, last year's actual, the census count (children of the age),
    the count mobilised, the target the school commits to and why."""

    scope_parent = "annex"

    annex = models.ForeignKey(Annex, on_delete=models.CASCADE, related_name="lines")
    indicator = models.CharField(_("chỉ số"), max_length=40)
    level = models.PositiveSmallIntegerField(_("cấp học"), default=0)
    comparison = models.CharField(_("so sánh"), max_length=2, choices=Comparison.choices, default=Comparison.GE)
    default_value = models.DecimalField(_("chỉ tiêu giao"), max_digits=15, decimal_places=3, null=True, blank=True)
    last_year = models.DecimalField(_("thực hiện năm trước (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    census_count = models.PositiveIntegerField(_("số trẻ trong độ tuổi"), null=True, blank=True)
    mobilised_count = models.PositiveIntegerField(_("số huy động"), null=True, blank=True)
    value = models.DecimalField(_("chỉ tiêu đăng ký"), max_digits=15, decimal_places=3, null=True, blank=True)
    justification = models.CharField(_("giải trình"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["annex", "indicator", "level"], name="annex_line_unique")]
