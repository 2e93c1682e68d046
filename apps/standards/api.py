"""The national standard schools' API: the criteria sets, the cycles with their derived levels, the gaps, the
roadmap and the recognitions the caller sees — the same selectors and scope as the pages."""

import datetime

from ninja import Router, Schema

from apps.core.scoping import VIEW, get_scoped_or_404
from apps.schools.models import School
from apps.standards import selectors
from apps.standards.models import Recognition

router = Router(tags=["standards"])


class SetOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    verified: bool
    validity_years: int
    reregister_months: int
    national_levels: dict


class CycleOut(Schema):
    id: int
    school: int
    year: int
    set: str
    status: str
    verified: bool
    assessment_level: int | None  # None on an unverified set: "chưa xác minh"
    national_level: int | None


class GapLineOut(Schema):
    standard: int
    criterion: str
    level: int
    indicator: str
    text: str
    owner: str
    items: list[int]


class GapOut(Schema):
    school: int
    target_level: int | None
    target_year: int | None
    needed_assessment_level: int | None
    verified: bool
    lines: list[GapLineOut]


class ItemOut(Schema):
    id: int
    school: int
    kind: str
    name: str
    year: int
    due_on: datetime.date
    investor: str
    budget: int
    status: str
    percent: int
    funded: dict


class RecognitionOut(Schema):
    id: int
    school: int
    kind: str
    level: int
    issuer: str
    number: str
    issued_on: datetime.date
    valid_until: datetime.date


@router.get("/sets", response=list[SetOut])
def list_sets(request):
    return list(selectors.sets_for(request.user))


@router.get("/cycles", response=list[CycleOut])
def list_cycles(request):
    out = []
    for cycle in selectors.cycles_for(request.user)[:500]:
        result = selectors.cycle_result(cycle)
        out.append(
            {
                "id": cycle.pk,
                "school": cycle.school_id,
                "year": cycle.year,
                "set": cycle.criteria_set.code,
                "status": cycle.status,
                "verified": result.verified,
                "assessment_level": result.assessment_level if result.verified else None,
                "national_level": result.national_level if result.verified else None,
            }
        )
    return out


@router.get("/schools/{pk}/gap", response=GapOut)
def school_gap(request, pk: int):
    school = get_scoped_or_404(School.objects.all(), request.user, VIEW, pk=pk)
    gap = selectors.gap_of(school)
    lines = [
        {
            "standard": number,
            "criterion": line.indicator.criterion.code if line.indicator.criterion_id else "",
            "level": line.indicator.level,
            "indicator": line.indicator.label,
            "text": line.indicator.text,
            "owner": line.owner,
            "items": [i.pk for i in line.items],
        }
        for number, (_standard, group) in gap.by_standard.items()
        for line in group
    ]
    return {
        "school": school.pk,
        "target_level": gap.target.level if gap.target else None,
        "target_year": gap.target.year if gap.target else None,
        "needed_assessment_level": gap.needed_level,
        "verified": gap.verified,
        "lines": lines,
    }


@router.get("/roadmap", response=list[ItemOut])
def list_roadmap(request):
    data = selectors.roadmap(request.user)
    return [
        {
            "id": i.pk,
            "school": i.school_id,
            "kind": i.kind,
            "name": i.name,
            "year": i.year,
            "due_on": i.due_on,
            "investor": i.investor,
            "budget": i.budget,
            "status": i.status,
            "percent": i.percent,
            "funded": i.funded,
        }
        for block in data["years"].values()
        for i in block["items"]
    ]


@router.get("/recognitions", response=list[RecognitionOut])
def list_recognitions(request):
    return [
        {
            "id": r.pk,
            "school": r.school_id,
            "kind": r.kind,
            "level": r.level,
            "issuer": r.issuer,
            "number": r.number,
            "issued_on": r.issued_on,
            "valid_until": r.valid_until,
        }
        for r in Recognition.objects.restrict(request.user, VIEW)[:1000]
    ]
