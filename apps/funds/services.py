"""Writes of the funds app. Every movement of money or goods appends ledger entries under the fund's row lock
(SELECT … FOR UPDATE), so the overdraw check sees every other officer's entries; receipt numbers come from a
locked counter in the same transaction (`apps.core.counters`), so they follow each other without gaps."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import issuing
from apps.core.audit import audit_record
from apps.core.counters import next_number
from apps.core.money import format_quantity, format_vnd
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.core.text import nfc
from apps.funds import purposes as purpose_table
from apps.funds.models import (
    Donation,
    DonationKind,
    Donor,
    Entry,
    Fund,
    FundTarget,
    Instalment,
    Payout,
    PayoutRecipient,
    Pledge,
    Regime,
    ThankYouLetter,
    UsagePlan,
)
from apps.funds.workdays import POSTING_WORKING_DAYS, executable_on
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


# ---- reading the ledger under the lock ---------------------------------------------------------------------------


def cash_balance(fund) -> int:
    return Entry.objects.filter(fund=fund).aggregate(total=Sum("cash"))["total"] or 0


def stock_of(fund, item: str) -> tuple[Decimal, int]:
    """(quantity, value in đồng) of one item in the fund's stock."""
    row = Entry.objects.filter(fund=fund, item=item).aggregate(q=Sum("quantity"), v=Sum("value"))
    return row["q"] or Decimal("0"), row["v"] or 0


def item_key(description: str, unit: str) -> str:
    """The stock's key for one kind of goods: "Vở ô li (quyển)"."""
    description = " ".join(nfc(description).split())
    unit = " ".join(nfc(unit).split())
    return f"{description} ({unit})" if unit else description


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _require(actor, fund: Fund, action: str = CHANGE) -> Fund:
    return get_scoped_or_404(Fund.objects.all(), actor, action, pk=fund.pk)


def _unit_of(fund: Fund):
    return fund.commune


def _refuse_levy(fund: Fund, field: str, *texts: str) -> None:
    """A Parents' Association never sets an amount per parent, an average, a minimum or anything compulsory
    (Circular 55/2011); a sponsorship is never coerced nor averaged either (Circular 16/2018)."""
    if fund.regime not in (Regime.PARENTS_ASSOCIATION, Regime.SPONSORSHIP):
        return
    why = purpose_table.levy_in(*texts)
    if why:
        rule = (
            _(
                "Thông tư 55/2011/TT-BGDĐT: Ban đại diện cha mẹ học sinh không được bắt buộc đóng góp, "
                "không quy định mức bình quân hay mức tối thiểu cho mỗi phụ huynh, học sinh."
            )
            if fund.is_parents_association
            else _(
                "Thông tư 16/2018/TT-BGDĐT: tài trợ là tự nguyện, không ép buộc, không quy định mức bình quân hay "
                "mức tối thiểu."
            )
        )
        raise ValidationError({field: _("Không được ghi %(why)s. %(rule)s") % {"why": why, "rule": rule}})


def _entry(**fields) -> Entry:
    entry = Entry(**fields)
    entry.full_clean(exclude=["reverses"])
    entry.save()
    return entry


# ---- funds --------------------------------------------------------------------------------------------------------


def _may_create_for(actor, *, school=None, org_unit=None, organisation=None) -> None:
    scope = scope_for(actor)
    if scope.is_admin:
        return
    if school is not None:
        get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=school.pk)
    elif org_unit is not None:
        get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=org_unit.pk)
    elif organisation is not None:
        get_scoped_or_404(Organisation.objects.all(), actor, VIEW, pk=organisation.pk)
        if organisation.pk not in scope.organisation_ids:
            raise PermissionDenied


