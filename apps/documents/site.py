"""The documents' place on the site (`apps.core.sections`): the menu entry, the routes and the API router."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections


def may_open_documents(user) -> bool:
    """Every signed-in user reads the registers of the bodies in their scope (scoped)."""
    return user.is_authenticated


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "documents", _("Văn bản đi"), "documents:list", may_open_documents, order=70)
    )
    sections.register_routes(
        sections.Routes(app, "documents/", "apps.documents.urls", "/documents", "apps.documents.api.router")
    )
