import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.funds import selectors, services
from apps.funds.models import DonationKind, Entry, Payout
from apps.funds.tests.conftest import DAY, give, give_goods

pytestmark = pytest.mark.django_db


class TestDonations:
    def test_receipt_numbers_follow_each_other_per_fund_and_calendar_year(self, cast, study_fund):
        numbers = [give(cast.partner, study_fund, 100_000).receipt_number for _ in range(2)]
        next_year = give(cast.partner, study_fund, 100_000, on=datetime.date(2026, 1, 5)).receipt_number
        assert numbers == ["T-KH-TL-2025-0001", "T-KH-TL-2025-0002"]
        assert next_year == "T-KH-TL-2026-0001"

    def test_a_refused_donation_gives_its_number_back(self, cast, study_fund):
        give(cast.partner, study_fund, 100_000)
        with pytest.raises(ValidationError):
            give(cast.partner, study_fund, 0)
        assert give(cast.partner, study_fund, 100_000).receipt_number == "T-KH-TL-2025-0002"

    def test_goods_enter_the_stock_and_non_material_help_only_the_history(self, cast, sponsorship_fund):
        services.donation_record(
            actor=cast.principal_a,
            fund=sponsorship_fund,
            kind=DonationKind.IN_KIND,
            received_on=DAY,
            received_by="Thủ quỹ",
            description="Vở ô li",
            quantity=Decimal("120"),
            unit="quyển",
            valuation=960_000,
        )
        services.donation_record(
            actor=cast.principal_a,
            fund=sponsorship_fund,
            kind=DonationKind.NON_MATERIAL,
            received_on=DAY,
            received_by="Thủ quỹ",
            description="10 ngày công sửa lớp học",
        )
        assert selectors.stock(sponsorship_fund) == {"Vở ô li (quyển)": (Decimal("120.00"), 960_000)}
        assert services.cash_balance(sponsorship_fund) == 0
        assert sponsorship_fund.entries.count() == 2

    def test_goods_need_quantity_unit_and_a_valuation(self, cast, sponsorship_fund):
        with pytest.raises(ValidationError) as error:
            services.donation_record(
                actor=cast.principal_a,
                fund=sponsorship_fund,
                kind=DonationKind.IN_KIND,
                received_on=DAY,
                received_by="Thủ quỹ",
                description="Quần áo",
            )
        assert set(error.value.message_dict) == {"quantity", "unit", "valuation"}

    def test_a_teacher_cannot_record_and_another_commune_does_not_see_the_fund(self, cast, sponsorship_fund):
        with pytest.raises(PermissionDenied):
            give(cast.teacher_a, sponsorship_fund, 100_000)
        with pytest.raises(Http404):
            give(cast.other_commune_officer, sponsorship_fund, 100_000)


class TestCorrections:
    def test_a_correction_fixes_a_wrong_amount_and_both_entries_show_in_the_history(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 5_000_000).entries.get()  # 500.000 ₫ typed with an extra zero
        reversal, replacement = services.entry_correct(
            actor=cast.partner, entry=entry, cash=500_000, reason="Gõ thừa một số 0"
        )
        assert services.cash_balance(study_fund) == 500_000
        history = selectors.fund_history(cast.partner, study_fund)
        assert [(e.kind, e.cash) for e in history] == [
            (Entry.EntryKind.DONATION, 5_000_000),
            (Entry.EntryKind.REVERSAL, -5_000_000),
            (Entry.EntryKind.CORRECTION, 500_000),
        ]
        assert reversal.reverses == entry and reversal.reason == "Gõ thừa một số 0"
        assert replacement.donation == entry.donation

    def test_an_entry_is_corrected_once_then_its_replacement_is(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 300_000).entries.get()
        _r, replacement = services.entry_correct(actor=cast.partner, entry=entry, cash=200_000, reason="sai")
        with pytest.raises(ValidationError):
            services.entry_correct(actor=cast.partner, entry=entry, cash=100_000, reason="lại")
        services.entry_correct(actor=cast.partner, entry=replacement, cash=100_000, reason="lại")
        assert services.cash_balance(study_fund) == 100_000

    def test_a_correction_adds_no_cash_where_none_was_and_keeps_the_direction(self, cast, study_fund):
        give_goods(cast.partner, study_fund)
        goods_out = _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("4")).entries.get()
        with pytest.raises(ValidationError, match="không có tiền mặt"):
            services.entry_correct(actor=cast.partner, entry=goods_out, cash=500_000, reason="sai")
        with pytest.raises(ValidationError, match="không đổi chiều"):
            services.entry_correct(actor=cast.partner, entry=goods_out, quantity=Decimal("2"), reason="sai")
        cash_in = give(cast.partner, study_fund, 300_000).entries.get()
        with pytest.raises(ValidationError, match="không có hiện vật"):
            services.entry_correct(actor=cast.partner, entry=cash_in, quantity=Decimal("3"), reason="sai")
        assert services.cash_balance(study_fund) == 300_000

    def test_a_corrected_quantity_of_goods_keeps_its_value_per_unit(self, cast, study_fund):
        give_goods(cast.partner, study_fund)
        goods_out = _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("4")).entries.get()
        _r, replacement = services.entry_correct(
            actor=cast.partner, entry=goods_out, quantity=Decimal("-2"), reason="xuất 2 quyển"
        )
        assert replacement.value == -20_000
        assert selectors.stock(study_fund) == {"Vở (quyển)": (Decimal("8.00"), 80_000)}

    def test_a_corrected_valuation_of_goods_is_the_new_value_and_a_cash_entry_has_none(self, cast, study_fund):
        entry = give_goods(cast.partner, study_fund).entries.get()
        _r, replacement = services.entry_correct(actor=cast.partner, entry=entry, value=150_000, reason="định giá lại")
        assert (replacement.quantity, replacement.value) == (Decimal("10.00"), 150_000)
        assert selectors.stock(study_fund) == {"Vở (quyển)": (Decimal("10.00"), 150_000)}
        cash_in = give(cast.partner, study_fund, 300_000).entries.get()
        with pytest.raises(ValidationError, match="không có giá trị quy đổi"):
            services.entry_correct(actor=cast.partner, entry=cash_in, value=10_000, reason="sai")

    def test_the_figures_typed_for_a_correction_take_the_entry_s_direction(self, cast, study_fund):
        give_goods(cast.partner, study_fund)
        goods_out = _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("4")).entries.get()
        assert services.in_entry_direction(goods_out, quantity=Decimal("3"), value=30_000, cash=None) == {
            "quantity": Decimal("-3"),
            "value": -30_000,
            "cash": None,
        }
        gift = give(cast.partner, study_fund, 1_000).entries.get()
        assert services.in_entry_direction(gift, cash=500) == {"cash": 500}

    def test_a_correction_that_would_overdraw_is_refused_on_its_net_effect(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 1_000_000).entries.get()
        _pay(cast.partner, study_fund, 800_000)
        with pytest.raises(ValidationError, match="không được âm"):
            services.entry_correct(actor=cast.partner, entry=entry, cash=500_000, reason="sai số")
        services.entry_correct(actor=cast.partner, entry=entry, cash=900_000, reason="sai số")
        assert services.cash_balance(study_fund) == 100_000

    def test_a_correction_needs_a_reason(self, cast, study_fund):
        entry = give(cast.partner, study_fund, 1_000).entries.get()
        with pytest.raises(ValidationError):
            services.entry_correct(actor=cast.partner, entry=entry, cash=2_000, reason=" ")