@transaction.atomic
def fund_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    regime: str,
    opened_on: datetime.date,
    school: School | None = None,
    org_unit: OrgUnit | None = None,
    organisation: Organisation | None = None,
) -> Fund:
    """A new fund. A Parents' Association fund belongs to that association (an organisation of a school) and is
    opened by its own partner officers."""
    code = nfc(code).strip().upper()
    if not CODE.match(code):
        raise ValidationError({"code": _("Mã quỹ gồm 2–20 chữ in hoa, chữ số và dấu gạch ngang, ví dụ KH-TRANAM.")})
    if regime == Regime.PARENTS_ASSOCIATION and not (
        organisation is not None and organisation.kind == Organisation.Kind.PARENTS and organisation.school_id
    ):
        raise ValidationError(
            {"organisation": _("Quỹ Ban đại diện cha mẹ học sinh thuộc Ban đại diện của một trường.")}
        )
    _may_create_for(actor, school=school, org_unit=org_unit, organisation=organisation)
    fund = Fund(
        code=code,
        name=nfc(name).strip(),
        kind=kind,
        regime=regime,
        school=school,
        org_unit=org_unit,
        organisation=organisation,
        opened_on=opened_on,
        created_by=actor,
    )
    fund.full_clean()
    fund.save()
    audit_record(
        actor=actor,
        action="funds.fund_create",
        obj=fund,
        org_unit=_unit_of(fund),
        changes={"code": code, "kind": kind, "regime": regime},
    )
    return fund


@transaction.atomic
def fund_target_set(*, actor, fund: Fund, year, amount: int) -> FundTarget:
    """The fund's goal for a school year: a total to raise, never an amount per student or per parent."""
    fund = _require(actor, fund)
    if amount <= 0:
        raise ValidationError({"amount": _("Mục tiêu vận động phải lớn hơn 0 đồng.")})
    target, _created = FundTarget.objects.update_or_create(fund=fund, year=year, defaults={"amount": amount})
    audit_record(
        actor=actor,
        action="funds.target_set",
        obj=fund,
        org_unit=_unit_of(fund),
        changes={"year": year.name, "amount": amount},
    )
    return target


# ---- donors -------------------------------------------------------------------------------------------------------


@transaction.atomic
def donor_create(
    *,
    actor,
    kind: str,
    name: str,
    org_unit: OrgUnit,
    organisation: Organisation | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
    named_in_public: bool = False,
    named_until: datetime.date | None = None,
) -> Donor:
    donor = Donor(
        kind=kind,
        name=" ".join(nfc(name).split()),
        org_unit=org_unit,
        organisation=organisation,
        phone=phone.strip(),
        email=email.strip(),
        address=nfc(address).strip(),
        named_in_public=named_in_public,
        named_until=named_until if named_in_public else None,
    )
    if kind == Donor.DonorKind.ORGANISATION and organisation is None and not donor.name:
        raise ValidationError({"name": _("Nhập tên tổ chức.")})
    donor.full_clean()
    donor.save()
    if not Donor.objects.restrict(actor, CHANGE).filter(pk=donor.pk).exists():
        raise PermissionDenied  # recorded only where the actor runs funds (rolled back with the transaction)
    audit_record(actor=actor, action="funds.donor_create", obj=donor, org_unit=org_unit, changes={"kind": kind})
    return donor


# ---- donations ----------------------------------------------------------------------------------------------------


def receipt_number(fund: Fund, year: int) -> str:
    """The next receipt number of the fund for a calendar year, `{code}-{YYYY}-{NNNN}`: inside the caller's
    transaction (a rollback gives the number back)."""
    return f"{fund.code}-{year}-{next_number(f'funds.receipt:{fund.code}:{year}'):04d}"


