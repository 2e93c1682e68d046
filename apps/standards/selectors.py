"""Reads of the national standard schools, starting from the user's scoped querysets: a cycle's derived results,
a school's gap to its target, the roadmap across a commune, the schools' status worst first."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import VIEW
from apps.orgunits.models import OrgUnit
from apps.schools.models import School
from apps.standards import rules
from apps.standards.models import (
    Assessment,
    ConstructionItem,
    CriteriaSet,
    Criterion,
    Cycle,
    Funding,
    Indicator,
    Rating,
    Recognition,
    Source,
    Target,
)

UNVERIFIED = _("chưa xác minh")


@dataclass
class CriterionResult:
    criterion: Criterion
    assessment: Assessment | None
    level: int  # 0–3 derived from the ratings (0: not met, or no indicators)
    indicators: list = field(default_factory=list)  # (indicator, rating or None)


@dataclass
class CycleResult:
    cycle: Cycle
    verified: bool
    criteria: list[CriterionResult]
    extras: list  # (indicator, rating or None) of level 4
    assessment_level: int
    national_level: int

    @property
    def level_text(self) -> str:
        """What the pages show for the school's level: "chưa xác minh" on an unverified set."""
        if not self.verified:
            return str(UNVERIFIED)
        return (
            str(_("Mức %(a)s · chuẩn quốc gia mức độ %(n)s") % {"a": self.assessment_level, "n": self.national_level})
            if self.national_level
            else str(_("Mức %(a)s · chưa đạt chuẩn quốc gia") % {"a": self.assessment_level})
        )


def cycles_for(user, action=VIEW):
    return Cycle.objects.restrict(user, action).select_related("school", "criteria_set")


def sets_for(user):
    return CriteriaSet.objects.restrict(user, VIEW)


def cycle_result(cycle: Cycle) -> CycleResult:
    """Each criterion's level from its indicators' ratings, the school's assessment level by the set's rule and
    its national standard level — official only on a verified set (`verified`)."""
    criteria_set = cycle.criteria_set
    criteria = list(
        Criterion.objects.filter(standard__criteria_set=criteria_set)
        .select_related("standard")
        .order_by("standard__number", "number")
    )
    indicators = list(Indicator.objects.filter(criteria_set=criteria_set).order_by("level", "label"))
    ratings = {r.indicator_id: r for r in Rating.objects.filter(cycle=cycle)}
    assessments = {a.criterion_id: a for a in Assessment.objects.filter(cycle=cycle).select_related("assignee")}
    by_criterion = defaultdict(list)
    extras = []
    for indicator in indicators:
        pair = (indicator, ratings.get(indicator.pk))
        (by_criterion[indicator.criterion_id] if indicator.criterion_id else extras).append(pair)
    results = []
    for criterion in criteria:
        pairs = by_criterion.get(criterion.pk, [])
        level = rules.criterion_level([(i.level, bool(r and r.met)) for i, r in pairs])
        results.append(CriterionResult(criterion, assessments.get(criterion.pk), level, pairs))
    assessment_level = rules.school_level([r.level for r in results], [bool(r and r.met) for _i, r in extras])
    national = rules.national_level(assessment_level, criteria_set.national_levels)
    return CycleResult(cycle, criteria_set.verified, results, extras, assessment_level, national)


def latest_cycle(school_id: int) -> Cycle | None:
    return (
        Cycle.objects.filter(school_id=school_id)
        .select_related("criteria_set", "school")
        .order_by("-year", "-pk")
        .first()
    )


@dataclass
class GapLine:
    indicator: Indicator
    owner: str
    items: list


@dataclass
class Gap:
    school: School
    target: Target | None
    cycle: Cycle | None
    needed_level: int | None
    by_standard: dict  # standard number → (standard, [GapLine])
    verified: bool

    @property
    def count(self) -> int:
        return sum(len(lines) for _s, lines in self.by_standard.values())


def gap_of(school: School, target: Target | None = None) -> Gap:
    """The indicators not yet met for the school's target (its highest, unless given), by standard, with the council
    member who owns each criterion and the construction items that would satisfy each indicator."""
    if target is None:
        target = Target.objects.filter(school=school).order_by("-level").first()
    cycle = latest_cycle(school.pk)
    if cycle is None or target is None:
        return Gap(school, target, cycle, None, {}, bool(cycle and cycle.criteria_set.verified))
    needed = cycle.criteria_set.required_level(target.level)
    result = cycle_result(cycle)
    items_by_indicator = defaultdict(list)
    for item in ConstructionItem.objects.filter(school=school).prefetch_related("indicators"):
        for indicator in item.indicators.all():
            items_by_indicator[indicator.pk].append(item)
    by_standard: dict = {}
    for cr in result.criteria:
        owner = cr.assessment.assignee.name if cr.assessment and cr.assessment.assignee else ""
        for indicator, rating in cr.indicators:
            if indicator.level <= (needed or 0) and not (rating and rating.met):
                standard = cr.criterion.standard
                by_standard.setdefault(standard.number, (standard, []))[1].append(
                    GapLine(indicator, owner, items_by_indicator.get(indicator.pk, []))
                )
    if needed and needed >= rules.EXTRA_LEVEL:
        for indicator, rating in result.extras:
            if not (rating and rating.met):
                by_standard.setdefault(0, (None, []))[1].append(
                    GapLine(indicator, "", items_by_indicator.get(indicator.pk, []))
                )
    return Gap(school, target, cycle, needed, dict(sorted(by_standard.items())), cycle.criteria_set.verified)


