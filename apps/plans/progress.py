"""Live progress of a plan's targets: a computed target asks the indicator engine for the plan owner's figure (or
the linked kind's own figure, `linkable`), an attested one says met, not met or not yet assessed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.indicators import registry
from apps.indicators import selectors as engine
from apps.indicators.models import Period
from apps.plans import linkable
from apps.targets import rules

SYMBOLS = {rules.GE: "≥", rules.GT: ">", rules.LE: "≤", rules.LT: "<"}


def engine_progress(indicator, level, comparison, value, *, school=None, unit=None, year=None, on=None):
    """The engine's figure of `indicator` for a school (or a unit's subtree) in `year`, against `comparison value`."""
    if year is None:
        return linkable.Progress(None, value, comparison, None, _("Chưa chọn năm học"))
    try:
        found = registry.get(indicator)
    except KeyError:
        return linkable.Progress(None, value, comparison, None, _("Chỉ số không có trong hệ thống"))
    target = registry.Target(unit=unit, school=school)
    figures = engine.figures([target], year=year, period=Period.YEAR, level=level or None, on=on, codes={indicator})
    figure = figures.get(indicator, {}).get(target.key, {}).get("", registry.ZERO)
    kind = rules.MONEY if found.unit == registry.Indicator.MONEY else rules.RATE
    if figure.note:
        return linkable.Progress(None, value, comparison, None, str(registry.LABEL_NOT_YET))
    if kind == rules.RATE:
        reached = figure.rate
        if reached is None:
            return linkable.Progress(None, value, comparison, None, str(registry.LABEL_NO_DATA))
        met = None if value is None else rules.gap(comparison, value, figure.numerator, figure.denominator).met
        text = f"{reached:.1f} % ({figure.numerator}/{figure.denominator})"
    else:
        reached = Decimal(figure.numerator or 0)
        met = None if value is None else rules.gap(comparison, value, figure.numerator, None, kind).met
        text = f"{int(reached):,} ₫".replace(",", ".")
    return linkable.Progress(reached, value, comparison, met, text)


@dataclass
class Line:
    target: object
    progress: linkable.Progress | None

    @property
    def goal_text(self) -> str:
        t = self.target
        if t.value is None:
            return ""
        return f"{SYMBOLS.get(t.comparison, t.comparison)} {t.value.normalize():f}"


def plan_year(plan):
    if plan.school_year_id:
        return plan.school_year
    from apps.schools.models import SchoolYear

    province = (plan.school.location if plan.school_id else plan.org_unit).province()
    return SchoolYear.objects.filter(province=province).containing(plan.period_start).first()


def measure(plan, *, on: datetime.date | None = None) -> list[Line]:
    """Each target of the plan with its live progress."""
    on = on or timezone.localdate()
    year = None
    lines = []
    for target in plan.targets.all():
        if target.mode == target.Mode.ATTESTED:
            text = {True: _("Đạt"), False: _("Chưa đạt"), None: _("Chưa đánh giá")}[target.met]
            lines.append(Line(target, linkable.Progress(None, None, "", target.met, text)))
            continue
        if target.link_kind:
            kind = linkable.get(target.link_kind)
            found = kind.progress(target.link_id, plan, on) if kind and target.link_id else None
            if found is not None and target.value is not None and found.value is not None:
                cmp = target.comparison or rules.GE
                met = _compare(found.value, cmp, target.value)
                found = linkable.Progress(found.value, target.value, cmp, met, found.text)
            lines.append(Line(target, found))
            continue
        if year is None:
            year = plan_year(plan)
        school = plan.school if plan.school_id else None
        unit = plan.org_unit if not plan.school_id else None
        lines.append(
            Line(
                target,
                engine_progress(
                    target.indicator,
                    target.level,
                    target.comparison or rules.GE,
                    target.value,
                    school=school,
                    unit=unit,
                    year=year,
                    on=on,
                ),
            )
        )
    return lines


def _compare(reached: Decimal, comparison: str, goal: Decimal) -> bool:
    return {
        rules.GE: reached >= goal,
        rules.GT: reached > goal,
        rules.LE: reached <= goal,
        rules.LT: reached < goal,
    }.get(comparison, reached >= goal)
