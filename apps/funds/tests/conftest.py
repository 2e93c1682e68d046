"""Fixtures of the funds' tests: seed 000's funds for school A (Trường PTDTBT Tiểu học Trà Nam), a Parents'
Association officer, and small helpers to record money."""

import datetime
from decimal import Decimal

import pytest

from apps.funds import services
from apps.funds.models import DonationKind, Kind, Regime
from apps.schools.models import Organisation

DAY = datetime.date(2025, 9, 8)


@pytest.fixture
def pa_officer(cast):
    from apps.accounts import services as accounts
    from apps.accounts.models import Role, User

    existing = User.objects.filter(username="test.cmhs").first()
    if existing:
        return existing
    return accounts.user_create(
        actor=cast.admin,
        username="test.cmhs",
        password="x-test-password-2025",
        full_name="Trưởng ban CMHS (thử)",
        role=Role.PARTNER_OFFICER,
        organisation=parents_org(cast),
    )


def parents_org(cast):
    return Organisation.objects.get(school=cast.school_a, kind=Organisation.Kind.PARENTS)


@pytest.fixture
def sponsorship_fund(cast):
    return services.fund_create(
        actor=cast.principal_a,
        code="T-CSVC-TN",
        name="Quỹ hỗ trợ xây dựng cơ sở vật chất (thử)",
        kind=Kind.FACILITIES,
        regime=Regime.SPONSORSHIP,
        school=cast.school_a,
        opened_on=DAY,
    )


@pytest.fixture
def study_fund(cast):
    return services.fund_create(
        actor=cast.partner,
        code="T-KH-TL",
        name="Quỹ khuyến học xã Trà Linh (thử)",
        kind=Kind.STUDY_PROMOTION,
        regime=Regime.ASSOCIATION,
        organisation=cast.organisation,
        opened_on=DAY,
    )


@pytest.fixture
def parents_fund(cast, pa_officer):
    return services.fund_create(
        actor=pa_officer,
        code="T-CMHS-TN",
        name="Quỹ Ban đại diện CMHS (thử)",
        kind=Kind.PARENTS_ASSOCIATION,
        regime=Regime.PARENTS_ASSOCIATION,
        organisation=parents_org(cast),
        opened_on=DAY,
    )


def give_goods(actor, fund, quantity="10", valuation=100_000, description="Vở", unit="quyển", on=DAY):
    """A gift of goods (ten exercise books worth 100.000 ₫ unless told otherwise)."""
    return services.donation_record(
        actor=actor,
        fund=fund,
        kind=DonationKind.IN_KIND,
        received_on=on,
        received_by="Thủ quỹ",
        description=description,
        quantity=Decimal(quantity),
        unit=unit,
        valuation=valuation,
    )


def give(actor, fund, amount, on=DAY, **extra):
    return services.donation_record(
        actor=actor,
        fund=fund,
        kind=DonationKind.CASH,
        amount=amount,
        received_on=on,
        received_by="Thủ quỹ",
        **extra,
    )
