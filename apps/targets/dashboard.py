"""The dashboard: each indicator with a target in force, per level, for the user's unit or school and one level
down, with the two counts and how far from the target ("thiếu N em", "vượt N em"); the units below their target
first; late or missing registrations first. A fixed number of queries whatever the number of units: the engine
computes every unit at once per indicator and level (`apps.indicators.selectors.figures`), the targets in force
come in two queries (`selectors.targets_of`).

Partner officers see the same aggregates (no list of children is ever linked for them)."""

from dataclasses import dataclass, field

from django.utils import timezone

from apps.core.scoping import scope_for
from apps.indicators import registry
from apps.indicators import selectors as engine
from apps.indicators.models import Period
from apps.targets import catalogue, charts, selectors
from apps.targets.rules import Gap


@dataclass
class Measured:
    target: object  # the engine's Target (a unit or a school)
    goal: object | None  # the targets.Target in force, or None
    value: registry.Value
    gap: Gap | None

    @property
    def below(self) -> bool:
        return self.gap is not None and not self.gap.no_data and not self.gap.met


@dataclass
class Line:
    indicator: registry.Indicator
    level: int
    main: Measured
    units: list = field(default_factory=list)  # Measured, one level down, below their target first

    @property
    def level_label(self) -> str:
        return str(catalogue.LEVEL_LABELS.get(self.level, ""))

    @property
    def below_count(self) -> int:
        return sum(1 for u in self.units if u.below)


def measure(targets, year, *, on=None) -> list[Line]:
    """One `Line` per (indicator, level) with a target in force for the first of `targets` (the others: one level
    down)."""
    main, below = targets[0], list(targets[1:])
    goals = selectors.targets_of(targets, year)
    keys = sorted(
        {k for t in targets for k in goals.get(t.key, {})},
        key=lambda k: (next((i for i, r in enumerate(catalogue.ROWS) if (r.indicator, r.level) == k), 99), k),
    )
    lines = []
    for indicator_code, level in keys:
        if main.school is not None and not catalogue.teaches(main.school.levels, level):
            continue  # a school's figures for the levels it teaches
        try:
            indicator = registry.get(indicator_code)
        except KeyError:
            continue
        values = engine.figures(
            targets, year=year, period=Period.YEAR, level=level or None, on=on, codes={indicator_code}
        ).get(indicator_code, {})

        def one(t):
            goal = goals.get(t.key, {}).get((indicator_code, level))
            value = values.get(t.key, {}).get("", registry.Value(0, 0))
            g = None
            if goal is not None and not value.note:
                g = goal.gap(value.numerator, value.denominator)
            return Measured(t, goal, value, g)

        units = [m for m in (one(t) for t in below) if not m.value.no_data]  # a school not teaching the level: none
        units.sort(key=lambda m: (not m.below, -(m.gap.missing if m.gap else 0), m.target.name))
        lines.append(Line(indicator, level, one(main), units))
    lines.sort(key=lambda line: not (line.main.below or line.below_count))
    return lines


def dashboard(user, *, on=None) -> dict | None:
    """What the home page's dashboard tile shows for `user`, or None when it is not for them (a teacher)."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.officer_paths or scope.principal_school_ids or scope.partner_paths):
        return None
    target = engine.home_target(user)
    if target is None:
        return None
    year = engine.year_of(target, None)
    if year is None:
        return None
    below = engine.drill_targets(user, target)
    lines = measure([target, *below], year, on=on)
    registrations = [] if scope.partner_paths and not scope.officer_paths else selectors.registrations(user, year)
    pending = [r for r in registrations if r["status"] in ("late", "returned", "none", "draft", "submitted")]
    previous = next((y for y in engine.years_of(target) if y.start_year == year.start_year - 1), None)
    return {
        "target": target,
        "year": year,
        "lines": lines,
        "registrations": pending[:8],
        "late_count": sum(1 for r in registrations if r["status"] == "late"),
        "charts": charts.build(target, below, year, previous, lines, on=on or timezone.localdate()),
        "aggregates_only": not (scope.is_admin or scope.officer_paths or scope.staff_school_ids),
    }


def tile(user) -> dict | None:
    return dashboard(user)
