"""The change log's and the admin's place in the menu (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for


def may_open_audit(user) -> bool:
    """The change log: those who govern units (each sees their units' events)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths)


def may_open_admin(user) -> bool:
    return user.is_authenticated and user.is_staff


def register(app: str) -> None:
    sections.register_section(sections.Section(app, "audit", _("Nhật ký"), "audit_log", may_open_audit, order=80))
    sections.register_section(sections.Section(app, "admin", _("Quản trị"), "admin:index", may_open_admin, order=90))