def _donation_shape(kind, amount, description, quantity, unit, valuation) -> dict:
    errors = {}
    if kind == DonationKind.CASH:
        if not amount or amount <= 0:
            errors["amount"] = _("Số tiền phải lớn hơn 0 đồng.")
        quantity = valuation = None
        unit = ""
    elif kind == DonationKind.IN_KIND:
        amount = None
        if not description.strip():
            errors["description"] = _("Ghi rõ hiện vật (ví dụ: vở ô li).")
        if quantity is None or quantity <= 0:
            errors["quantity"] = _("Số lượng hiện vật phải lớn hơn 0.")
        if not unit.strip():
            errors["unit"] = _("Ghi đơn vị tính (quyển, bộ, kg…).")
        if valuation is None or valuation < 0:
            errors["valuation"] = _("Ghi giá trị quy đổi bằng đồng (0 nếu không quy đổi được).")
    elif kind == DonationKind.NON_MATERIAL:
        amount = quantity = None
        if not description.strip():
            errors["description"] = _("Ghi rõ nội dung (ví dụ: 10 ngày công sửa lớp học).")
        if valuation is not None and valuation < 0:
            errors["valuation"] = _("Giá trị quy đổi không được âm.")
    else:
        errors["kind"] = _("Chọn hình thức đóng góp.")
    if errors:
        raise ValidationError(errors)
    return {"amount": amount, "quantity": quantity, "unit": unit.strip(), "valuation": valuation}


def _write_donation(
    *,
    actor,
    fund: Fund,
    donor,
    kind,
    received_on,
    received_by,
    amount=None,
    description="",
    quantity=None,
    unit="",
    valuation=None,
    campaign="",
    instalment=None,
) -> Donation:
    """One donation and its entry; the caller holds the fund's lock and has checked the rights."""
    shape = _donation_shape(kind, amount, description, quantity, unit, valuation)
    _refuse_levy(fund, "campaign", campaign, description)
    if instalment is not None and (
        instalment.pledge.fund_id != fund.pk or instalment.pledge.donor_id != getattr(donor, "pk", None)
    ):
        raise ValidationError({"instalment": _("Đợt cam kết không thuộc nhà tài trợ và quỹ này.")})
    donation = Donation(
        fund=fund,
        donor=donor,
        kind=kind,
        description=nfc(description).strip(),
        received_on=received_on,
        received_by=nfc(received_by).strip(),
        campaign=nfc(campaign).strip(),
        instalment=instalment,
        recorded_by=actor,
        receipt_number="-",
        **shape,
    )
    donation.full_clean(exclude=["receipt_number"])
    donation.receipt_number = receipt_number(fund, received_on.year)
    donation.save()
    if kind == DonationKind.CASH:
        _entry(
            fund=fund,
            kind=Entry.EntryKind.DONATION,
            on=received_on,
            cash=donation.amount,
            donation=donation,
            recorded_by=actor,
        )
    elif kind == DonationKind.IN_KIND:
        _entry(
            fund=fund,
            kind=Entry.EntryKind.DONATION,
            on=received_on,
            item=item_key(donation.description, donation.unit),
            quantity=donation.quantity,
            value=donation.valuation,
            donation=donation,
            recorded_by=actor,
        )
    else:  # help that is no stock: in the history (and the income, at the value entered), never in a balance
        _entry(
            fund=fund,
            kind=Entry.EntryKind.DONATION,
            on=received_on,
            value=donation.valuation or 0,
            donation=donation,
            recorded_by=actor,
        )
    return donation


@transaction.atomic
def donation_record(
    *,
    actor,
    fund: Fund,
    kind: str,
    received_on: datetime.date,
    received_by: str,
    donor: Donor | None = None,
    amount: int | None = None,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    valuation: int | None = None,
    campaign: str = "",
    instalment: Instalment | None = None,
    linked_campaign: int | None = None,
) -> Donation:
    """Record a gift (anonymous without `donor`) and append its ledger entry; numbered from the fund's counter.
    `linked_campaign`: the campaign it was raised for, among those a higher app offers (`apps.funds.campaigns`)."""
    fund = _require(actor, fund)
    if donor is not None:
        donor = get_scoped_or_404(Donor.objects.all(), actor, VIEW, pk=donor.pk)
    if not received_by.strip():
        raise ValidationError({"received_by": _("Ghi người nhận.")})
    fund = _locked(fund)
    donation = _write_donation(
        actor=actor,
        fund=fund,
        donor=donor,
        kind=kind,
        received_on=received_on,
        received_by=received_by,
        amount=amount,
        description=description,
        quantity=quantity,
        unit=unit,
        valuation=valuation,
        campaign=campaign,
        instalment=instalment,
    )
    audit_record(
        actor=actor,
        action="funds.donation_record",
        obj=donation,
        org_unit=_unit_of(fund),
        changes={"fund": fund.code, "kind": kind, "amount": donation.amount, "valuation": donation.valuation},
    )
    if linked_campaign is not None:
        from apps.funds import campaigns

        campaigns.link(actor=actor, donation=donation, ref=linked_campaign)
    return donation


