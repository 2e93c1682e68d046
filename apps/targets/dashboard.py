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


def measure(targets, year, *, on=None, shared=None) -> list[Line]:
    """One `Line` per (indicator, level) with a target in force for the first of `targets` (the others: one level
    down). `shared`: the engine's cache for the page (`engine.figures`), so the levels read the schools, the census
    and the snapshot once."""
    shared = {} if shared is None else shared
    main, below = targets[0], list(targets[1:])
    goals = selectors.targets_of(targets, year)
    keys = sorted(
        {k for t in targets for k in goals.get(t.key, {})},
        key=lambda k: (next((i for i, r in enumerate(catalogue.ROWS) if (r.indicator, r.level) == k), 99), k),
    )
    if main.school is not None:
        keys = [k for k in keys if catalogue.teaches(main.school.levels, k[1])]  # the levels the school teaches
    # One engine call per level with every indicator of that level: they share its grouped queries.
    by_level = {}
    for level in dict.fromkeys(level for _code, level in keys):
        codes = {code for code, lv in keys if lv == level}
        by_level[level] = engine.figures(
            targets, year=year, period=Period.YEAR, level=level or None, on=on, codes=codes, shared=shared
        )
    lines = []
    for indicator_code, level in keys:
        try:
            indicator = registry.get(indicator_code)
        except KeyError:
            continue
        values = by_level[level].get(indicator_code, {})

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


def teacher_classes(user) -> dict | None:
    """A teacher's classes this year: enrolled now, dropped out, insured, against the school's health-insurance
    target in force (three queries whatever the number of classes: counts only, no child)."""
    from django.db.models import Count, Q

    from apps.schools.models import SchoolYear
    from apps.schools.selectors import default_year
    from apps.students.models import ClassGroup, Enrolment, EnrolmentEvent

    year = default_year(SchoolYear.objects.restrict(user, "view"))
    if year is None:
        return None
    classes = list(
        ClassGroup.objects.restrict(user, "view")
        .filter(teacher_assignments__teacher=user, year=year)
        .select_related("school__managed_by")
        .distinct()
        .order_by("school__name", "grade", "name")
    )
    if not classes:
        return None
    counts = {
        row["class_group"]: row
        for row in Enrolment.objects.restrict(user, "view")
        .filter(class_group__in=classes)
        .with_status()
        .values("class_group")
        .annotate(
            ongoing_n=Count("pk", filter=Q(ongoing=True)),
            insured_n=Count("pk", filter=Q(ongoing=True, health_insurance=True)),
            dropped_n=Count("pk", filter=Q(status=EnrolmentEvent.Kind.DROPPED_OUT)),
        )
        .order_by()
    }
    schools = {c.school_id: c.school for c in classes}
    goals = selectors.targets_of([registry.Target(school=s) for s in schools.values()], year)
    rows = []
    for group in classes:
        row = counts.get(group.pk, {})
        ongoing, insured = row.get("ongoing_n", 0), row.get("insured_n", 0)
        goal = goals.get(f"s{group.school_id}", {}).get(("health_insurance", catalogue.ALL))
        rows.append(
            {
                "class_group": group,
                "ongoing": ongoing,
                "dropped": row.get("dropped_n", 0),
                "insured": registry.Value(insured, ongoing),
                "goal": goal,
                "gap": goal.gap(insured, ongoing) if goal is not None else None,
            }
        )
    return {"teacher": True, "year": year, "classes": rows}


def dashboard(user, *, on=None) -> dict | None:
    """What the home page's dashboard tile shows for `user`: the figures of their unit or school against the
    targets, or a teacher's classes; None when it is for neither."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.officer_paths or scope.principal_school_ids or scope.partner_paths):
        return teacher_classes(user) if scope.teacher_school_ids else None
    target = engine.home_target(user)
    if target is None:
        return None
    year = engine.year_of(target, None)
    if year is None:
        return None
    below = engine.drill_targets(user, target)
    shared = {}  # the engine's cache for this answer: the lines and the charts share its readings
    lines = measure([target, *below], year, on=on, shared=shared)
    registrations = [] if scope.partner_paths and not scope.officer_paths else selectors.registrations(user, year)
    pending = [r for r in registrations if r["status"] in ("late", "returned", "none", "draft", "submitted")]
    previous = next((y for y in engine.years_of(target) if y.start_year == year.start_year - 1), None)
    return {
        "target": target,
        "year": year,
        "lines": lines,
        "registrations": pending[:8],
        "late_count": sum(1 for r in registrations if r["status"] == "late"),
        "charts": charts.build(target, below, year, previous, lines, on=on or timezone.localdate(), shared=shared),
        "aggregates_only": not (scope.is_admin or scope.officer_paths or scope.staff_school_ids),
    }


def tile(user) -> dict | None:
    return dashboard(user)
