"""How an app joins the site without editing a project file: its menu entries, its home-page tiles, its pages'
URLs and its API router, each registered from its `AppConfig.ready()`:

    from apps.core import sections

    sections.register_section(sections.Section(
        app=self.name, key="funds", label=_("Quỹ"), url_name="funds:list", may_open=may_open_funds, order=60))
    sections.register_tile(sections.Tile(
        app=self.name, key="funds", template="funds/partials/home_tile.html", context=fund_tile, order=60))
    sections.register_routes(sections.Routes(
        app=self.name, prefix="funds/", urlconf="apps.funds.urls", api_prefix="/funds",
        api_router="apps.funds.api.router"))

`may_open(user)` (conventionally `may_open_<section>` in the app's `site.py`) is the one rule for who may open a
section: the menu shows the entry by it, and the section's views refuse (403) by it. A tile's `context(user)`
returns what its template shows, or None when the tile is not for that user. Only installed apps' entries count.

The page of an org unit and the tree of units show what other apps hold about a unit the same way, without
`orgunits` importing them:

    sections.register_panel(sections.Panel(
        app=self.name, key="funds", template="funds/partials/unit_panel.html", context=unit_funds, order=60))
    sections.register_unit_count("funds", fund_counts)

A panel's `context(user, unit)` returns what its template shows (as `panel`, beside `unit`), or None when the
panel does not apply to that unit or user. A unit count's `count(user, units)` returns `{unit id: n}` for a
whole level of the tree at once, in a few queries whatever the number of units (the tree shows the "schools" one).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import include, path

_SECTIONS: dict[str, "Section"] = {}
_TILES: dict[str, "Tile"] = {}
_ROUTES: dict[str, "Routes"] = {}
_PANELS: dict[str, "Panel"] = {}
_UNIT_COUNTS: dict[str, "UnitCount"] = {}


@dataclass(frozen=True)
class Section:
    app: str  # the registering app's name ("apps.students")
    key: str  # "students"
    label: str  # for the menu ("Học sinh"), lazy
    url_name: str  # "students:list"
    may_open: Callable  # may_open(user) -> bool
    order: int = 100


@dataclass(frozen=True)
class Tile:
    app: str
    key: str
    template: str  # rendered with `tile`: what `context(user)` returned
    context: Callable  # context(user) -> dict, or None when the tile is not for this user
    order: int = 100


@dataclass(frozen=True)
class Routes:
    app: str
    prefix: str  # "students/"
    urlconf: str  # "apps.students.urls" (with its app_name: the namespace)
    api_prefix: str = ""  # "/students"
    api_router: str = ""  # "apps.students.api.router"


def _installed(entry) -> bool:
    return apps.is_installed(entry.app)


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def register_tile(tile: Tile) -> None:
    _TILES[tile.key] = tile


def register_routes(routes: Routes) -> None:
    _ROUTES[routes.prefix] = routes


def menu_for(user) -> list[Section]:
    """The menu entries `user` may open, in order."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries = [s for s in _SECTIONS.values() if _installed(s) and s.may_open(user)]
    return sorted(entries, key=lambda s: (s.order, s.key))


def tiles_for(user) -> list[tuple[Tile, dict]]:
    """The home-page tiles for `user`, in order, each with what its template shows."""
    shown = []
    for tile in sorted(_TILES.values(), key=lambda t: (t.order, t.key)):
        if _installed(tile) and (context := tile.context(user)) is not None:
            shown.append((tile, context))
    return shown


def urlpatterns() -> list:
    """Every installed app's pages under its prefix (the project's `urls.py` adds these)."""
    return [path(r.prefix, include(r.urlconf)) for r in _ROUTES.values() if _installed(r)]


def add_routers(api) -> None:
    """Every installed app's API router on the project's NinjaAPI."""
    for routes in _ROUTES.values():
        if routes.api_router and _installed(routes):
            api.add_router(routes.api_prefix, routes.api_router)


# ---- the unit page's panels and the tree's counts ------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    app: str
    key: str
    template: str  # included on the unit page with `panel` (what `context(user, unit)` returned) and `unit`
    context: Callable  # context(user, unit) -> dict, or None when the panel does not apply to this unit or user
    order: int = 100


@dataclass(frozen=True)
class UnitCount:
    app: str  # the registering app's name, or one of its modules: the count is taken while that app is installed
    key: str  # "schools"
    count: Callable  # count(user, units) -> {unit id: n}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def register_unit_count(key: str, count: Callable, app: str = "") -> None:
    """Count something per unit for the tree; `app` defaults to the app whose module defines `count`."""
    _UNIT_COUNTS[key] = UnitCount(app or count.__module__, key, count)


def panels_for(user, unit) -> list[tuple[Panel, dict]]:
    """The panels of `unit`'s page that apply for `user`, in order, each with what its template shows."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if _installed(panel) and (context := panel.context(user, unit)) is not None:
            shown.append((panel, context))
    return shown


def unit_counts(user, units) -> dict[str, dict[int, int]]:
    """Every installed app's counts for these units (that `user` sees): `{key: {unit id: n}}`."""
    units = list(units)
    return {
        c.key: c.count(user, units) if units else {}
        for c in _UNIT_COUNTS.values()
        if apps.get_containing_app_config(c.app) is not None  # an app's name or one of its modules
    }
