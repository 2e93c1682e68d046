"""Schools' and school years' place on the site: menu entries, home tiles, routes, the panels of an org unit's
page and the tree's school counts (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core import sections
from apps.core.scoping import VIEW, scope_for
from apps.schools import selectors
from apps.schools.models import Organisation, School

YEARS = pgettext_lazy("the list of school years", "Năm học")  # "School years"; one year alone is "School year"


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
    sections.register_section(sections.Section(app, "years", YEARS, "schools:years", may_open_years, order=50))
    sections.register_tile(sections.Tile(app, "schools", "schools/partials/home_tile.html", schools_tile, order=20))
    sections.register_tile(
        sections.Tile(app, "organisations", "schools/partials/organisations_tile.html", organisations_tile, order=30)
    )
    sections.register_routes(
        sections.Routes(app, "schools/", "apps.schools.urls", "/schools", "apps.schools.api.router")
    )
    # The unit page: partner organisations and schools of a province or commune, school sites of a hamlet.
    sections.register_panel(
        sections.Panel(
            app,
            "organisations",
            "schools/partials/unit_organisations.html",
            selectors.unit_organisations_panel,
            order=20,
        )
    )
    sections.register_panel(
        sections.Panel(app, "schools", "schools/partials/unit_schools.html", selectors.unit_schools_panel, order=30)
    )
    sections.register_panel(
        sections.Panel(app, "sites", "schools/partials/unit_sites.html", selectors.hamlet_sites_panel, order=40)
    )
    sections.register_unit_count("schools", selectors.school_counts, app)
