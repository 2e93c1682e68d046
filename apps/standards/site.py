"""The national standard schools' place on the site (`apps.core.sections`): the menu entry, the routes and the
API router."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for


def may_open(user) -> bool:
    """Whoever governs a unit or staffs a school."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids)


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "standards", _("Trường chuẩn quốc gia"), "standards:index", may_open, order=47)
    )
    sections.register_routes(
        sections.Routes(app, "standards/", "apps.standards.urls", "/standards", "apps.standards.api.router")
    )
