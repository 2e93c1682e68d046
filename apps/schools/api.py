from ninja import Router, Schema
from ninja.pagination import paginate

from apps.orgunits.selectors import unit_for
from apps.schools import selectors
from apps.schools.models import Level

router = Router(tags=["schools"])


class UnitBrief(Schema):
    id: int
    code: str
    name: str


class SiteOut(Schema):
    id: int
    name: str
    hamlet: UnitBrief | None
    is_main: bool


class SchoolOut(Schema):
    id: int
    moet_code: str
    name: str
    levels: list[str]
    ownership: str
    location: UnitBrief
    managed_by: UnitBrief

    @staticmethod
    def resolve_levels(obj):
        return [level.name.lower() for level in obj.level_list]


class SchoolDetail(SchoolOut):
    address: str
    phone: str
    sites: list[SiteOut]

    @staticmethod
    def resolve_sites(obj):
        return list(obj.sites.all())


@router.get("/", response=list[SchoolOut])
@paginate
def list_schools(request, q: str = "", level: str = "", unit: int | None = None):
    """Schools in the caller's scope; `level` is one of creche, kindergarten, primary, lower_secondary,
    upper_secondary, continuing."""
    level_value = Level[level.upper()] if level and level.upper() in Level.__members__ else None
    return selectors.school_list(
        request.user, q=q, level=level_value, unit=unit_for(request.user, unit) if unit else None
    )


@router.get("/{int:school_id}", response=SchoolDetail)
def get_school(request, school_id: int):
    return selectors.school_for(request.user, school_id)
