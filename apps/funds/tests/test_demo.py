"""The demo's funds (apps/demo/seeds/funds.py), as the session's seed left them."""

import datetime

import pytest
from django.urls import reverse

from apps.funds import selectors, services
from apps.funds.models import Fund
from apps.funds.tests.test_public import demo_names

pytestmark = pytest.mark.django_db


def test_the_demo_holds_seed_000_s_four_funds_with_their_targets_and_a_year_of_money(cast):
    targets = {
        f.code: selectors.target_amount(f, 2025)
        for f in Fund.objects.filter(code__in=["KH-TRANAM", "HH-TRANAM", "CSVC-TRANAM", "CMHS-TRANAM"])
    }
    assert targets == {
        "KH-TRANAM": 4_000_000,
        "HH-TRANAM": 3_000_000,
        "CSVC-TRANAM": 18_000_000,
        "CMHS-TRANAM": 10_000_000,
    }
    for fund in Fund.objects.filter(code__in=targets):
        raised, _target = selectors.fund_progress(fund, 2025)
        assert raised > 0 and services.cash_balance(fund) >= 0
        assert fund.payouts.exists()
    assert Fund.objects.get(code="CMHS-TRANAM").organisation.kind == "parents_association"


def test_the_parents_association_has_its_partner_officer_and_the_principal_only_reads(cast):
    from apps.accounts.models import User
    from apps.core.scoping import can

    officer = User.objects.get(username="cmhs.tranam")
    fund = Fund.objects.get(code="CMHS-TRANAM")
    assert can(officer, fund, "change") and not can(cast.principal_a, fund, "change")
    assert can(cast.principal_a, fund, "view")


def test_a_demo_pledge_is_overdue_in_spring(cast):
    overdue = list(selectors.overdue_instalments(on=datetime.date(2026, 4, 1)))
    assert [(i.pledge.fund.code, i.due_on) for i in overdue] == [("CSVC-TRANAM", datetime.date(2026, 3, 15))]


def test_the_demo_s_public_pages_show_small_counts_as_under_five_and_name_no_child_or_guardian(cast, client_for):
    client = client_for(cast.anonymous)
    pages = [
        client.get(reverse("funds:public_school", args=[cast.school_a.pk])).content.decode(),
        client.get(reverse("funds:public_unit", args=[cast.commune_a.pk])).content.decode(),
        client.get(f"/api/v1/funds/public/school/{cast.school_a.pk}").content.decode(),
        client.get(f"/api/v1/funds/public/unit/{cast.commune_a.pk}").content.decode(),
    ]
    assert "dưới 5" in pages[1] and "Công ty TNHH Nông sản Sâm Ngọc Linh Xanh" in pages[0]
    assert "Bà Công Tằng Tôn Nữ Diệu Hiền" not in "".join(pages)  # did not agree to be named
    names = demo_names()
    assert {name for name in names for page in pages if name in page} == set()


def test_the_seed_refuses_a_donor_named_like_a_demo_guardian(cast):
    from apps.demo.seeds.funds import _assert_no_child_name
    from apps.students.models import Guardian

    guardian = Guardian.objects.first().full_name
    with pytest.raises(AssertionError, match="contains the name of a demo child or guardian"):
        _assert_no_child_name([f"Ông {guardian}"])
    _assert_no_child_name(["Công ty TNHH Nông sản Sâm Ngọc Linh Xanh"])


def test_fund_progress_counts_money_and_goods_at_valuation_against_the_target(cast):
    fund = Fund.objects.get(code="HH-TRANAM")
    # 1.500.000 + 2.000.000 ₫ in cash, 1.600.000 ₫ of exercise books and 3.000.000 ₫ of uniforms.
    assert selectors.fund_progress(fund, 2025) == (8_100_000, 3_000_000)
    assert selectors.fund_progress(fund, 2026) == (0, None)


def test_the_home_page_shows_each_fund_s_progress(cast, client_for):
    page = client_for(cast.principal_a).get(reverse("home")).content.decode()
    assert "Quỹ xã hội hóa: đã vận động so với mục tiêu" in page
    assert "8.100.000 ₫ / 3.000.000 ₫ (270%)" in page
    assert (
        "Quỹ xã hội hóa: đã vận động so với mục tiêu"
        not in client_for(cast.teacher_b).get(reverse("home")).content.decode()
    )
