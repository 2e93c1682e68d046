"""Socialisation of education: funds and their legal regime, donors, donations (cash, goods, non-material),
pledges, the append-only ledger, payouts and sponsorship usage plans.

Money is whole đồng (`BigIntegerField`, see `apps.core.money`); quantities of goods are `Decimal(12, 2)`. A fund's
balances are never stored: they are sums over its ledger `Entry` rows, which the database refuses to update or
delete (`apps.funds.ledger`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import AGGREGATE, NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.models import Organisation, School, school_q
from apps.schools.owners import OwnedByOne, one_owner


class Kind(models.TextChoices):
    STUDY_PROMOTION = "study_promotion", _("Quỹ khuyến học")
    POOR_STUDENTS = "poor_students", _("Quỹ hiếu học, chăm lo học sinh nghèo")
    FACILITIES = "facilities", _("Quỹ hỗ trợ xây dựng cơ sở vật chất")
    PARENTS_ASSOCIATION = "parents_association", _("Quỹ Ban đại diện cha mẹ học sinh")
    OTHER = "other", _("Quỹ khác")


class Regime(models.TextChoices):
    """The legal regime a fund's money is received and spent under."""

    SPONSORSHIP = "sponsorship", _("Tài trợ cho nhà trường (Thông tư 16/2018)")
    PARENTS_ASSOCIATION = "parents_association", _("Ban đại diện cha mẹ học sinh (Thông tư 55/2011)")
    ASSOCIATION = "association", _("Quỹ của hội, đoàn thể (khuyến học và tương tự)")


def fund_q(scope, action: str, prefix: str = "") -> Q:
    """Which funds (reached through `prefix`, e.g. "fund__") the scope may `action`.

    Seen by those who see the fund's owner: a school's funds by its staff, its managing unit and the units above;
    a commune's by its officers and by the staff and partners of that commune; an organisation's by its partner
    officers and those who see the organisation's school or unit. Changed (donations, payouts, plans) by a school's
    principal and the officers of its managing unit; a commune's by the officers of that commune itself; an
    organisation's by its own partner officers. A Parents' Association fund is changed only by that association's
    partner officers (Circular 55/2011): the principal and the officers read it."""
    p = prefix
    if action in (VIEW, AGGREGATE):
        school_seen = school_q(scope, VIEW, f"{p}school__")
        unit_seen = under(f"{p}org_unit__", scope.officer_paths) | Q(**{f"{p}org_unit__in": scope.ancestor_ids()})
        org_seen = (
            Q(**{f"{p}organisation__in": scope.organisation_ids})
            | school_q(scope, VIEW, f"{p}organisation__school__")
            | under(f"{p}organisation__org_unit__", scope.officer_paths)
            | Q(**{f"{p}organisation__org_unit__in": scope.ancestor_ids()})
        )
        return school_seen | unit_seen | org_seen
    parents = Q(**{f"{p}regime": Regime.PARENTS_ASSOCIATION})
    own_org = Q(**{f"{p}organisation__in": scope.organisation_ids}) if scope.organisation_ids else NOTHING
    # A commune's own fund is changed by the officers of that very unit (the province reads it), as schools are.
    unit_officers = Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
    others = school_q(scope, "manage", f"{p}school__") | unit_officers | own_org
    return (parents & own_org) | (~parents & others)


class FundQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return fund_q(scope, action)

    def public_q(self):
        # Every fund is posted in public (Circular 16/2018, Circular 09/2024): its totals, never its records.
        return Q()

    def of_school(self, school):
        return self.filter(Q(school=school) | Q(organisation__school=school))

    def of_commune(self, unit):
        """Funds kept in a commune: its own, its organisations', its schools' and their organisations'."""
        return self.filter(
            Q(org_unit=unit)
            | Q(organisation__org_unit=unit)
            | Q(school__location=unit)
            | Q(organisation__school__location=unit)
        )


