"""The rows a unit publishes and a school registers in the annex (seed 003's annex: right-age enrolment and
retention per level; seed 001's health insurance; dropout as a ceiling), with the demo's defaults (seed 003:
preschool 77.3 %, primary 99 %, lower secondary 99 %; retention 100 %, 99.9 %, above 99.5 %; health insurance
≥ 90 %). Each row is an indicator code of the engine and a level (a mask of `schools.Level`, 0 for all levels)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.schools.models import Level
from apps.targets import rules

PRESCHOOL = int(Level.CRECHE | Level.KINDERGARTEN)
PRIMARY = int(Level.PRIMARY)
LOWER = int(Level.LOWER_SECONDARY)
UPPER = int(Level.UPPER_SECONDARY)
ALL = 0

LEVEL_LABELS = {
    PRESCHOOL: _("Mầm non"),
    PRIMARY: _("Tiểu học"),
    LOWER: _("THCS"),
    UPPER: _("THPT"),
    ALL: _("Mọi cấp học"),
}


@dataclass(frozen=True)
class Row:
    indicator: str
    level: int
    comparison: str = rules.GE
    default: Decimal | None = None  # the demo's value (seed 003, 001); None: not published by default

    @property
    def key(self) -> str:
        return f"{self.indicator}-{self.level}"

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, ""))


ROWS = (
    Row("enrol_net", PRESCHOOL, rules.GE, Decimal("77.3")),
    Row("enrol_net", PRIMARY, rules.GE, Decimal("99")),
    Row("enrol_net", LOWER, rules.GE, Decimal("99")),
    Row("retention", PRESCHOOL, rules.GE, Decimal("100")),
    Row("retention", PRIMARY, rules.GE, Decimal("99.9")),
    Row("retention", LOWER, rules.GT, Decimal("99.5")),
    Row("dropout", PRIMARY, rules.LT, None),
    Row("dropout", LOWER, rules.LT, None),
    Row("health_insurance", ALL, rules.GE, Decimal("90")),
    # The funds' progress (money raised over each fund's own target, `apps.funds.indicators`): published by a unit
    # for its subtree, compared at ≥ 100 % of the targets, short in đồng; not a row of the schools' annex.
    Row("fund_progress", ALL, rules.GE, None),
)
IN_ANNEX = tuple(r for r in ROWS if r.indicator != "fund_progress")


def teaches(levels: int, row_level: int) -> bool:
    """Whether a school teaching `levels` registers a row of `row_level` (a row for every level: any school)."""
    return row_level == ALL or bool(levels & row_level)