def _pay(actor, fund, amount, purpose="scholarship", **extra):
    fields = {"recipients": Payout.Recipients.PURPOSE, "paid_on": DAY, "amount": amount, **extra}
    return services.payout_record(actor=actor, fund=fund, purpose=purpose, **fields)


class TestOverdraw:
    def test_a_payout_above_the_balance_is_refused(self, cast, study_fund):
        give(cast.partner, study_fund, 1_000_000)
        with pytest.raises(ValidationError, match="không đủ chi"):
            _pay(cast.partner, study_fund, 1_000_001)
        _pay(cast.partner, study_fund, 1_000_000)
        assert services.cash_balance(study_fund) == 0

    def test_goods_out_cannot_exceed_the_stock(self, cast, study_fund):
        give_goods(cast.partner, study_fund)
        with pytest.raises(ValidationError, match="Kho chỉ còn 10"):
            _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("11"))
        payout = _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("4"))
        assert payout.entries.get().value == -40_000
        assert selectors.stock(study_fund) == {"Vở (quyển)": (Decimal("6.00"), 60_000)}


# ---- the property: balance == sum of entries, never below zero ---------------------------------------------------

step = st.one_of(
    st.tuples(st.just("give"), st.integers(min_value=1, max_value=5_000_000)),
    st.tuples(st.just("pay"), st.integers(min_value=1, max_value=5_000_000)),
    st.tuples(
        st.just("correct"), st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=5_000_000)
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_the_balance_is_the_sum_of_the_entries_and_never_below_zero(cast, steps):
    from django.db import transaction

    from apps.funds.models import Fund

    with transaction.atomic():  # each example starts from nothing and leaves nothing
        fund = services.fund_create(
            actor=cast.partner,
            code="T-PROP",
            name="p",
            kind="study_promotion",
            regime="association",
            organisation=cast.organisation,
            opened_on=DAY,
        )
        model = 0
        for action, *args in steps:
            try:
                if action == "give":
                    give(cast.partner, fund, args[0])
                    model += args[0]
                elif action == "pay":
                    _pay(cast.partner, fund, args[0])
                    model -= args[0]
                else:
                    entries = list(Entry.objects.filter(fund=fund, reversed_by__isnull=True).exclude(kind="reversal"))
                    if not entries:
                        continue
                    entry = entries[args[0] % len(entries)]
                    new = args[1] if entry.cash >= 0 else -args[1]
                    services.entry_correct(actor=cast.partner, entry=entry, cash=new, reason="p")
                    model += new - entry.cash
            except ValidationError:
                pass  # refused: nothing changed (checked below)
            balance = services.cash_balance(fund)
            assert balance == model
            assert balance == sum(Entry.objects.filter(fund=fund).values_list("cash", flat=True))
            assert balance >= 0
        transaction.set_rollback(True)
    assert not Fund.objects.filter(code="T-PROP").exists()


class TestReversals:
    def test_a_reversed_donation_keeps_its_number_and_the_next_one_follows(self, cast, study_fund):
        first = give(cast.partner, study_fund, 300_000)
        reversal, replacement = services.entry_correct(
            actor=cast.partner, entry=first.entries.get(), cash=0, reason="Nhà hảo tâm chuyển nhầm quỹ"
        )
        assert replacement is None and services.cash_balance(study_fund) == 0
        assert give(cast.partner, study_fund, 100_000).receipt_number == "T-KH-TL-2025-0002"
        assert first.entries.count() == 2  # the gift and its reversal, both kept
