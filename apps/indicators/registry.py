"""The registry of indicators: one definition per indicator serves the pages, the exports, the API and later the
plans and documents. This app registers those of `indicators.md` (`definitions.py`); another app registers its own
from its `AppConfig.ready()`, without this app importing it:

    from apps.indicators.registry import Indicator, Value, register

    def fund_progress(query):            # query: Query (year, period, level, breakdown, targets)
        raised = {...}                   # your own tables, scoped by the targets' units or schools
        return {t.key: {"": Value(raised[t.key], target_of[t.key])} for t in query.targets}

    register(Indicator(code="fund_progress", label=_("Tiến độ vận động quỹ"), compute=fund_progress,
                       unit=Indicator.MONEY, source="funds", order=200))

`compute(query)` returns `{target key: {group: Value}}`: for each target (an org unit's subtree or a school) and
each group of the query's breakdown ("" for the total), the two counts. Counts are summed, never rates averaged; a
denominator of zero is "no data" (`Value.rate` is None). Money indicators count ₫ (VND integers) in both counts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

NOT_YET = "not_yet"  # the period's figure does not exist yet (retention before the count day)


@dataclass(frozen=True)
class Value:
    """A numerator over a denominator; `note` NOT_YET when the figure cannot exist yet."""

    numerator: int | None
    denominator: int | None
    note: str = ""

    @property
    def rate(self) -> Decimal | None:
        """The percentage (3 decimals), or None: no data (a zero denominator) or not yet."""
        if self.note or not self.denominator:
            return None
        return (Decimal(self.numerator * 100) / Decimal(self.denominator)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    @property
    def no_data(self) -> bool:
        return not self.note and not self.denominator

    def __add__(self, other: "Value") -> "Value":
        if self.note or other.note:
            return Value(None, None, self.note or other.note)
        return Value((self.numerator or 0) + (other.numerator or 0), (self.denominator or 0) + (other.denominator or 0))


ZERO = Value(0, 0)


@dataclass(frozen=True)
class Target:
    """What a figure is for: an org unit's subtree (`unit`) or one school (`school`)."""

    unit: object = None
    school: object = None

    @property
    def key(self) -> str:
        return f"s{self.school.pk}" if self.school is not None else f"u{self.unit.pk}"

    @property
    def name(self) -> str:
        return self.school.name if self.school is not None else self.unit.name


@dataclass(frozen=True)
class Query:
    """What to compute: for these targets, the school year, the period (`models.Period`), a level (a mask of
    `schools.Level`, or None for all), a breakdown ("" none, "sex", "ethnicity", "grade", "phase", or a household
    circumstance: "poor", "near_poor", "orphan", "disability", "remote_area") and the day it is asked on."""

    targets: tuple
    year: object
    period: str = "Y"
    level: int | None = None
    breakdown: str = ""
    on: object = None
    official: dict = field(default_factory=dict, compare=False, hash=False)  # cache shared by definitions


@dataclass(frozen=True)
class Indicator:
    CHILDREN, MONEY = "children", "money"

    code: str
    label: str
    compute: Callable  # compute(query) -> {target key: {group: Value}}
    levels: tuple = ()  # the levels it is shown for (masks of schools.Level); () = one figure
    breakdowns: tuple = ()  # the breakdowns it supports
    unit: str = CHILDREN
    source: str = "enrolments"  # "enrolments" (schools by location), "census" (hamlets, catchments), or an app's
    order: int = 100
    description: str = ""
    periods: tuple = ()  # the periods it depends on; () = one figure per year (census-based)
    students: Callable | None = None  # students(user, target, query) -> the enrolments behind the numerator


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    """Add (or replace) an indicator; called from an app's `AppConfig.ready()`."""
    _INDICATORS[indicator.code] = indicator


def unregister(code: str) -> None:
    """Take an indicator out again (tests that register one)."""
    _INDICATORS.pop(code, None)


def get(code: str) -> Indicator:
    return _INDICATORS[code]


def indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.code))


LABEL_NO_DATA = _("Chưa có số liệu")
LABEL_NOT_YET = _("Chưa đến kỳ")
