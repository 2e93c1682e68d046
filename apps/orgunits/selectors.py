"""Reads of the org-unit tree, always starting from the user's scope."""

import datetime
import re

from django.utils import timezone

from apps.core import sections
from apps.core.memo import once_per_request
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404, scope_for
from apps.core.text import fold
from apps.orgunits.models import Designation, OrgUnit, OrgUnitSuccession
from apps.orgunits.resolver import resolve


def governed_communes(user):
    """Today's communes and wards the user governs (adds hamlets to, imports the census of), by name."""
    return OrgUnit.objects.current().restrict(user, CHANGE).filter(level=OrgUnit.Level.COMMUNE).order_by("name")


def governs_a_commune(user) -> bool:
    """Whether `user` governs any commune today: asked by the menu, the home tiles and the import kinds (once per
    request, `apps.core.memo`)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return once_per_request(("orgunits.governs_a_commune", user.pk), governed_communes(user).exists)


def tree_roots(user) -> list[OrgUnit]:
    """The top units of the user's view: every province for an administrator, else the units they are
    attached to (their assigned units, or the commune where their school stands)."""
    scope = scope_for(user)
    if scope.is_admin:
        return list(OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE).order_by("code"))
    paths = sorted(set(scope.all_paths()))
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(OrgUnit.objects.restrict(user, VIEW).filter(path__in=tops).order_by("level", "name"))


def with_counts(user, units: list[OrgUnit]) -> list[OrgUnit]:
    """The units, each with `school_count`: the schools the user sees in its subtree, counted by the schools app
    (registered in `apps.core.sections`, a few queries for the whole list)."""
    schools = sections.unit_counts(user, units).get("schools", {})
    for unit in units:
        unit.school_count = schools.get(unit.pk, 0)
    return units


def natural_key(unit: OrgUnit):
    """'Tổ dân phố 2' before 'Tổ dân phố 10'; diacritics do not disturb the order."""
    return [(0, int(w), "") if w.isdigit() else (1, 0, w) for w in re.split(r"(\d+)", unit.name_folded) if w] + [
        (2, 0, unit.qualifier)
    ]


def children(user, unit: OrgUnit) -> list[OrgUnit]:
    kids = sorted(OrgUnit.objects.restrict(user, VIEW).current().filter(parent=unit), key=natural_key)
    return with_counts(user, kids)


def visible_ids(user, units) -> set[int]:
    """Which of these units the user may open (the others are shown as plain names)."""
    return set(OrgUnit.objects.restrict(user, VIEW).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))


def retired_hamlets(user, commune: OrgUnit) -> list[OrgUnit]:
    retired = OrgUnit.objects.restrict(user, VIEW).filter(
        parent=commune, type=OrgUnit.Type.HAMLET, valid_to__isnull=False
    )
    return sorted(retired, key=natural_key)


def unit_for(user, pk: int, action: str = VIEW) -> OrgUnit:
    return get_scoped_or_404(OrgUnit.objects.all(), user, action, pk=pk)


def history(unit: OrgUnit) -> dict[str, list[OrgUnitSuccession]]:
    return {
        "predecessors": list(unit.predecessions.select_related("predecessor").order_by("predecessor__name")),
        "successors": list(unit.successions.select_related("successor").order_by("successor__name")),
    }


def resolve_for(user, q: str):
    """Resolve an address for a user: today's administrative units are public reference data and are all
    named; a hamlet (commune users' data) only when the user may see it, and only those decide between the
    successors of a split commune. Sets `visible_ids` on the result:
    the candidates the user may open."""
    resolution = resolve(q, hamlets=OrgUnit.objects.restrict(user, VIEW))  # hidden hamlets neither show nor decide
    resolution.visible_ids = visible_ids(user, resolution.units)
    OrgUnit.with_provinces(resolution.units + resolution.matched + [resolution.hamlet])
    return resolution


def search(user, q: str, limit: int = 30) -> dict:
    """Units in the user's scope whose name contains the text, and what the text resolves to as an address."""
    q = (q or "").strip()
    if len(q) < 2:
        return {"matches": [], "resolution": None}
    visible = OrgUnit.objects.restrict(user, VIEW)
    matches = list(visible.current().filter(name_folded__contains=fold(q)).order_by("level", "name")[:limit])
    return {"matches": matches, "resolution": resolve_for(user, q)}


# Designations are published government decisions that computations read (universal-education thresholds, the
# early warning) whoever asks: these two take no user. Pages that list designations start from
# `Designation.objects.restrict(user)`.


def designated_ids(kind: str, on: datetime.date | None = None) -> set[int]:
    """Ids of the units designated as `kind` on day `on` (today by default): the units themselves, literally —
    a designated commune's hamlets are not in it unless designated too."""
    on = on or timezone.localdate()
    return set(Designation.objects.filter(kind=kind).valid_on(on).values_list("unit_id", flat=True))


def is_designated(unit: OrgUnit, kind: str, on: datetime.date | None = None) -> bool:
    """Whether this very unit is designated as `kind` on day `on` (today by default); nothing is inherited."""
    on = on or timezone.localdate()
    return Designation.objects.filter(unit=unit, kind=kind).valid_on(on).exists()
