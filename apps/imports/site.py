"""The import layer's place on the site: the menu entry and the routes (`apps.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections


def may_open_imports(user) -> bool:
    """Those who may upload a file of some kind, or see an upload made for their unit or school."""
    from apps.core.memo import once_per_request
    from apps.imports import selectors

    if not user.is_authenticated:
        return False
    return once_per_request(
        ("imports.may_open", user.pk),
        lambda: selectors.may_start_any(user) or selectors.job_list(user).exists(),
    )


def imports_tile(user) -> dict | None:
    """The home page: the files of the user's units and schools that failed, or wait for someone to confirm them,
    over the last 30 days (what needs attention)."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from apps.imports import selectors
    from apps.imports.models import ImportJob

    if not may_open_imports(user):
        return None
    since = timezone.now() - datetime.timedelta(days=30)
    counts = dict(
        selectors.job_list(user)
        .filter(created_at__gte=since, status__in=[ImportJob.Status.FAILED, ImportJob.Status.CHECKED])
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {"failed": counts.get(ImportJob.Status.FAILED, 0), "waiting": counts.get(ImportJob.Status.CHECKED, 0)}


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "imports", _("Nhập tệp"), "imports:list", may_open_imports, order=45)
    )
    sections.register_tile(sections.Tile(app, "imports", "imports/partials/home_tile.html", imports_tile, order=45))
    sections.register_routes(
        sections.Routes(app, "imports/", "apps.imports.urls", "/imports", "apps.imports.api.router")
    )
