"""The plans' place on the site (`apps.core.sections`): the menu entry, the routes and the API router."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections


def may_open_plans(user) -> bool:
    """Every signed-in user: what they see is scoped (plans of their school or units, the plans their organisation
    signs, the tasks they own)."""
    return user.is_authenticated


def register(app: str) -> None:
    sections.register_section(sections.Section(app, "plans", _("Kế hoạch"), "plans:list", may_open_plans, order=72))
    sections.register_routes(sections.Routes(app, "plans/", "apps.plans.urls", "/plans", "apps.plans.api.router"))
