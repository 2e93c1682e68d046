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
    assert sections.may_open("ledger", cast.commune_officer) and not sections.may_open("ledger", cast.teacher_a)


def test_an_app_no_longer_installed_is_in_no_menu(cast, client_for):
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registration_app"]):
        pass  # registered once, then uninstalled
    assert "Sổ vàng" not in client_for(cast.commune_officer).get(reverse("home")).content.decode()
    assert not sections.may_open("ledger", cast.commune_officer)


def test_the_menu_shows_each_member_the_sections_they_may_open(cast):
    keys = {member: [s.key for s in sections.menu_for(getattr(cast, member))] for member in cast.members()}
    assert keys["admin"][:3] == ["units", "schools", "students"] and "audit" in keys["admin"]
    assert "students" in keys["teacher_a"] and "census" not in keys["teacher_a"] and "audit" not in keys["teacher_a"]
    assert "students" not in keys["partner"] and "users" not in keys["partner"]
    assert "imports" in keys["principal_a"] and "census" in keys["commune_officer"]
    assert keys["anonymous"] == []
