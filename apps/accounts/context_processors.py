from apps.core.scoping import scope_for


def navigation(request):
    """What the menu shows: only the sections the signed-in user can reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "nav_scope": scope,
        "nav_can_manage_users": scope.is_admin or bool(scope.officer_paths or scope.principal_school_ids),
    }
