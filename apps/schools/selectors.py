"""Reads of schools, sites and organisations, from the user's scope."""

import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone

from apps.core.scoping import CHANGE, VIEW, can, get_scoped_or_404, under
from apps.core.text import fold
from apps.orgunits.models import OrgUnit
from apps.schools.forms import OrganisationForm
from apps.schools.models import Level, Organisation, School, SchoolSite, SchoolYear


def school_list(user, *, q: str = "", level: int | None = None, unit: OrgUnit | None = None, ownership: str = ""):
    schools = School.objects.restrict(user, VIEW).select_related("location", "managed_by")
    if q:
        schools = schools.filter(name_folded__contains=fold(q)) | schools.filter(moet_code=q.strip())
    if level:
        schools = schools.teaching(Level(level))
    if unit is not None:
        schools = schools.filter(location__path__startswith=unit.path)
    if ownership:
        schools = schools.filter(ownership=ownership)
    return schools.order_by("name")


def school_for(user, pk: int, action: str = VIEW) -> School:
    queryset = School.objects.select_related("location", "managed_by").prefetch_related(
        Prefetch("sites", queryset=SchoolSite.objects.select_related("hamlet")),
        Prefetch("organisations", queryset=Organisation.objects.order_by("kind", "name")),
    )
    return get_scoped_or_404(queryset, user, action, pk=pk)


# ---- the school year a page opens on ------------------------------------------------------------------------------

_YEAR_DATA: list = []  # functions(year ids) → those of the ids that hold data; registered by the apps holding it


def register_year_data(holding) -> None:
    """Let `default_year` know which years hold an app's data: `holding(year_ids)` returns a set of those ids (the
    students app registers its enrolments and census records). Called from an app config's `ready()`."""
    if holding not in _YEAR_DATA:
        _YEAR_DATA.append(holding)


def years_with_data(year_ids) -> set[int]:
    held: set[int] = set()
    for holding in _YEAR_DATA:
        held |= set(holding(year_ids))
    return held


def default_year(years, on: datetime.date | None = None) -> SchoolYear | None:
    """Of `years` (school years), the one a page opens on: the year under way on `on` (today) if it holds data,
    else the latest year that does (in December a new year with nothing entered yet; from January to June,
    next year already created), else the year under way, else the latest."""
    on = on or timezone.localdate()
    years = sorted(years, key=lambda y: (y.start_year, y.pk), reverse=True)
    if not years:
        return None
    held = years_with_data([y.pk for y in years])
    under_way = [y for y in years if y.starts_on <= on <= y.ends_on]
    for year in under_way:
        if year.pk in held:
            return year
    started = [y for y in years if y.pk in held and y.starts_on <= on]
    return (started or [y for y in years if y.pk in held] or under_way or years)[0]


def current_year(unit: OrgUnit, on: datetime.date | None = None) -> SchoolYear | None:
    """The school year to show for `unit` (its province's calendar) on `on`: see `default_year`."""
    return default_year(SchoolYear.objects.filter(province=unit.province()), on)


# ---- what the org-unit pages show of schools (registered in site.py: `orgunits` does not import `schools`) ----------


def school_counts(user, units: list[OrgUnit]) -> dict[int, int]:
    """Schools (that the user may see) located in each unit's subtree, in one query."""
    if not units:
        return {}
    parents = {u.parent_id for u in units}
    # Siblings share their parent's subtree: one prefix; otherwise one prefix per unit.
    where = (
        under("location__", [units[0].path.rsplit("/", 2)[0] + "/"])
        if len(parents) == 1 and len(units) > 1
        else under("location__", [u.path for u in units])
    )
    # One row per commune that has schools (never one per school), summed up per unit.
    per_commune = (
        School.objects.restrict(user, VIEW).filter(where).values("location__path").annotate(n=Count("pk")).order_by()
    )
    counts = {row["location__path"]: row["n"] for row in per_commune}
    return {u.pk: sum(n for path, n in counts.items() if path.startswith(u.path)) for u in units}


def unit_schools_panel(user, unit: OrgUnit) -> dict | None:
    """The schools of a province's or commune's page: the first hundred the user sees in it."""
    if not unit.is_current or unit.level >= OrgUnit.Level.HAMLET:
        return None
    return {"schools": school_list(user, unit=unit)[:100]}


def unit_organisations_panel(user, unit: OrgUnit) -> dict | None:
    """The partner organisations of a province or commune, with the form to add one for those who govern it."""
    if not unit.is_current or unit.level >= OrgUnit.Level.HAMLET:
        return None
    may_add = unit.level in (OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE) and can(user, unit, CHANGE)
    return {
        "organisations": Organisation.objects.restrict(user).filter(org_unit=unit).order_by("kind", "name"),
        "may_add": may_add,
        "form": OrganisationForm() if may_add else None,
    }


def hamlet_sites_panel(user, unit: OrgUnit) -> dict | None:
    """The school sites standing in a hamlet (also after it was retired), when it has any."""
    if unit.type != OrgUnit.Type.HAMLET:
        return None
    sites = SchoolSite.objects.restrict(user).filter(hamlet=unit).select_related("school").order_by("school__name")
    sites = list(sites)  # only the sites of schools the user may see
    return {"sites": sites} if sites else None
