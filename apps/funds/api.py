"""The funds' API (`/api/v1/funds/`): the caller's funds and donations (scoped like the pages), and the public
transparency figures per school and commune, which need no token."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from apps.funds import selectors, services
from apps.orgunits.models import OrgUnit
from apps.schools.models import School

router = Router(tags=["funds"])


class FundOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    regime: str
    school_id: int | None
    org_unit_id: int | None
    organisation_id: int | None


class FundDetail(FundOut):
    balance: int
    year: str
    raised: int
    target: int | None


class DonationOut(Schema):
    id: int
    receipt_number: str
    fund_id: int
    kind: str
    amount: int | None
    description: str
    quantity: str | None
    unit: str
    valuation: int | None
    received_on: datetime.date
    donor: str | None

    @staticmethod
    def resolve_donor(obj):
        return obj.donor.name if obj.donor_id else None

    @staticmethod
    def resolve_quantity(obj):
        return str(obj.quantity) if obj.quantity is not None else None


class PublicPurpose(Schema):
    label: str
    value: int
    students: int | str  # "dưới 5" for 1–4


class PublicPlan(Schema):
    title: str
    amount: int
    posted_on: datetime.date
    executable_on: datetime.date


class PublicFund(Schema):
    code: str
    name: str
    kind: str
    regime: str
    year: str
    target: int | None
    raised: int
    spent: int
    balance: int
    purposes: list[PublicPurpose]
    plans: list[PublicPlan]
    donors: list[str]

    @staticmethod
    def resolve_kind(obj):
        return str(obj["kind"])

    @staticmethod
    def resolve_regime(obj):
        return str(obj["regime"])


def _public(funds) -> list[dict]:
    rows = selectors.public_summary(funds, on=timezone.localdate())
    for row in rows:
        row.pop("fund")
        for p in row["purposes"]:
            p["students"] = p["students"] if isinstance(p["students"], int) else str(p["students"])
    return rows


@router.get("/", response=list[FundOut])
@paginate
def list_funds(request, q: str = "", kind: str = ""):
    return selectors.fund_list(request.user, q=q, kind=kind)


@router.get("/{int:pk}", response=FundDetail)
def get_fund(request, pk: int):
    fund = selectors.fund_for(request.user, pk)
    year = selectors.fund_year(fund, timezone.localdate())
    raised, target = selectors.fund_progress(fund, year)
    return {
        **FundOut.from_orm(fund).dict(),
        "balance": services.cash_balance(fund),
        "year": f"{year}-{year + 1}",
        "raised": raised,
        "target": target,
    }


@router.get("/{int:pk}/donations", response=list[DonationOut])
@paginate
def list_fund_donations(request, pk: int, q: str = ""):
    fund = selectors.fund_for(request.user, pk)
    return selectors.donation_list(request.user, fund=fund, q=q)


@router.get("/public/school/{int:pk}", response=list[PublicFund], auth=None)
def funds_public_school(request, pk: int):
    """A school's funds as the public sees them: totals, spending by purpose, plans, consenting donors."""
    school = School.objects.filter(pk=pk).first()
    if school is None:
        raise Http404
    return _public(selectors.public_funds_of_school(school))


@router.get("/public/unit/{int:pk}", response=list[PublicFund], auth=None)
def funds_public_unit(request, pk: int):
    """A commune's funds (its own, its organisations', its schools') as the public sees them."""
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    return _public(selectors.public_funds_of_unit(unit))
