"""The import layer's place on the site: the menu entry and the routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections


def may_open_imports(user) -> bool:
    """Those who may upload a file of some kind, or see an upload made for their unit or school."""
    from apps.imports import selectors

    return user.is_authenticated and bool(selectors.startable_kinds(user) or selectors.job_list(user).exists())


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "imports", _("Nhập tệp"), "imports:list", may_open_imports, order=45)
    )
    sections.register_routes(
        sections.Routes(app, "imports/", "apps.imports.urls", "/imports", "apps.imports.api.router")
    )
