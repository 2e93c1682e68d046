"""Reads of the funds app: each starts from the scoped queryset (`restrict`), or for the public page from the
`public` action and serves only totals."""

import datetime
from collections import defaultdict
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.core.scoping import CHANGE, PUBLIC, VIEW, Scope, get_scoped_or_404
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
    Pledge,
    ThankYouLetter,
    UsagePlan,
)


def fund_for(user, pk: int, action: str = VIEW) -> Fund:
    return get_scoped_or_404(Fund.objects.select_related("school", "org_unit", "organisation"), user, action, pk=pk)


def fund_history(user, fund: Fund):
    """Every entry of the fund, oldest first: corrections show as a reversal and the entry re-made."""
    return (
        Entry.objects.restrict(user, VIEW)
        .filter(fund=fund)
        .select_related("donation__donor", "payout", "reverses", "recorded_by")
        .order_by("id")
    )


def stock(fund: Fund) -> dict[str, tuple[Decimal, int]]:
    """Goods in stock per item: {item: (quantity, value in đồng)}, items with none left omitted."""
    rows = (
        Entry.objects.filter(fund=fund)
        .exclude(item="")
        .values("item")
        .annotate(q=Sum("quantity"), v=Sum("value"))
        .order_by("item")
    )
    return {r["item"]: (r["q"], r["v"]) for r in rows if r["q"]}


def balances(funds) -> dict[int, int]:
    """Cash per fund id, in one query."""
    totals = defaultdict(int)
    for row in Entry.objects.filter(fund__in=funds).values("fund").annotate(total=Sum("cash")):
        totals[row["fund"]] = row["total"] or 0
    return totals


# ---- periods ------------------------------------------------------------------------------------------------------


def year_bounds(fund: Fund, start_year: int) -> tuple[datetime.date, datetime.date]:
    """The school year starting in `start_year` as the fund's province keeps it (1 July → 30 June otherwise)."""
    from apps.schools.models import SchoolYear

    province = fund.commune.province() if fund.commune else None
    year = SchoolYear.objects.filter(province=province, start_year=start_year).first() if province else None
    if year is not None:
        return year.starts_on, year.ends_on
    return datetime.date(start_year, 7, 1), datetime.date(start_year + 1, 6, 30)


def school_year_of(day: datetime.date) -> int:
    """The start year of the school year a day falls in (July to June)."""
    return day.year if day.month >= 7 else day.year - 1


def fund_year(fund: Fund, on: datetime.date) -> int:
    """The start year of the school year a fund's pages open on: its province's year under way if it holds data,
    else the latest that does (`schools.selectors.current_year`)."""
    from apps.schools.selectors import current_year

    year = current_year(fund.commune, on) if fund.commune else None
    return year.start_year if year else school_year_of(on)


def years_holding_funds(year_ids) -> set[int]:
    """The school years with a fund target (registered with `schools.selectors.register_year_data`)."""
    return set(FundTarget.objects.filter(year__in=year_ids).values_list("year", flat=True))


def december_review_bounds(fund: Fund, start_year: int) -> tuple[datetime.date, datetime.date]:
    """Seed 000's December review: from the school year's start to 31 December."""
    starts, _ends = year_bounds(fund, start_year)
    return starts, datetime.date(start_year, 12, 31)


# ---- figures ------------------------------------------------------------------------------------------------------

VALUE = F("cash") + F("value")  # what an entry is worth: cash, or goods and help at their valuation


def raised(fund: Fund, starts: datetime.date, ends: datetime.date) -> int:
    """Money raised over a period, goods and help at their valuation, corrections included."""
    entries = Entry.objects.filter(fund=fund, donation__isnull=False, on__gte=starts, on__lte=ends)
    return entries.aggregate(total=Sum(VALUE))["total"] or 0


def spent(fund: Fund, starts: datetime.date, ends: datetime.date) -> int:
    entries = Entry.objects.filter(fund=fund, payout__isnull=False, on__gte=starts, on__lte=ends)
    return -(entries.aggregate(total=Sum(VALUE))["total"] or 0)


def target_amount(fund: Fund, start_year: int) -> int | None:
    return FundTarget.objects.filter(fund=fund, year__start_year=start_year).values_list("amount", flat=True).first()


def fund_progress(fund: Fund, year: int) -> tuple[int, int | None]:
    """(raised in đồng, money and goods at valuation, over school year `year`; the year's target or None): the
    figures of the `fund_progress` indicator."""
    starts, ends = year_bounds(fund, year)
    return raised(fund, starts, ends), target_amount(fund, year)


