"""Students' and censuses' place on the site: menu entries and routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for
from apps.orgunits.selectors import governed_communes


def may_open_students(user) -> bool:
    """Those who govern units and the staff of schools; partners see children only through what is assigned to
    them, never the list."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.staff_school_ids)


def may_open_census(user) -> bool:
    """Those who govern a commune (its census)."""
    return user.is_authenticated and governed_communes(user).exists()


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "students", _("Học sinh"), "students:list", may_open_students, order=30)
    )
    sections.register_section(
        sections.Section(app, "census", _("Điều tra phổ cập"), "students:census", may_open_census, order=40)
    )
    sections.register_routes(
        sections.Routes(app, "students/", "apps.students.urls", "/students", "apps.students.api.router")
    )
