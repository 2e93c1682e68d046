"""Users' and roles' place on the site: the menu entry, the home tile, the routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.core.scoping import scope_for


def may_open_users(user) -> bool:
    """Those who may grant roles: system administrators, unit officers, principals."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.officer_paths or scope.principal_school_ids)


def users_tile(user) -> dict | None:
    """For those who grant roles: the active accounts they manage that hold no role now (what needs attention:
    someone who cannot work until granted one, or an account to deactivate)."""
    if not may_open_users(user):
        return None
    from django.db.models import Exists, OuterRef

    from apps.accounts.models import RoleAssignment, User
    from apps.core.scoping import VIEW

    active = RoleAssignment.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True)
    users = User.objects.restrict(user, VIEW).filter(is_active=True)
    return {"count": users.count(), "without_role": users.filter(~Exists(active)).exclude(pk=user.pk).count()}


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "users", _("Người dùng"), "accounts:user_list", may_open_users, order=70)
    )
    sections.register_tile(sections.Tile(app, "users", "accounts/partials/home_tile.html", users_tile, order=70))
    sections.register_routes(sections.Routes(app, "users/", "apps.accounts.urls"))
