"""Reads of the funds app: each starts from the scoped queryset (`restrict`), or for the public page from the
`public` action and serves only totals."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from apps.core.scoping import VIEW, get_scoped_or_404
from apps.funds.models import Entry, Fund


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
