"""The indicators' API: values with their two counts (`rate` null for a zero denominator or a figure not yet due),
the snapshots, and universal-education results — all through the same selectors and scope as the pages."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from apps.indicators import selectors, universal
from apps.indicators.forms import BREAKDOWN_NAMES
from apps.indicators.models import Period
from apps.indicators.registry import Target, indicators
from apps.indicators.site import may_open_indicators
from apps.orgunits.models import OrgUnit

router = Router(tags=["indicators"])


class ValueOut(Schema):
    indicator: str
    label: str
    target: str  # "unit:<id>" or "school:<id>"
    target_name: str
    group: str  # "" for the total, else the breakdown's group
    numerator: int | None
    denominator: int | None
    rate: Decimal | None  # percent; null: no data (a zero denominator) or not yet
    note: str  # "not_yet" before the figure is due


class SnapshotOut(Schema):
    year: str
    province: str
    count_day: datetime.date
    taken_at: datetime.datetime
    late: bool  # taken after the count day (the daily job missed it): events recorded by the day's end count
    rows: int


class CriterionOut(Schema):
    criterion: str
    label: str
    threshold: Decimal
    numerator: int | None
    denominator: int | None
    status: str
    short: int
    verified: bool


class LevelOut(Schema):
    level: str
    status: str  # passed, failed, not_evaluable, chain
    criteria: list[CriterionOut]


class UniversalOut(Schema):
    unit: int
    year: str
    dbkk: bool
    levels: list[LevelOut]


def _target(request, unit: int | None, school: int | None) -> Target:
    if not may_open_indicators(request.user):
        raise PermissionDenied
    if school:
        return Target(school=selectors.school_for(request.user, school))
    if unit:
        return Target(unit=selectors.unit_for(request.user, unit))
    target = selectors.home_target(request.user)
    if target is None:
        raise Http404
    return target


@router.get("/values", response=list[ValueOut])
def list_values(
    request,
    unit: int | None = None,
    school: int | None = None,
    year: int | None = None,
    period: str = Period.YEAR,
    level: int | None = None,
    indicator: str = "",
    breakdown: str = "",
    drill: bool = False,
):
    """Every indicator (or one) for a unit's subtree or a school (`drill`: and one level down), in a school year
    (its start year; by default the one under way), a period (C, P1–P3, S1, S2, Y), a level (a mask of school
    levels: 3 preschool, 1 creche, 2 kindergarten, 4 primary, 8 lower secondary, 16 upper secondary)."""
    if breakdown and breakdown not in BREAKDOWN_NAMES:  # the known breakdowns only (each names a count's field)
        raise Http404
    target = _target(request, unit, school)
    school_year = selectors.year_of(target, year)
    if school_year is None or period not in Period.values:
        raise Http404
    targets = [target, *(selectors.drill_targets(request.user, target) if drill else [])]
    codes = {indicator} if indicator else None
    values = selectors.figures(targets, year=school_year, period=period, level=level, breakdown=breakdown, codes=codes)
    labels = {i.code: str(i.label) for i in indicators()}
    out = []
    for code, by_target in values.items():
        for t in targets:
            for group, v in sorted(by_target.get(t.key, {}).items()):
                out.append(
                    {
                        "indicator": code,
                        "label": labels[code],
                        "target": f"school:{t.school.pk}" if t.school is not None else f"unit:{t.unit.pk}",
                        "target_name": t.name,
                        "group": group,
                        "numerator": v.numerator,
                        "denominator": v.denominator,
                        "rate": v.rate,
                        "note": v.note,
                    }
                )
    return out


@router.get("/snapshots", response=list[SnapshotOut])
def list_snapshots(request):
    """The official snapshots of the school years the caller sees."""
    if not may_open_indicators(request.user):
        raise PermissionDenied
    from django.db.models import Count

    from apps.indicators.models import Snapshot

    rows = (
        Snapshot.objects.restrict(request.user)
        .select_related("year__province")
        .annotate(n=Count("rows"))
        .order_by("-year__start_year")
    )
    return [
        {
            "year": s.year.name,
            "province": s.year.province.name,
            "count_day": s.count_day,
            "taken_at": s.taken_at,
            "late": s.late,
            "rows": s.n,
        }
        for s in rows
    ]


@router.get("/universal", response=UniversalOut)
def get_universal(request, unit: int, year: int | None = None):
    """Universal-education levels of a commune: each level's status and criteria, children short in integers."""
    target = _target(request, unit, None)
    if target.unit.level != OrgUnit.Level.COMMUNE:
        raise Http404
    school_year = selectors.year_of(target, year)
    if school_year is None:
        raise Http404
    result = universal.evaluate(target.unit, school_year)
    return {
        "unit": target.unit.pk,
        "year": school_year.name,
        "dbkk": result["dbkk"],
        "levels": [
            {
                "level": r.level,
                "status": r.status,
                "criteria": [
                    {
                        "criterion": c.threshold.criterion,
                        "label": c.threshold.label,
                        "threshold": c.value,
                        "numerator": c.numerator,
                        "denominator": c.denominator,
                        "status": c.status,
                        "short": c.short,
                        "verified": c.threshold.verified,
                    }
                    for c in r.criteria
                ],
            }
            for r in result["levels"]
        ],
    }
