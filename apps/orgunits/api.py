import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from apps.core.scoping import VIEW
from apps.core.text import fold
from apps.orgunits import selectors
from apps.orgunits.models import OrgUnit

router = Router(tags=["orgunits"])
MAX_ID = 2**63 - 1  # the largest primary key either database can hold
DB_MAX_ID = 2**63 - 1


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    qualifier: str
    type: str
    level: int
    parent_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class OrgUnitRef(Schema):
    id: int
    code: str
    name: str
    full_name: str
    type: str
    current: bool

    @staticmethod
    def of(unit: OrgUnit) -> "OrgUnitRef":
        return OrgUnitRef(
            id=unit.pk,
            code=unit.code,
            name=unit.display_name,
            full_name=unit.full_name(),
            type=unit.type,
            current=unit.is_current,
        )


class ResolveOut(Schema):
    query: str
    status: str  # ok | ambiguous | unknown
    candidates: list[OrgUnitRef]
    matched: list[OrgUnitRef]
    hamlet: OrgUnitRef | None


class OrgUnitDetail(OrgUnitOut):
    full_name: str
    predecessors: list[OrgUnitRef]
    successors: list[OrgUnitRef]


@router.get("/", response=list[OrgUnitOut])
@paginate
def list_orgunits(
    request,
    parent: int | None = Query(None, ge=1, le=MAX_ID),
    level: int | None = Query(None, ge=1, le=4),
    q: str = "",
    current: bool = True,
):
    """Units in the caller's scope: the children of `parent`, or every unit of a `level`."""
    units = OrgUnit.objects.restrict(request.user, VIEW)
    if current:
        units = units.current()
    if parent is not None:
        units = units.filter(parent_id=parent)
    if level is not None:
        units = units.filter(level=level)
    if q:
        units = units.filter(name_folded__contains=fold(q))
    return units.order_by("level", "code", "name")


@router.get("/resolve", response=ResolveOut)
def resolve(request, q: str):
    """Today's unit for an address written the old or new way. Administrative units are public reference
    data, so every signed-in caller may resolve any address; records stay scoped."""
    result = selectors.resolve_for(request.user, q)
    return ResolveOut(
        query=q,
        status=result.status,
        candidates=[OrgUnitRef.of(u) for u in result.units],
        matched=[OrgUnitRef.of(u) for u in result.matched[:20]],
        hamlet=OrgUnitRef.of(result.hamlet) if result.hamlet else None,
    )


@router.get("/{int:unit_id}", response=OrgUnitDetail)
def get_orgunit(request, unit_id: int):
    unit = selectors.unit_for(request.user, unit_id)
    history = selectors.history(unit)
    OrgUnit.with_provinces(
        [unit] + [s.predecessor for s in history["predecessors"]] + [s.successor for s in history["successors"]]
    )
    return OrgUnitDetail(
        **OrgUnitOut.from_orm(unit).dict(),
        full_name=unit.full_name(),
        predecessors=[OrgUnitRef.of(s.predecessor) for s in history["predecessors"]],
        successors=[OrgUnitRef.of(s.successor) for s in history["successors"]],
    )