def progress_of(funds, on: datetime.date) -> dict[int, tuple[int, int, int | None]]:
    """{fund id: (start year, raised, target or None)}: `fund_year` and `fund_progress` of many funds at once (the
    home tile), in a fixed number of queries whatever the number of funds: the provinces and their school years
    once, then one grouped sum and one query for the targets."""
    from apps.schools.models import SchoolYear
    from apps.schools.selectors import default_year

    funds = list(funds)
    communes = {f.pk: f.commune for f in funds}
    province_of = {pk: (c.ancestor_ids() or [c.pk])[0] for pk, c in communes.items() if c is not None}  # province()
    years = defaultdict(list)
    for year in SchoolYear.objects.filter(province__in=set(province_of.values())):
        years[year.province_id].append(year)
    under_way = {p: default_year(ys, on) for p, ys in years.items()}
    periods = {}  # fund id → (start year, starts, ends)
    for fund in funds:
        province = province_of.get(fund.pk)
        year = under_way.get(province) if province is not None else None
        start = year.start_year if year else school_year_of(on)
        kept = next((y for y in years.get(province, ()) if y.start_year == start), None)
        starts, ends = (
            (kept.starts_on, kept.ends_on) if kept else (datetime.date(start, 7, 1), datetime.date(start + 1, 6, 30))
        )
        periods[fund.pk] = (start, starts, ends)
    if not periods:
        return {}
    within = reduce(or_, (Q(fund_id=pk, on__gte=s, on__lte=e) for pk, (_y, s, e) in periods.items()))
    sums = dict(
        Entry.objects.filter(within, donation__isnull=False)
        .values("fund")
        .annotate(total=Sum(VALUE))
        .order_by()
        .values_list("fund", "total")
    )
    goals = {}
    of_year = reduce(or_, (Q(fund_id=pk, year__start_year=y) for pk, (y, _s, _e) in periods.items()))
    for fund_id, amount in FundTarget.objects.filter(of_year).values_list("fund", "amount"):
        goals.setdefault(fund_id, amount)  # the model's ordering, as `target_amount`'s first()
    return {pk: (y, sums.get(pk) or 0, goals.get(pk)) for pk, (y, _s, _e) in periods.items()}


def income_by_source(fund: Fund, starts, ends) -> list[dict]:
    """Income by kind of donor (anonymous apart) and kind of gift: [{source, kind, value, count}]."""
    rows = (
        Entry.objects.filter(fund=fund, donation__isnull=False, on__gte=starts, on__lte=ends)
        .values("donation__donor__kind", "donation__kind")
        .annotate(total=Sum(VALUE), n=Count("donation", distinct=True))
        .order_by("donation__donor__kind", "donation__kind")
    )
    donor_kinds = dict(Donor.DonorKind.choices)
    kinds = dict(DonationKind.choices)
    return [
        {
            "source": str(donor_kinds.get(r["donation__donor__kind"], _("Ẩn danh"))),
            "kind": str(kinds[r["donation__kind"]]),
            "value": r["total"] or 0,
            "count": r["n"],
        }
        for r in rows
    ]


def payouts_by_purpose(fund: Fund, starts, ends) -> list[dict]:
    """Spending by purpose: [{code, label, value, students}] (students: how many were helped, counted per payout)."""
    entries = (
        Entry.objects.filter(fund=fund, payout__isnull=False, on__gte=starts, on__lte=ends)
        .values("payout__purpose")
        .annotate(total=Sum(VALUE))
        .order_by("payout__purpose")
    )
    students = dict(
        Payout.objects.filter(fund=fund, recipients=Payout.Recipients.STUDENTS, paid_on__gte=starts, paid_on__lte=ends)
        .values("purpose")
        .annotate(n=Sum("recipient_count"))
        .values_list("purpose", "n")
    )
    result = []
    for row in entries:
        code = row["payout__purpose"]
        found = purpose_table.purpose(code)
        result.append(
            {
                "code": code,
                "label": found.label if found else code,
                "value": -(row["total"] or 0),
                "students": students.get(code, 0) or 0,
            }
        )
    return result


SMALL_COUNT = 5


def shown_count(n: int):
    """A count of children as the public sees it: 1–4 as "dưới 5", so that no child can be picked out."""
    return _("dưới 5") if 0 < n < SMALL_COUNT else n