# ---- payouts ------------------------------------------------------------------------------------------------------


def check_purpose(fund: Fund, code: str) -> purpose_table.Purpose:
    """The purpose if the fund's regime allows it; a ValidationError quoting the rule otherwise."""
    found = purpose_table.purpose(code)
    if found is None:
        raise ValidationError({"purpose": _("Chọn mục đích chi trong danh mục.")})
    if not found.allowed_under(fund.regime):
        raise ValidationError(
            {
                "purpose": _("Không được chi “%(label)s” từ quỹ này. %(rule)s")
                % {"label": found.label, "rule": found.rule}
            }
        )
    return found


@transaction.atomic
def payout_record(
    *,
    actor,
    fund: Fund,
    purpose: str,
    recipients: str,
    paid_on: datetime.date,
    amount: int = 0,
    item: str = "",
    quantity: Decimal | None = None,
    school: School | None = None,
    recipient_count: int = 0,
    usage_plan: UsagePlan | None = None,
    board_agreement: str = "",
    note: str = "",
) -> Payout:
    """Money or goods out of a fund. The purpose must be allowed under the fund's regime (the rule is quoted when
    it is not); a Parents' Association payout needs the board's recorded agreement; a sponsorship payout carries
    out a usage plan whose 15 working days of posting have passed; a payout to students names its school and how
    many (the children are linked by the school's staff, `payout_link_children`). Never below zero."""
    fund = _require(actor, fund)
    check_purpose(fund, purpose)
    errors = {}
    if fund.is_parents_association and not board_agreement.strip():
        errors["board_agreement"] = _(
            "Khoản chi của quỹ Ban đại diện cha mẹ học sinh cần có biên bản thống nhất của Ban đại diện (số, ngày)."
        )
    if fund.regime == Regime.SPONSORSHIP:
        if usage_plan is None or usage_plan.fund_id != fund.pk:
            errors["usage_plan"] = _(
                "Thông tư 16/2018/TT-BGDĐT: tài trợ chỉ được sử dụng theo kế hoạch đã niêm yết công khai; "
                "chọn kế hoạch."
            )
        elif paid_on < usage_plan.executable_on:
            errors["usage_plan"] = _(
                "Kế hoạch niêm yết ngày %(posted)s chỉ được thực hiện từ ngày %(from)s "
                "(sau %(n)s ngày làm việc niêm yết)."
            ) % {
                "posted": f"{usage_plan.posted_on:%d/%m/%Y}",
                "from": f"{usage_plan.executable_on:%d/%m/%Y}",
                "n": POSTING_WORKING_DAYS,
            }
    if recipients == Payout.Recipients.STUDENTS:
        if school is None:
            errors["school"] = _("Khoản chi cho học sinh cần ghi trường của các em.")
        if recipient_count <= 0:
            errors["recipient_count"] = _("Ghi số học sinh nhận.")
    if amount < 0:
        errors["amount"] = _("Số tiền không được âm.")
    if not amount and not (item and quantity):
        errors["amount"] = _("Ghi số tiền chi, hoặc hiện vật và số lượng xuất.")
    if errors:
        raise ValidationError(errors)
    if school is not None:
        school = get_scoped_or_404(School.objects.all(), actor, VIEW, pk=school.pk)
        own = fund.owning_school
        if (own is not None and school.pk != own.pk) or (own is None and school.location_id != fund.commune.pk):
            raise ValidationError({"school": _("Quỹ chỉ chi cho học sinh của trường mình hoặc của xã, phường mình.")})
    fund = _locked(fund)
    if amount and cash_balance(fund) < amount:
        raise ValidationError(
            {
                "amount": _("Quỹ chỉ còn %(balance)s, không đủ chi %(amount)s.")
                % {"balance": format_vnd(cash_balance(fund)), "amount": format_vnd(amount)}
            }
        )
    out_value = 0
    if item and quantity:
        have, have_value = stock_of(fund, item)
        if have < quantity:
            raise ValidationError(
                {"quantity": _("Kho chỉ còn %(have)s %(item)s.") % {"have": format_quantity(have), "item": item}}
            )
        out_value = int(have_value * quantity / have) if have else 0  # at the stock's average valuation
    payout = Payout(
        fund=fund,
        purpose=purpose,
        recipients=recipients,
        paid_on=paid_on,
        amount=amount,
        item=item,
        quantity=quantity,
        school=school,
        recipient_count=recipient_count,
        usage_plan=usage_plan,
        board_agreement=nfc(board_agreement).strip(),
        note=nfc(note).strip(),
        recorded_by=actor,
    )
    payout.full_clean()
    payout.save()
    if amount:
        _entry(fund=fund, kind=Entry.EntryKind.PAYOUT, on=paid_on, cash=-amount, payout=payout, recorded_by=actor)
    if item and quantity:
        _entry(
            fund=fund,
            kind=Entry.EntryKind.PAYOUT,
            on=paid_on,
            item=item,
            quantity=-quantity,
            value=-out_value,
            payout=payout,
            recorded_by=actor,
        )
    audit_record(
        actor=actor,
        action="funds.payout_record",
        obj=payout,
        org_unit=_unit_of(fund),
        changes={"fund": fund.code, "purpose": purpose, "amount": amount, "recipient_count": recipient_count},
    )
    return payout


