from django.utils.functional import SimpleLazyObject

from apps.core import sections


def navigation(request):
    """What the menu shows: the sections the signed-in user may open (`apps.core.sections`), worked out only
    when a page shows the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": SimpleLazyObject(lambda: sections.menu_for(user))}