def public_donor_names(fund: Fund, on: datetime.date) -> list[str]:
    """Names of the fund's donors who agreed to be named, while they agree; nobody else."""
    donors = (
        Donor.objects.within(Scope(), PUBLIC)
        .filter(donations__fund=fund)
        .filter(Q(named_until__isnull=True) | Q(named_until__gte=on))
    )
    return sorted(set(donors.values_list("name", flat=True)))


def public_summary(funds, *, on: datetime.date, start_year: int | None = None) -> list[dict]:
    """What the transparency page shows of each fund: target, raised, spent and the cash left, spending by purpose
    with the students helped ("dưới 5" for 1–4), the usage plans with the day posted, consenting donors' names.
    Never a child, never a payout's own text."""
    shown = []
    for fund in Fund.objects.within(Scope(), PUBLIC).filter(pk__in=[f.pk for f in funds]).order_by("name"):
        year = start_year if start_year is not None else fund_year(fund, on)
        starts, ends = year_bounds(fund, year)
        shown.append(
            {
                "fund": fund,
                "code": fund.code,
                "name": fund.name,
                "kind": fund.get_kind_display(),
                "regime": fund.get_regime_display(),
                "year": f"{year}-{year + 1}",
                "target": target_amount(fund, year),
                "raised": raised(fund, starts, ends),
                "spent": spent(fund, starts, ends),
                "balance": Entry.objects.filter(fund=fund).aggregate(t=Sum("cash"))["t"] or 0,
                "purposes": [
                    {"label": p["label"], "value": p["value"], "students": shown_count(p["students"])}
                    for p in payouts_by_purpose(fund, starts, ends)
                ],
                "plans": [
                    {"title": p.title, "amount": p.amount, "posted_on": p.posted_on, "executable_on": p.executable_on}
                    for p in UsagePlan.objects.within(Scope(), PUBLIC).filter(
                        fund=fund, posted_on__gte=starts, posted_on__lte=ends
                    )
                ],
                "donors": public_donor_names(fund, on),
            }
        )
    return shown


def public_funds_of_school(school) -> list[Fund]:
    return list(Fund.objects.within(Scope(), PUBLIC).of_school(school))


def public_funds_of_unit(unit) -> list[Fund]:
    return list(Fund.objects.within(Scope(), PUBLIC).of_commune(unit))


# ---- lists --------------------------------------------------------------------------------------------------------


def fund_list(user, *, q: str = "", kind: str = ""):
    funds = Fund.objects.restrict(user, VIEW).select_related("school", "org_unit", "organisation")
    if q:
        funds = funds.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        funds = funds.filter(kind=kind)
    return funds.order_by("name", "pk")


def donation_list(user, *, fund: Fund | None = None, q: str = "", year: int | None = None):
    donations = Donation.objects.restrict(user, VIEW).select_related("fund", "donor", "letter")
    if fund is not None:
        donations = donations.filter(fund=fund)
    if q:
        donations = donations.filter(Q(receipt_number__icontains=q) | Q(donor__name__icontains=q))
    if year:
        donations = donations.filter(received_on__year=year)
    return donations.order_by("-received_on", "-pk")


def donation_letter(donation: Donation):
    """The donation's thank-you letter as issued (with its register entry), or None when none was issued yet."""
    return ThankYouLetter.objects.filter(donation=donation).select_related("document").first()


def payout_list(user, *, fund: Fund | None = None):
    payouts = Payout.objects.restrict(user, VIEW).select_related("fund", "school")
    return (payouts.filter(fund=fund) if fund is not None else payouts).order_by("-paid_on", "-pk")


def donor_list(user, *, q: str = ""):
    donors = Donor.objects.restrict(user, VIEW).select_related("org_unit", "organisation")
    if q:
        donors = donors.filter(name__icontains=q)
    return donors.order_by("name", "pk")


def plan_list(user, *, fund: Fund | None = None):
    plans = UsagePlan.objects.restrict(user, VIEW).select_related("fund")
    return (plans.filter(fund=fund) if fund is not None else plans).order_by("-posted_on", "-pk")


def pledge_list(user, *, fund: Fund | None = None):
    pledges = (
        Pledge.objects.restrict(user, VIEW)
        .select_related("fund", "donor")
        .prefetch_related(Prefetch("instalments", queryset=with_paid(Instalment.objects.order_by("due_on", "pk"))))
    )
    return (pledges.filter(fund=fund) if fund is not None else pledges).order_by("-made_on", "-pk")


