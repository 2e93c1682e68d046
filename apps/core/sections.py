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
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import include, path

_SECTIONS: dict[str, "Section"] = {}
_TILES: dict[str, "Tile"] = {}
_ROUTES: dict[str, "Routes"] = {}


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


def may_open(key: str, user) -> bool:
    """Whether `user` may open the section registered as `key` (False for an unknown or uninstalled one)."""
    section = _SECTIONS.get(key)
    return section is not None and _installed(section) and bool(section.may_open(user))


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
