"""The targets' place on the site (`apps.core.sections`): the menu entry, the dashboard tile on the home page, the
routes and the API router."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for


def may_open_targets(user) -> bool:
    """Whoever governs a unit or staffs a school (registrations), and partner officers (the dashboard's
    aggregates only)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids)


def dashboard_tile(user) -> dict | None:
    from apps.targets.dashboard import tile

    return tile(user)


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "targets", _("Chỉ tiêu"), "targets:index", may_open_targets, order=46)
    )
    sections.register_tile(sections.Tile(app, "targets", "targets/partials/home_tile.html", dashboard_tile, order=1))
    sections.register_routes(
        sections.Routes(app, "targets/", "apps.targets.urls", "/targets", "apps.targets.api.router")
    )
