"""The integer comparison rules of a target (pure functions, no database).

A target says "≥ v %", "> v %", "≤ v %" or "< v %" of d children (a rate), or "≥ v" children or đồng (a count, an
amount). Rates are compared in integers, never in rounded percentages: for "≥ v %" of d children the number needed
is ⌈v·d/100⌉ (the universal-education rule, `apps.indicators.universal.needed`, reused), for "> v %" it is
⌊v·d/100⌋ + 1; for the ceilings (a dropout target "dưới 1 %") "≤ v %" allows ⌊v·d/100⌋ and "< v %" allows
⌈v·d/100⌉ − 1. A count or an amount is compared the same way with v itself in place of v·d/100.

`gap` gives how far a figure is from its target: `short` children (or đồng) still needed for a floor ("thiếu N
em"), `over` children beyond a ceiling ("vượt N em"); both 0 when it is met."""

import math
from dataclasses import dataclass
from decimal import Decimal

from apps.indicators.universal import needed

GE, GT, LE, LT = ">=", ">", "<=", "<"
FLOORS = (GE, GT)
CEILINGS = (LE, LT)
RATE, COUNT, MONEY = "rate", "count", "money"


def _threshold(value: Decimal, denominator: int | None, kind: str) -> Decimal:
    value = Decimal(value)
    return value * denominator / 100 if kind == RATE else value


def bound(comparison: str, value, denominator: int | None = None, kind: str = RATE) -> int:
    """The integer the numerator is held to: the least needed for a floor (≥, >), the most allowed for a ceiling
    (≤, <). For a rate, of `denominator` children."""
    if kind == RATE and comparison == GE:
        return needed(Decimal(value), denominator)
    t = _threshold(value, denominator, kind)
    if comparison == GE:
        return math.ceil(t)
    if comparison == GT:
        return math.floor(t) + 1
    if comparison == LE:
        return math.floor(t)
    if comparison == LT:
        return math.ceil(t) - 1
    raise ValueError(f"unknown comparison {comparison!r}")


@dataclass(frozen=True)
class Gap:
    """How a figure stands against its target: `short` still needed (a floor), `over` beyond the limit (a ceiling);
    `bound` the integer it was held to. `no_data` for a rate over no children."""

    comparison: str
    bound: int | None = None
    short: int = 0
    over: int = 0
    no_data: bool = False

    @property
    def met(self) -> bool:
        return not self.no_data and self.short == 0 and self.over == 0

    @property
    def missing(self) -> int:
        """How many children (or đồng) the figure is off by, whichever way: what sorts the worst first."""
        return self.short + self.over


def gap(comparison: str, value, numerator: int | None, denominator: int | None = None, kind: str = RATE) -> Gap:
    """The figure `numerator` (of `denominator` children, for a rate) against the target `comparison value`."""
    if numerator is None or (kind == RATE and not denominator):
        return Gap(comparison, no_data=True)
    b = bound(comparison, value, denominator, kind)
    if comparison in FLOORS:
        return Gap(comparison, b, short=max(0, b - numerator))
    return Gap(comparison, b, over=max(0, numerator - b))
