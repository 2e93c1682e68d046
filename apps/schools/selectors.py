"""Reads of schools, sites and organisations, from the user's scope."""

from django.db.models import Prefetch

from apps.core.scoping import VIEW, get_scoped_or_404
from apps.core.text import fold
from apps.orgunits.models import OrgUnit
from apps.schools.models import Level, Organisation, School, SchoolSite


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
