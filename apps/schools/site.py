"""Schools' and school years' place on the site: menu entries, home tiles, routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import VIEW, scope_for
from apps.schools.models import Organisation, School


def may_open_schools(user) -> bool:
    """Every signed-in user reads the school list (scoped)."""
    return user.is_authenticated


def may_open_years(user) -> bool:
    return user.is_authenticated


def schools_tile(user) -> dict:
    scope = scope_for(user)
    schools = School.objects.restrict(user, VIEW)
    mine = scope.staff_school_ids | scope.partner_school_ids
    return {"count": schools.count(), "mine": list(schools.filter(pk__in=mine).select_related("location"))}


def organisations_tile(user) -> dict | None:
    organisations = list(Organisation.objects.filter(pk__in=scope_for(user).organisation_ids))
    return {"organisations": organisations} if organisations else None


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "schools", _("Trường học"), "schools:list", may_open_schools, order=20)
    )
    sections.register_section(sections.Section(app, "years", _("Năm học"), "schools:years", may_open_years, order=50))
    sections.register_tile(sections.Tile(app, "schools", "schools/partials/home_tile.html", schools_tile, order=20))
    sections.register_tile(
        sections.Tile(app, "organisations", "schools/partials/organisations_tile.html", organisations_tile, order=30)
    )
    sections.register_routes(
        sections.Routes(app, "schools/", "apps.schools.urls", "/schools", "apps.schools.api.router")
    )
