import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.scoping import CHANGE, MANAGE, VIEW, ScopedQuerySet, under

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)


class OrgUnitQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def historical(self):
        return self.filter(valid_to__isnull=False)

    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree_of(self, unit: "OrgUnit"):
        return self.filter(path__startswith=unit.path)

    def scope_q(self, scope, action):
        if action == VIEW:
            # Pre-2025 administrative units carry no records: they are public reference for old addresses and
            # history. A retired hamlet stays with its commune's users only.
            return under("", scope.all_paths()) | Q(valid_to__isnull=False, level__lte=OrgUnit.Level.COMMUNE)
        if action in (CHANGE, MANAGE):
            # Pre-2025 units change only with the official data; a retired hamlet may be restored.
            return under("", scope.officer_paths) & (Q(valid_to__isnull=True) | Q(level=OrgUnit.Level.HAMLET))
        raise ValueError(action)

    def public_q(self):
        # The administrative tree is public (names of provinces, communes, hamlets), as on any official site.
        return Q(valid_to__isnull=True)


class OrgUnit(models.Model):
    """An administrative unit: province, (historical) district, commune / ward / special zone, or hamlet.

    The tree has any depth; `path` ("/12/345/") holds the ids from the root down to this unit so that a
    subtree is one indexed prefix query. Official codes are zero-padded strings, unique per level only
    among the units valid on a date (the 2025 reform reused codes). Units that ceased to exist on
    1 July 2025 keep `valid_to` = 30 June 2025 and point to their successors through `OrgUnitSuccession`.
    """

    class Type(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Huyện, quận, thị xã (trước 2025)")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        HAMLET = "hamlet", _("Thôn, ấp, bản, tổ dân phố")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện")
        COMMUNE = 3, _("Cấp xã")
        HAMLET = 4, _("Thôn, tổ dân phố")

    LEVEL_OF_TYPE = {
        Type.PROVINCE: Level.PROVINCE,
        Type.DISTRICT: Level.DISTRICT,
        Type.COMMUNE: Level.COMMUNE,
        Type.WARD: Level.COMMUNE,
        Type.SPECIAL_ZONE: Level.COMMUNE,
        Type.HAMLET: Level.HAMLET,
    }
    COMMUNE_TYPES = (Type.COMMUNE, Type.WARD, Type.SPECIAL_ZONE)

    type = models.CharField(_("loại"), max_length=20, choices=Type.choices)
    # Stored beside `type` because codes are unique per level (commune, ward and special zone share one).
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices, editable=False)
    code = models.CharField(_("mã"), max_length=12, blank=True)
    name = models.CharField(_("tên"), max_length=150)
    name_folded = models.CharField(_("tên không dấu"), max_length=150, db_index=True, editable=False)
    qualifier = models.CharField(
        _("phân biệt"),
        max_length=100,
        blank=True,
        help_text=_("Tên xã cũ, khi xã mới có hai thôn trùng tên (ví dụ “Thôn 1 (xã Trà Nam cũ)”)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True) & ~Q(code=""),
                name="orgunit_code_unique_among_current",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                condition=Q(valid_to__isnull=False) & ~Q(code=""),
                name="orgunit_code_unique_among_same_end",
            ),
            models.UniqueConstraint(
                fields=["parent", "name_folded", "qualifier"],
                condition=Q(type="hamlet", valid_to__isnull=True),
                name="hamlet_name_unique_in_commune",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="orgunit_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_shown(self.name, self.qualifier)

    @staticmethod
    def name_shown(name: str, qualifier: str) -> str:
        """The display name from the two columns (for rows read as values, as a long export reads them)."""
        return f"{name} ({qualifier})" if qualifier else name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_commune_level(self) -> bool:
        return self.type in self.COMMUNE_TYPES

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]

    def ancestors(self) -> list["OrgUnit"]:
        by_id = OrgUnit.objects.in_bulk(self.ancestor_ids())
        return [by_id[i] for i in self.ancestor_ids() if i in by_id]

    def province(self) -> "OrgUnit":
        if "_province" not in self.__dict__:
            ids = self.ancestor_ids()
            self._province = OrgUnit.objects.get(pk=ids[0]) if ids else self
        return self._province

    @classmethod
    def with_provinces(cls, units):
        """Fetch the provinces of many units in one query (for `full_name` in lists)."""
        units = [u for u in units if u is not None]
        provinces = cls.objects.in_bulk({u.ancestor_ids()[0] for u in units if u.ancestor_ids()})
        for unit in units:
            ids = unit.ancestor_ids()
            unit._province = provinces[ids[0]] if ids else unit
        return units

    def full_name(self) -> str:
        """'Xã Trà Linh, Thành phố Đà Nẵng' — the unit and its province (a hamlet, also its commune)."""
        if self.level == self.Level.PROVINCE:
            return self.name
        if self.level == self.Level.HAMLET:
            return f"{self.display_name}, {self.parent.name}, {self.province().name}"
        return f"{self.display_name}, {self.province().name}"


class OrgUnitSuccession(models.Model):
    """A unit that ceased to exist and a unit that took over (all or part of) its territory."""

    scope_parent = "successor"  # read as its units are (the tree's history is no secret)

    predecessor = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="predecessions"
    )
    effective_on = models.DateField(_("ngày hiệu lực"), default=REFORM_DATE)
    partial = models.BooleanField(_("chỉ một phần"), default=False)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class DesignationQuerySet(ScopedQuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def scope_q(self, scope, action):
        # Seen by whoever sees its unit, changed by whoever may change the unit: the unit's own rule, not a copy.
        return Q(unit__in=OrgUnit.objects.filter(OrgUnit.objects.scope_q(scope, action)).values("pk"))


class Designation(models.Model):
    """An official designation of a commune or hamlet for a period, by a government decision: today, as
    especially difficult (đặc biệt khó khăn, ĐBKK), which lowers the thresholds of universal education and
    raises a child's risk in the early warning. It holds for the unit itself only: a designated commune does
    not make its hamlets designated, nor a designated hamlet its commune."""

    class Kind(models.TextChoices):
        DBKK = "dbkk", _("Đặc biệt khó khăn")

    # The levels a kind may designate.
    LEVELS = {Kind.DBKK: (OrgUnit.Level.COMMUNE, OrgUnit.Level.HAMLET)}

    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="designations")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    decision_ref = models.CharField(
        pgettext_lazy("the decree that designates a unit", "quyết định"),
        max_length=200,
        help_text=_("Số, ký hiệu và ngày của quyết định phê duyệt, ví dụ “QĐ 861/QĐ-TTg ngày 04/6/2021”."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị thuộc diện")
        verbose_name_plural = _("đơn vị thuộc diện")
        ordering = ["unit", "kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="designation_valid_period_ordered",
                violation_error_message=_("Ngày hết hiệu lực không thể trước ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.decision_ref}"
