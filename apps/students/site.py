"""Students' and censuses' place on the site: menu entries and routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import VIEW, scope_for
from apps.orgunits.models import OrgUnit
from apps.orgunits.selectors import governs_a_commune


def may_open_students(user) -> bool:
    """Those who govern units and the staff of schools; partners see children only through what is assigned to
    them, never the list."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids)


def may_open_census(user) -> bool:
    """Those who govern a commune (its census)."""
    return governs_a_commune(user)


def students_tile(user) -> dict | None:
    """The home page: this year's students in the user's scope and, for those who govern a commune, the hamlets
    whose census lists children no school does (what needs attention)."""
    from apps.schools.models import SchoolYear
    from apps.schools.selectors import default_year
    from apps.students import selectors

    if not may_open_students(user):
        return None
    year = default_year(SchoolYear.objects.restrict(user, VIEW))
    if year is None:
        return {"year": None}
    unlisted = selectors.census_unlisted_by_hamlet(user, year.start_year) if may_open_census(user) else []
    names = {h.pk: h.display_name for h in OrgUnit.objects.filter(pk__in=[row["hamlet"] for row in unlisted[:5]])}
    for row in unlisted[:5]:
        row["name"] = names.get(row["hamlet"], row["hamlet__name"])  # "Thôn 2 (xã Trà Nam cũ)": namesakes told apart
    return {
        "year": year,
        **selectors.student_tile_counts(user, year),
        "governs_census": may_open_census(user),
        "unlisted": sum(row["n"] for row in unlisted),
        "unlisted_hamlets": unlisted[:5],
    }


# ---- the child page's panels ------------------------------------------------------------------------------------
# Other apps show what they hold about a child on the child's page (risk flags, home visits, mentors) without this
# app importing them: `register_child_panel("retention", "retention/partials/child_panel.html", context)`, where
# `context(user, child)` returns what the template shows (as `panel`, beside `child`) or None when nothing applies.
_CHILD_PANELS: dict[str, tuple[str, object, int]] = {}


def register_child_panel(key: str, template: str, context, order: int = 100) -> None:
    _CHILD_PANELS[key] = (template, context, order)


def child_panels(user, child) -> list[tuple[str, dict]]:
    """The panels of the child's page that apply for `user`, in order, each with what its template shows."""
    shown = []
    for _key, (template, context, _order) in sorted(_CHILD_PANELS.items(), key=lambda item: (item[1][2], item[0])):
        if (panel := context(user, child)) is not None:
            shown.append((template, panel))
    return shown


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "students", _("Học sinh"), "students:list", may_open_students, order=30)
    )
    sections.register_section(
        sections.Section(app, "census", _("Điều tra phổ cập"), "students:census", may_open_census, order=40)
    )
    sections.register_tile(sections.Tile(app, "students", "students/partials/home_tile.html", students_tile, order=5))
    sections.register_routes(
        sections.Routes(app, "students/", "apps.students.urls", "/students", "apps.students.api.router")
    )