@transaction.atomic
def payout_link_children(*, actor, payout: Payout, children) -> int:
    """Step two of a payout to students: the school's staff name the children (at most the count recorded)."""
    from apps.students.models import Child

    scope = scope_for(actor)
    payout = Payout.objects.restrict(actor, VIEW).filter(pk=payout.pk).first()
    if payout is None:
        raise PermissionDenied
    if payout.recipients != Payout.Recipients.STUDENTS or payout.school_id is None:
        raise ValidationError(_("Khoản chi này không dành cho học sinh."))
    if not (scope.is_admin or payout.school_id in scope.staff_school_ids):
        raise PermissionDenied  # only the school's own staff link its children
    ids = {c.pk for c in children}
    seen = set(Child.objects.restrict(actor, VIEW).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise ValidationError(_("Có học sinh không thuộc trường hoặc không tìm thấy."))
    already = set(PayoutRecipient.objects.filter(payout=payout).values_list("child_id", flat=True))
    new = ids - already
    if len(already) + len(new) > payout.recipient_count:
        raise ValidationError(
            _("Khoản chi ghi %(n)s học sinh: không thể gắn nhiều hơn.") % {"n": payout.recipient_count}
        )
    PayoutRecipient.objects.bulk_create([PayoutRecipient(payout=payout, child_id=pk, linked_by=actor) for pk in new])
    audit_record(
        actor=actor,
        action="funds.payout_link",
        obj=payout,
        org_unit=payout.school.managed_by,
        changes={"children": len(new)},
    )
    return len(new)


# ---- corrections --------------------------------------------------------------------------------------------------


def in_entry_direction(entry: Entry, **figures) -> dict:
    """The figures people type for a correction (what was paid, how many were given out) signed the way the ledger
    keeps `entry`: a payout's figures are negative. None (not corrected) stays None."""
    sign = -1 if entry.payout_id is not None else 1
    return {name: None if n is None else sign * abs(n) for name, n in figures.items()}


@transaction.atomic
def entry_correct(
    *,
    actor,
    entry: Entry,
    reason: str,
    cash: int | None = None,
    quantity: Decimal | None = None,
    value: int | None = None,
) -> tuple[Entry, Entry | None]:
    """Correct an entry: a reversing entry (its opposite, with the reason) and, unless every new figure is zero, the
    entry as it should have been; both under the fund's lock, checked together so the overdraw check sees their
    net effect. Returns (reversal, replacement or None)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do điều chỉnh.")})
    entry = Entry.objects.restrict(actor, CHANGE).filter(pk=entry.pk).first() or _missing(actor, entry)
    fund = _locked(entry.fund)
    entry = Entry.objects.get(pk=entry.pk)
    if entry.kind == Entry.EntryKind.REVERSAL:
        raise ValidationError(_("Không điều chỉnh một bút toán đảo."))
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Bút toán này đã được điều chỉnh; hãy điều chỉnh bút toán ghi lại."))
    cash = entry.cash if cash is None else cash
    quantity = entry.quantity if quantity is None else quantity
    if value is None:  # goods keep their valuation per unit: 10 exercise books at 100.000 ₫ corrected to 5 are 50.000 ₫
        value = (
            entry.value
            if quantity == entry.quantity or not entry.quantity
            else int(entry.value * quantity / entry.quantity)
        )
    if cash and not entry.cash:
        raise ValidationError({"cash": _("Bút toán này không có tiền mặt: điều chỉnh không thêm tiền vào.")})
    if quantity and not entry.item:
        raise ValidationError({"quantity": _("Bút toán này không có hiện vật: điều chỉnh không thêm hiện vật vào.")})
    if value and entry.cash and not entry.item:
        raise ValidationError({"value": _("Bút toán tiền mặt không có giá trị quy đổi: sửa số tiền.")})
    outgoing = entry.payout_id is not None  # a payout's figures stay negative, a donation's positive
    if any(n > 0 if outgoing else n < 0 for n in (cash, quantity, value)):
        raise ValidationError(_("Điều chỉnh không đổi chiều thu, chi của bút toán."))
    new_cash = cash_balance(fund) - entry.cash + cash
    if new_cash < 0:
        raise ValidationError(
            {"cash": _("Sau điều chỉnh quỹ còn %(balance)s: không được âm.") % {"balance": format_vnd(new_cash)}}
        )
    if entry.item:
        have, _v = stock_of(fund, entry.item)
        if have - entry.quantity + quantity < 0:
            raise ValidationError({"quantity": _("Sau điều chỉnh kho âm: không được.")})
    common = {
        "fund": fund,
        "on": entry.on,
        "item": entry.item,
        "donation": entry.donation,
        "payout": entry.payout,
        "recorded_by": actor,
        "reason": nfc(reason).strip(),
    }
    reversal = Entry(
        kind=Entry.EntryKind.REVERSAL,
        reverses=entry,
        cash=-entry.cash,
        quantity=-entry.quantity,
        value=-entry.value,
        **common,
    )
    reversal.full_clean(exclude=["reverses"])
    reversal.save()
    replacement = None
    if cash or quantity or value:
        replacement = _entry(kind=Entry.EntryKind.CORRECTION, cash=cash, quantity=quantity, value=value, **common)
    audit_record(
        actor=actor,
        action="funds.entry_correct",
        obj=entry,
        org_unit=_unit_of(fund),
        changes={"cash": [entry.cash, cash], "quantity": [str(entry.quantity), str(quantity)], "reason": reason},
    )
    return reversal, replacement


def _missing(actor, entry):
    get_scoped_or_404(Entry.objects.all(), actor, VIEW, pk=entry.pk)
    raise PermissionDenied


# ---- usage plans and pledges --------------------------------------------------------------------------------------


@transaction.atomic
def usage_plan_post(*, actor, fund: Fund, title: str, amount: int, posted_on: datetime.date) -> UsagePlan:
    """Record a sponsorship usage plan as posted on `posted_on`; it may be carried out once 15 working days have
    passed (holidays and make-up days from the calendar table)."""
    fund = _require(actor, fund)
    if fund.regime != Regime.SPONSORSHIP:
        raise ValidationError(
            _("Kế hoạch sử dụng niêm yết 15 ngày làm việc áp dụng cho quỹ tài trợ (Thông tư 16/2018).")
        )
    if amount <= 0:
        raise ValidationError({"amount": _("Số tiền dự kiến phải lớn hơn 0 đồng.")})
    plan = UsagePlan(
        fund=fund,
        title=nfc(title).strip(),
        amount=amount,
        posted_on=posted_on,
        executable_on=executable_on(posted_on),
        recorded_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="funds.plan_post",
        obj=plan,
        org_unit=_unit_of(fund),
        changes={"amount": amount, "posted_on": posted_on.isoformat()},
    )
    return plan


@transaction.atomic
def pledge_record(
    *,
    actor,
    fund: Fund,
    donor: Donor,
    made_on: datetime.date,
    instalments: list[tuple[datetime.date, int]],
    campaign: str = "",
) -> Pledge:
    """A donor's promise, in instalments (each a due day and an amount)."""
    fund = _require(actor, fund)
    donor = get_scoped_or_404(Donor.objects.all(), actor, VIEW, pk=donor.pk)
    _refuse_levy(fund, "campaign", campaign)
    if not instalments:
        raise ValidationError({"instalments": _("Ghi ít nhất một đợt (hạn và số tiền).")})
    for due_on, amount in instalments:
        if amount <= 0:
            raise ValidationError({"instalments": _("Số tiền mỗi đợt phải lớn hơn 0 đồng.")})
        if due_on < made_on:
            raise ValidationError({"instalments": _("Hạn của một đợt không thể trước ngày cam kết.")})
    pledge = Pledge.objects.create(
        fund=fund, donor=donor, made_on=made_on, campaign=nfc(campaign).strip(), recorded_by=actor
    )
    Instalment.objects.bulk_create([Instalment(pledge=pledge, due_on=d, amount=a) for d, a in sorted(instalments)])
    audit_record(
        actor=actor,
        action="funds.pledge_record",
        obj=pledge,
        org_unit=_unit_of(fund),
        changes={"total": sum(a for _d, a in instalments), "instalments": len(instalments)},
    )
    return pledge


def donation_letter_issue(*, actor, donation: Donation, on: datetime.date | None = None) -> ThankYouLetter:
    """The donation's thank-you letter, entered in the outgoing register of the fund's owner (`apps.core.issuing`:
    its first issuing body, made from the owner's name when it has none) as a document of the unnumbered kind
    "thu_cam_on", signed by `actor` on `on` (today): once per donation, so asking again returns the letter issued
    the first time and writes nothing. By those who change the donation's fund."""
    from apps.funds import documents as letters

    with transaction.atomic():
        donation = get_scoped_or_404(
            Donation.objects.select_related("fund", "donor"), actor, CHANGE, pk=donation.pk, lock=True
        )
        found = ThankYouLetter.objects.filter(donation=donation).select_related("document").first()
        if found is not None:
            return found
        fund = donation.fund
        on = on or timezone.localdate()
        document = issuing.issue(
            actor=actor,
            school=fund.school,
            org_unit=fund.org_unit,
            organisation=fund.organisation,
            facts=letters.body_facts(fund),
            kind="thu_cam_on",
            summary=f"Thư cảm ơn {donation.donor.name if donation.donor_id else 'nhà hảo tâm'}: "
            f"{donation.receipt_number}, {fund.name}",
            issued_on=on,
            build=lambda body, _number_line, _symbol: letters.letter(donation, on=on, signer=actor, body=body),
        )
        letter = ThankYouLetter.objects.create(donation=donation, document=document, issued_by=actor)
        audit_record(
            actor=actor,
            action="funds.letter_issue",
            obj=donation,
            org_unit=_unit_of(fund),
            changes={"receipt_number": donation.receipt_number},
        )
    return letter