def schools_status(user, unit=None) -> list[dict]:
    """Every school the user sees (under `unit` when given) with its level, target, gap and recognition, the
    widest gap first."""
    schools = School.objects.restrict(user, VIEW).select_related("managed_by", "location").order_by("name")
    if unit is not None:
        schools = schools.filter(Q(managed_by__path__startswith=unit.path) | Q(location__path__startswith=unit.path))
    rows = []
    recognitions = defaultdict(list)
    for r in Recognition.objects.filter(school__in=schools).order_by("-issued_on"):
        recognitions[r.school_id].append(r)
    for school in schools:
        if rules.set_kind(school.levels) is None:
            continue
        gap = gap_of(school)
        result = cycle_result(gap.cycle) if gap.cycle else None
        rows.append(
            {
                "school": school,
                "target": gap.target,
                "cycle": gap.cycle,
                "result": result,
                "gap": gap.count if gap.target and gap.cycle else None,
                "recognition": (recognitions.get(school.pk) or [None])[0],
            }
        )
    # Worst first: a target with no self-assessment yet, then the widest gap; schools with no target last.
    rows.sort(key=lambda r: (0 if r["target"] and r["gap"] is None else 1 if r["target"] else 2, -(r["gap"] or 0)))
    return rows


def status_units(user):
    """The communes (with the units above them) where the schools the user sees stand or are managed: the choices
    of the status page's filter."""
    schools = School.objects.restrict(user, VIEW)
    return (
        OrgUnit.objects.restrict(user, VIEW)
        .filter(Q(pk__in=schools.values("location")) | Q(pk__in=schools.values("managed_by")))
        .order_by("path")
    )


def roadmap(user, unit=None) -> dict:
    """Construction items by year across the schools the user sees, with the funding by source per year and in
    all, and each item's remaining budget."""
    items = ConstructionItem.objects.restrict(user, VIEW).select_related("school").prefetch_related("funding__payout")
    if unit is not None:
        items = items.filter(school__managed_by__path__startswith=unit.path)
    years: dict = {}
    totals = {s: 0 for s in Source.values}
    for item in items.order_by("year", "school__name", "pk"):
        funded = {s: 0 for s in Source.values}
        for f in item.funding.all():
            funded[f.source] += f.amount
        item.funded = funded
        item.funded_total = sum(funded.values())
        item.remaining = max(item.budget - item.funded_total, 0)
        year = years.setdefault(item.year, {"items": [], "totals": {s: 0 for s in Source.values}})
        year["items"].append(item)
        for s, amount in funded.items():
            year["totals"][s] += amount
            totals[s] += amount
    return {"years": years, "totals": totals, "sources": Source.choices}


def item_funding(item: ConstructionItem) -> list[Funding]:
    return list(item.funding.select_related("payout", "pledge").all())


@dataclass
class CycleProgress:
    cycle: Cycle
    met: int  # indicators of levels 1–3 rated met
    total: int  # indicators of levels 1–3 in the cycle's set
    by_level: list  # [(level, met, total)] for levels 1–3
    level_text: str
    change: int | None  # indicators met more (+) or fewer (−) than in the school's previous cycle

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


def progress_of(user, school: School) -> list[CycleProgress]:
    """A school's indicators met in each of its cycles the user sees, oldest first, with the change from one cycle
    to the next, so a reader sees the trend (cycles on different sets are counted on their own set)."""
    cycles = list(cycles_for(user).filter(school=school).order_by("year", "pk"))
    rows, previous = [], None
    for cycle in cycles:
        result = cycle_result(cycle)
        by_level = []
        for level in (1, 2, 3):
            pairs = [(i, r) for cr in result.criteria for i, r in cr.indicators if i.level == level]
            by_level.append((level, sum(1 for _i, r in pairs if r and r.met), len(pairs)))
        met, total = sum(m for _l, m, _t in by_level), sum(t for _l, _m, t in by_level)
        rows.append(
            CycleProgress(cycle, met, total, by_level, result.level_text, None if previous is None else met - previous)
        )
        previous = met
    return rows
