"""The funds' place on the site (`apps.core.sections`): the menu entry, the home tile (each fund's progress
towards its target), the routes and the API router."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import sections


def may_open_funds(user) -> bool:
    """Every signed-in user reads the funds of their scope (scoped; a teacher sees their school's)."""
    return user.is_authenticated


def progress_tile(user) -> dict | None:
    """Each fund's money raised this school year against its target (the `fund_progress` figures)."""
    from apps.funds import selectors

    funds = list(
        selectors.fund_list(user).select_related(
            "school__location", "organisation__school__location", "organisation__org_unit"
        )[:6]
    )
    if not funds:
        return None
    progress = selectors.progress_of(funds, timezone.localdate())  # a fixed number of queries for the six
    rows = []
    for fund in funds:
        year, raised, target = progress[fund.pk]
        rows.append(
            {
                "fund": fund,
                "raised": raised,
                "target": target,
                "percent": round(raised * 100 / target) if target else None,
                "year": f"{year}-{year + 1}",
            }
        )
    return {"rows": rows}


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "funds", _("Quỹ xã hội hóa"), "funds:list", may_open_funds, order=60)
    )
    sections.register_tile(sections.Tile(app, "funds", "funds/partials/home_tile.html", progress_tile, order=60))
    sections.register_routes(sections.Routes(app, "funds/", "apps.funds.urls", "/funds", "apps.funds.api.router"))
