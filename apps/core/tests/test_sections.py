"""Apps join the menu, the home page and the URLs by registration (`apps.core.sections`), editing no project file."""

import importlib

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from apps.core import sections


def reload_urls():
    import dentruong.urls

    clear_url_caches()
    importlib.reload(dentruong.urls)


@pytest.fixture
def with_test_app():
    """tests.registration_app installed (its config's ready() registers it), then the project's URLs rebuilt."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registration_app"]):
        reload_urls()
        yield
    reload_urls()


def test_an_app_joins_the_menu_the_home_page_and_the_urls_by_registering(cast, client_for, with_test_app):
    officer, teacher = client_for(cast.commune_officer), client_for(cast.teacher_a)
    home = officer.get(reverse("home")).content.decode()
    assert 'href="/so-vang/"' in home and "Sổ vàng" in home and "7 trang" in home
    assert officer.get("/so-vang/").content.decode() == "Trang sổ vàng"
    other = teacher.get(reverse("home")).content.decode()
    assert "Sổ vàng" not in other  # the entry and the tile follow the app's own rule

    def keys(user):
        return [s.key for s in sections.menu_for(user)]

    assert "ledger" in keys(cast.commune_officer) and "ledger" not in keys(cast.teacher_a)


def test_an_app_no_longer_installed_is_in_no_menu(cast, client_for):
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registration_app"]):
        pass  # registered once, then uninstalled
    assert "Sổ vàng" not in client_for(cast.commune_officer).get(reverse("home")).content.decode()
    assert "ledger" not in [s.key for s in sections.menu_for(cast.commune_officer)]


def test_the_menu_shows_each_member_the_sections_they_may_open(cast):
    keys = {member: [s.key for s in sections.menu_for(getattr(cast, member))] for member in cast.members()}
    assert keys["admin"][:3] == ["units", "schools", "students"] and "audit" in keys["admin"]
    assert "students" in keys["teacher_a"] and "census" not in keys["teacher_a"] and "audit" not in keys["teacher_a"]
    assert "students" not in keys["partner"] and "users" not in keys["partner"]
    assert "imports" in keys["principal_a"] and "census" in keys["commune_officer"]
    assert keys["anonymous"] == []


# ---- the unit page's panels and the tree's counts -----------------------------------------------------------------


@pytest.fixture
def registries(monkeypatch):
    """The panels and unit counts as registered, put back after the test whatever it registers."""
    monkeypatch.setattr(sections, "_PANELS", dict(sections._PANELS))
    monkeypatch.setattr(sections, "_UNIT_COUNTS", dict(sections._UNIT_COUNTS))


def ledger_panel(user, unit) -> dict | None:
    from tests.registration_app.apps import may_open_ledger

    return {"pages": 7} if may_open_ledger(user) and unit.is_commune_level else None


def register_ledger_panel() -> None:
    sections.register_panel(
        sections.Panel("tests.registration_app", "ledger", "registration_app/unit_panel.html", ledger_panel)
    )


def test_a_registered_panel_shows_on_a_unit_page_to_the_users_its_context_admits(
    cast, client_for, with_test_app, registries
):
    register_ledger_panel()
    url = reverse("orgunits:detail", args=[cast.commune_a.pk])
    page = client_for(cast.commune_officer).get(url).content.decode()
    assert "<h2>Sổ vàng của Xã Trà Linh</h2><p>7 trang</p>" in page
    assert page.index("Trường học</h2>") < page.index("Sổ vàng của")  # its order (100) after the schools app's
    teacher = client_for(cast.teacher_a).get(url)
    assert teacher.status_code == 200 and "Sổ vàng của" not in teacher.content.decode()  # the unit, not the panel
    hamlet = cast.commune_a.children.filter(type="hamlet").first()
    hamlet_page = client_for(cast.commune_officer).get(reverse("orgunits:detail", args=[hamlet.pk]))
    assert "Sổ vàng của" not in hamlet_page.content.decode()  # the context says the panel is for communes


def test_a_panel_of_an_app_not_installed_shows_nowhere(cast, client_for, registries):
    register_ledger_panel()
    page = client_for(cast.commune_officer).get(reverse("orgunits:detail", args=[cast.commune_a.pk]))
    assert "Sổ vàng của" not in page.content.decode() and "Trường học</h2>" in page.content.decode()
    assert [p.key for p, _ in sections.panels_for(cast.commune_officer, cast.commune_a)] == ["organisations", "schools"]


def test_a_registered_unit_count_reaches_the_tree(cast, client_for, registries):
    sections.register_unit_count("schools", lambda user, units: {u.pk: 40 + len(units) for u in units})
    client = client_for(cast.province_officer)
    assert "41 trường" in client.get(reverse("orgunits:tree")).content.decode()  # one root: the province
    fragment = client.get(reverse("orgunits:children", args=[cast.province.pk]), HTTP_HX_REQUEST="true")
    kids = cast.province.children.filter(valid_to__isnull=True).count()
    assert fragment.content.decode().count(f"{40 + kids} trường") == kids


def test_unit_counts_come_from_installed_apps_only(cast, registries):
    sections.register_unit_count("ledger", lambda user, units: {u.pk: 7 for u in units}, "tests.registration_app")
    counts = sections.unit_counts(cast.commune_officer, [cast.commune_a])
    assert counts == {"schools": {cast.commune_a.pk: 4}}  # the schools app's, the one the tree shows
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registration_app"]):
        assert sections.unit_counts(cast.commune_officer, [cast.commune_a])["ledger"] == {cast.commune_a.pk: 7}