class Fund(OwnedByOne, models.Model):
    """A fund (quỹ) held by a school, a commune or an organisation, received and spent under one legal regime.
    Its code is unique nationwide and prefixes its receipt numbers. Balances are derived from its ledger."""

    code = models.CharField(
        _("mã quỹ"), max_length=20, unique=True, help_text=_("Chữ in hoa, số và dấu gạch ngang, ví dụ KH-TRANAM.")
    )
    name = models.CharField(_("tên quỹ"), max_length=200)
    kind = models.CharField(_("loại quỹ"), max_length=30, choices=Kind.choices)
    regime = models.CharField(_("chế độ"), max_length=30, choices=Regime.choices)
    school = models.ForeignKey(
        School, verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="funds"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    opened_on = models.DateField(_("ngày lập"))
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["name"]
        constraints = [
            one_owner("fund_has_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def owner(self):
        return self.school or self.org_unit or self.organisation

    @property
    def owning_school(self):
        return self.school or (self.organisation.school if self.organisation_id else None)

    @property
    def is_parents_association(self) -> bool:
        return self.regime == Regime.PARENTS_ASSOCIATION


class FundTarget(models.Model):
    """A fund's campaign goal for one school year: what it hopes to raise, money and goods at valuation. A goal,
    never a levy: nothing divides it among parents or students."""

    scope_parent = "fund"

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.CASCADE, related_name="targets")
    year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="fund_targets"
    )
    amount = models.BigIntegerField(_("mục tiêu vận động (đồng)"))

    class Meta:
        verbose_name = _("mục tiêu vận động")
        verbose_name_plural = _("mục tiêu vận động")
        ordering = ["fund", "-year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="fund_target_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.year}: {self.amount}"


class DonorQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # Donors (and their contacts) are kept per commune: its officers, the principals of its schools and the
        # partner officers of its organisations (those who run its funds) see and record them.
        principal_communes = School.objects.filter(pk__in=scope.principal_school_ids).values("location")
        partner_units = Organisation.objects.filter(pk__in=scope.organisation_ids)
        return (
            under("org_unit__", scope.officer_paths)
            | Q(org_unit__in=principal_communes)
            | Q(org_unit__in=partner_units.filter(org_unit__isnull=False).values("org_unit"))
            | Q(org_unit__in=partner_units.filter(school__isnull=False).values("school__location"))
        )

    def public_q(self):
        # Those who agreed to be named (the selector also checks until when); only their names are shown.
        return Q(named_in_public=True)


class Donor(models.Model):
    """Someone who gives: a person, a business or an organisation (linked to its `Organisation` when it is one of
    the partners), with their contacts and whether, and until when, they agreed to be named in public."""

    class DonorKind(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        BUSINESS = "business", _("Doanh nghiệp")
        ORGANISATION = "organisation", _("Tổ chức")

    kind = models.CharField(_("loại nhà tài trợ"), max_length=20, choices=DonorKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức phối hợp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donors",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="donors"
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    named_in_public = models.BooleanField(_("đồng ý công khai tên"), default=False)
    named_until = models.DateField(_("công khai tên đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = DonorQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhà tài trợ")
        verbose_name_plural = _("nhà tài trợ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def may_be_named(self, on) -> bool:
        return self.named_in_public and (self.named_until is None or on <= self.named_until)


class FundChildQuerySet(ScopedQuerySet):
    """Rows of a fund (donations, entries, payouts, plans, pledges): scoped as their fund; none is public as a row
    (donations name donors, payouts carry internal notes)."""

    def scope_q(self, scope, action):
        return fund_q(scope, action, "fund__")


class PublicFundChildQuerySet(FundChildQuerySet):
    """Ledger entries and usage plans: posted in public (the plans by law; the entries summed into totals)."""

    def public_q(self):
        return Q()


class DonationKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt, chuyển khoản")
    IN_KIND = "in_kind", _("Hiện vật")
    NON_MATERIAL = "non_material", _("Phi vật chất (ngày công, dịch vụ)")


class Donation(models.Model):
    """One gift received: cash in đồng; goods (description, quantity, unit, valuation in đồng); or non-material
    help (labour days, services), valued only when the person recording it enters a value. Numbered
    `{fund code}-{YYYY}-{NNNN}` by the calendar year of its date, without gaps. Anonymous when it has no donor."""

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="donations")
    donor = models.ForeignKey(
        Donor, verbose_name=_("nhà tài trợ"), null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=DonationKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    description = models.CharField(_("nội dung đóng góp"), max_length=255, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    valuation = models.BigIntegerField(_("giá trị quy đổi (đồng)"), null=True, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    campaign = models.CharField(_("đợt vận động"), max_length=150, blank=True)
    received_by = models.CharField(_("người tiếp nhận"), max_length=150)
    receipt_number = models.CharField(_("số biên nhận"), max_length=40, unique=True, editable=False)
    instalment = models.ForeignKey(
        "Instalment",
        verbose_name=_("đợt cam kết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    objects = FundChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản đóng góp")
        verbose_name_plural = _("khoản đóng góp")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="donation_shape_matches_kind",
                condition=Q(kind="cash", amount__gt=0, quantity__isnull=True)
                | Q(kind="in_kind", amount__isnull=True, quantity__gt=0, valuation__gte=0)
                | Q(kind="non_material", amount__isnull=True, quantity__isnull=True)
                & (Q(valuation__isnull=True) | Q(valuation__gte=0)),
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def value(self) -> int:
        """What it counts for against the fund's target: cash, or goods and help at the valuation entered."""
        return self.amount if self.kind == DonationKind.CASH else (self.valuation or 0)


class ThankYouLetter(models.Model):
    """A donation's thank-you letter as entered in the owner's outgoing register (an unnumbered document, kind
    "thu_cam_on"): one per donation, issued the first time it is asked for and served as stored ever after."""

    donation = models.OneToOneField(
        Donation, verbose_name=_("khoản đóng góp"), on_delete=models.PROTECT, related_name="letter"
    )
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    scope_parent = "donation"

    class Meta:
        verbose_name = _("thư cảm ơn")
        verbose_name_plural = _("thư cảm ơn")

    def __str__(self) -> str:
        return str(self.donation)


class Payout(models.Model):
    """Money or goods leaving a fund, for a purpose from `data/purposes.csv`: to students (counted here; the
    school's staff link the children, see `PayoutRecipient`), to teachers in hardship, or to a purpose such as a
    construction item. Its note is internal: never shown in public."""

    class Recipients(models.TextChoices):
        STUDENTS = "students", _("Học sinh")
        TEACHERS = "teachers", _("Giáo viên có hoàn cảnh khó khăn")
        PURPOSE = "purpose", _("Hạng mục, hoạt động")

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="payouts")
    purpose = models.CharField(_("mục đích chi"), max_length=40)
    recipients = models.CharField(_("đối tượng nhận"), max_length=20, choices=Recipients.choices)
    paid_on = models.DateField(_("ngày chi"))
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    item = models.CharField(_("hiện vật xuất"), max_length=255, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="fund_payouts"
    )
    recipient_count = models.PositiveIntegerField(_("số người nhận"), default=0)
    usage_plan = models.ForeignKey(
        "UsagePlan",
        verbose_name=_("kế hoạch sử dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    board_agreement = models.CharField(_("biên bản thống nhất của Ban đại diện"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú nội bộ"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    objects = FundChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="payout_moves_money_or_goods",
                condition=Q(amount__gt=0) | Q(quantity__gt=0),
            ),
            models.CheckConstraint(name="payout_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.paid_on:%d/%m/%Y} {self.purpose}"


class PayoutRecipientQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # The children who received a payout: seen and linked by the staff of the payout's school and seen by the
        # officers who govern it; never by partner officers (the fund's own managers included).
        staff = Q(payout__school__in=scope.staff_school_ids)
        if action in (VIEW, AGGREGATE):
            return staff | under("payout__school__managed_by__", scope.officer_paths)
        return staff

    def aggregate_q(self, scope):
        return self.scope_q(scope, VIEW)


class PayoutRecipient(models.Model):
    """A child who received (part of) a payout to students, linked by the school's staff."""

    payout = models.ForeignKey(Payout, verbose_name=_("khoản chi"), on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey(
        "students.Child", verbose_name=_("học sinh"), on_delete=models.PROTECT, related_name="fund_payouts"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    objects = PayoutRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("học sinh nhận hỗ trợ")
        verbose_name_plural = _("học sinh nhận hỗ trợ")
        constraints = [models.UniqueConstraint(fields=["payout", "child"], name="payout_child_once")]


class UsagePlan(models.Model):
    """A sponsorship usage plan (Circular 16/2018): posted at the school on `posted_on`, executable once 15
    working days have passed (see `apps.funds.workdays`)."""

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="usage_plans")
    title = models.CharField(_("nội dung kế hoạch"), max_length=255)
    amount = models.BigIntegerField(_("dự kiến chi (đồng)"))
    posted_on = models.DateField(_("ngày niêm yết"))
    executable_on = models.DateField(_("được thực hiện từ ngày"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    objects = PublicFundChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch sử dụng tài trợ")
        verbose_name_plural = _("kế hoạch sử dụng tài trợ")
        ordering = ["-posted_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="usage_plan_amount_positive")]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    """A donor's promise to give, paid in instalments (each due on a day)."""

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(Donor, verbose_name=_("nhà tài trợ"), on_delete=models.PROTECT, related_name="pledges")
    made_on = models.DateField(_("ngày cam kết"))
    campaign = models.CharField(_("đợt vận động"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )

    objects = FundChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("cam kết tài trợ")
        verbose_name_plural = _("cam kết tài trợ")
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"{self.donor} → {self.fund.code}"


class Instalment(models.Model):
    """One instalment of a pledge: an amount due on a day, paid by the donations recorded against it."""

    scope_parent = "pledge"

    pledge = models.ForeignKey(Pledge, verbose_name=_("cam kết"), on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("hạn"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("đợt cam kết")
        verbose_name_plural = _("đợt cam kết")
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.pledge} {self.due_on:%d/%m/%Y}"


class Entry(models.Model):
    """One movement of a fund's ledger: cash in or out (signed đồng) and goods in or out (signed quantity of one
    item, with its value). Append-only: a mistake is corrected by a reversing entry with a reason
    (`services.entry_correct`); the database refuses UPDATE and DELETE (`apps.funds.ledger`)."""

    class EntryKind(models.TextChoices):
        DONATION = "donation", _("Thu vào")
        PAYOUT = "payout", _("Chi ra")
        REVERSAL = "reversal", _("Bút toán đảo")
        CORRECTION = "correction", _("Ghi lại sau điều chỉnh")

    fund = models.ForeignKey(Fund, verbose_name=_("quỹ"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("loại bút toán"), max_length=20, choices=EntryKind.choices)
    on = models.DateField(_("ngày ghi sổ"))
    cash = models.BigIntegerField(_("tiền (đồng)"), default=0)
    item = models.CharField(_("hiện vật"), max_length=300, blank=True)  # "description (unit)", the stock's key
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2, default=0)
    value = models.BigIntegerField(_("giá trị (đồng)"), default=0)
    donation = models.ForeignKey(
        Donation, verbose_name=_("khoản thu"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    payout = models.ForeignKey(
        Payout, verbose_name=_("khoản chi"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("đảo bút toán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc ghi"), auto_now_add=True)

    objects = PublicFundChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán")
        verbose_name_plural = _("sổ quỹ")
        ordering = ["fund", "id"]
        constraints = [
            models.CheckConstraint(
                name="entry_reversal_has_reason",
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} #{self.pk} {self.cash}"


class LedgerMaintenance(models.Model):
    """The documented exception to the ledger's append-only rule, on SQLite: while a row is here, the triggers let
    DELETE through (the test suite's flush empties the tables this way; see `apps.funds.ledger`). PostgreSQL's
    row triggers do not fire on TRUNCATE, which its flush uses. Nothing in the application writes it."""

    reason = models.CharField(max_length=100)
    started_at = models.DateTimeField(auto_now_add=True)


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule for counting working days: a public holiday (or a day off in
    lieu) on a weekday, or a make-up working day on a weekend. Editable data, seeded for 2025–2027 from
    `data/holidays.csv`."""

    class DayKind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
        WORKDAY = "workday", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=150)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
