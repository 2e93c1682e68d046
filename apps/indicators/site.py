"""The indicators' place on the site: the menu entry, the unit page's panel and the routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for


def may_open_indicators(user) -> bool:
    """Whoever governs a unit, staffs a school or is a partner officer (aggregates only)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids or scope.organisation_ids)


def may_list_students(user) -> bool:
    """The lists behind a number: officers and school staff; never a partner officer (aggregates only)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids)


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "indicators", _("Chỉ số"), "indicators:index", may_open_indicators, order=45)
    )
    sections.register_routes(
        sections.Routes(app, "indicators/", "apps.indicators.urls", "/indicators", "apps.indicators.api.router")
    )