def with_paid(instalments):
    """Annotate each instalment with `paid`: what the ledger holds for the donations recorded against it — cash and
    the value of goods, after every correction (a donation corrected from 1.000.000 ₫ to 100.000 ₫ paid 100.000 ₫)."""
    paid = (
        Entry.objects.filter(donation__instalment=OuterRef("pk"))
        .values("donation__instalment")
        .annotate(t=Sum(F("cash") + F("value")))
        .values("t")
    )
    return instalments.annotate(paid=Coalesce(Subquery(paid), 0))


def open_instalments(fund: Fund):
    """The instalments of `fund`'s pledges not fully paid yet, earliest due first: what a new donation may pay."""
    return (
        with_paid(Instalment.objects.filter(pledge__fund=fund))
        .filter(paid__lt=F("amount"))
        .select_related("pledge__donor")
        .order_by("due_on", "pk")
    )


def overdue_instalments(*, on: datetime.date, funds=None):
    """Instalments due before `on` and not fully paid (what the ledger holds for them below the amount due)."""
    instalments = with_paid(Instalment.objects.filter(due_on__lt=on))
    if funds is not None:
        instalments = instalments.filter(pledge__fund__in=funds)
    return (
        instalments.filter(paid__lt=F("amount"))
        .select_related("pledge__donor", "pledge__fund")
        .order_by("due_on", "pk")
    )


def overdue_for(user, *, on: datetime.date):
    """The overdue instalments of the funds `user` manages, with their donors' contacts (managers only)."""
    return overdue_instalments(on=on, funds=Fund.objects.restrict(user, CHANGE))


def managers_of(fund: Fund):
    """The people who run a fund (they are told of overdue pledges): its owner's managers as `fund_q` says."""
    from apps.accounts.models import RoleAssignment, User

    assignments = RoleAssignment.objects.active()
    if fund.is_parents_association or fund.organisation_id:
        users = assignments.filter(organisation=fund.organisation_id, role="partner_officer")
    elif fund.school_id:
        users = assignments.filter(
            Q(school=fund.school_id, role="principal") | Q(org_unit=fund.school.managed_by_id, role="commune_officer")
        )
    else:
        users = assignments.filter(org_unit=fund.org_unit_id)
    return User.objects.filter(pk__in=users.values("user"), is_active=True)


def donor_units(user):
    """The communes where `user` keeps donors (where they run funds), as `DonorQuerySet` says."""
    from apps.core.scoping import scope_for, under
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import Organisation, School

    units = OrgUnit.objects.current().filter(level=OrgUnit.Level.COMMUNE)
    scope = scope_for(user)
    if scope.is_admin:
        return units.order_by("name")
    if scope.is_empty:
        return units.none()
    principal_communes = School.objects.filter(pk__in=scope.principal_school_ids).values("location")
    partner = Organisation.objects.filter(pk__in=scope.organisation_ids)
    return units.filter(
        under("", scope.officer_paths)
        | Q(pk__in=principal_communes)
        | Q(pk__in=partner.filter(org_unit__isnull=False).values("org_unit"))
        | Q(pk__in=partner.filter(school__isnull=False).values("school__location"))
    ).order_by("name")


# ---- campaigns (read by plans' campaign reports, issue 19) ---------------------------------------------------------

GIFT_PURPOSES = ("gift_tet", "gift_school_start", "gift_tiep_buoc", "books_clothes")
SCHOLARSHIP_PURPOSES = ("scholarship",)


def funds_of(user, *, commune=None, school=None):
    """The funds the user sees that are kept at `school` (its own and its organisations') or in `commune`."""
    funds = Fund.objects.restrict(user, VIEW)
    return funds.of_school(school) if school is not None else funds.of_commune(commune)


def payouts_to_students(funds, starts, ends, purposes) -> tuple[int, int]:
    """(students helped, value in đồng) of the payouts of `funds` for `purposes` over a period: the helped counted
    per payout, the value from the ledger (money and goods at valuation, corrections included)."""
    value = Entry.objects.filter(
        fund__in=funds, payout__purpose__in=purposes, on__gte=starts, on__lte=ends, payout__isnull=False
    ).aggregate(total=Sum(VALUE))["total"]
    helped = Payout.objects.filter(
        fund__in=funds, purpose__in=purposes, paid_on__gte=starts, paid_on__lte=ends
    ).aggregate(n=Sum("recipient_count"))["n"]
    return helped or 0, -(value or 0)


def donations_value(donations) -> int:
    """What `donations` are worth in đồng from the ledger (cash, goods and help at valuation, corrections
    included)."""
    entries = Entry.objects.filter(donation__in=donations)
    return entries.aggregate(total=Sum(VALUE))["total"] or 0
