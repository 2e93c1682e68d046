"""The targets' API: the targets in force the caller sees, and the registration status of the schools they follow
(late first) — the same selectors and scope as the pages."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from apps.indicators import selectors as engine
from apps.targets import selectors

router = Router(tags=["targets"])


class IndicatorTargetOut(Schema):
    id: int
    indicator: str
    unit: int | None
    school: int | None
    year: str
    level: int  # a mask of school levels; 0: every level
    comparison: str  # ">=", ">", "<=", "<"
    value: Decimal
    kind: str  # rate (percent), count, money (₫)


class RegistrationOut(Schema):
    school: int
    school_name: str
    status: str  # late, none (not started), draft, submitted, returned, approved, unpublished
    deadline: datetime.date | None
    annex: int | None
    comment: str


@router.get("/", response=list[IndicatorTargetOut])
def list_targets(request, year: int | None = None):
    """The targets the caller sees (a unit's published defaults, a school's approved annex), of one school year
    (its start year) or all."""
    qs = selectors.targets_for(request.user)
    if year:
        qs = qs.filter(year__start_year=year)
    return [
        {
            "id": t.pk,
            "indicator": t.indicator,
            "unit": t.org_unit_id,
            "school": t.school_id,
            "year": t.year.name,
            "level": t.level,
            "comparison": t.comparison,
            "value": t.value,
            "kind": t.kind,
        }
        for t in qs[:1000]
    ]


@router.get("/registrations", response=list[RegistrationOut])
def list_registrations(request, year: int | None = None):
    """The registration status of every school the caller follows in a school year (by default the one under
    way), late first. A partner officer follows none."""
    target = engine.home_target(request.user)
    if target is None:
        return []
    school_year = engine.year_of(target, year)
    if school_year is None:
        raise Http404
    return [
        {
            "school": r["school"].pk,
            "school_name": r["school"].name,
            "status": r["status"],
            "deadline": r["deadline"],
            "annex": r["annex"].pk if r["annex"] else None,
            "comment": r["annex"].comment if r["annex"] else "",
        }
        for r in selectors.registrations(request.user, school_year)
    ]
