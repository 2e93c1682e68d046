"""The org-unit tree's place on the site: its menu entry, its home tile, its routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import VIEW, scope_for
from apps.orgunits.models import OrgUnit


def may_open_units(user) -> bool:
    """Every signed-in user reads the tree (what it shows of each unit is scoped)."""
    return user.is_authenticated


def units_tile(user) -> dict | None:
    """For those who govern units: which, and how many communes and hamlets they hold."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.officer_paths):
        return None
    seen = OrgUnit.objects.restrict(user, VIEW).current()
    return {
        "is_admin": scope.is_admin,
        "units": list(OrgUnit.objects.filter(path__in=scope.officer_paths + scope.partner_paths)),
        "communes": seen.filter(level=OrgUnit.Level.COMMUNE).count(),
        "hamlets": seen.filter(level=OrgUnit.Level.HAMLET).count(),
    }


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "units", _("Đơn vị hành chính"), "orgunits:tree", may_open_units, order=10)
    )
    sections.register_tile(sections.Tile(app, "units", "orgunits/partials/home_tile.html", units_tile, order=10))
    sections.register_routes(
        sections.Routes(app, "units/", "apps.orgunits.urls", "/orgunits", "apps.orgunits.api.router")
    )
