"""Shared test set-up: fast settings, one province loaded once per session, and the fixed cast of users."""

import os
import tempfile
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

CAST_PROVINCE = "48"


def pytest_configure(config):
    # Fast settings for tests: cheap password hashing, tasks run immediately.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)  # whitenoise warns when it is missing
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dentruong-media-")  # uploaded files of the tests
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get("TEST_SQLITE_IN_MEMORY"):
        # A file, not Django's in-memory test database: the live server of the browser tests answers the page, its
        # fragments and its downloads in threads of their own, which share an in-memory database's one connection
        # (sqlite3.InterfaceError: bad parameter or other API misuse, when two land at once). On a RAM disk where
        # there is one, so that it costs no more than memory.
        where = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        database.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.mkdtemp(prefix="dentruong-db-", dir=where), "test.sqlite3"
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load Đà Nẵng (today's and its pre-2025 units) and the demo cast once for the whole session."""
    with django_db_blocker.unblock():
        call_command("seed_demo", province=CAST_PROVINCE, stdout=open("/dev/null", "w"))


@dataclass
class Cast:
    """The fixed cast every test shares (see seed_demo): school A is Trường PTDTBT Tiểu học Trà Nam in
    Xã Trà Linh (commune A); school B is Trường Tiểu học Phù Đổng in Phường Hải Châu (commune B)."""

    admin: object
    province_officer: object
    commune_officer: object
    other_commune_officer: object
    principal_a: object
    teacher_a: object
    teacher_b: object
    partner: object
    anonymous: object
    province: object
    commune_a: object
    commune_b: object
    school_a: object
    school_b: object
    school_upper: object
    organisation: object

    def members(self):
        return {
            name: getattr(self, name)
            for name in (
                "admin",
                "province_officer",
                "commune_officer",
                "principal_a",
                "teacher_a",
                "teacher_b",
                "partner",
                "anonymous",
            )
        }


@pytest.fixture
def cast(db):
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import Organisation, School

    users = {u.username: u for u in User.objects.all()}
    current = OrgUnit.objects.current()
    return Cast(
        admin=users["admin"],
        province_officer=users["so.gddt"],
        commune_officer=users["xa.tralinh"],
        other_commune_officer=users["phuong.haichau"],
        principal_a=users["hieutruong.tranam"],
        teacher_a=users["giaovien.tranam"],
        teacher_b=users["giaovien.phudong"],
        partner=users["khuyenhoc.tralinh"],
        anonymous=AnonymousUser(),
        province=current.get(level=1, code=CAST_PROVINCE),
        commune_a=current.get(level=3, code="20950"),
        commune_b=current.get(level=3, code="20242"),
        school_a=School.objects.get(moet_code="48095002"),
        school_b=School.objects.get(moet_code="48010002"),
        school_upper=School.objects.get(moet_code="48095004"),
        organisation=Organisation.objects.get(name="Hội Khuyến học xã Trà Linh"),
    )


@pytest.fixture
def client_for(db):
    """client_for(user) → a test client signed in as that user (anonymous: not signed in)."""
    from django.test import Client

    def make(user):
        c = Client()
        if getattr(user, "is_authenticated", False):
            c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _vietnamese_again():
    """A request with the English cookie leaves English active in this thread (the locale middleware never switches
    back): every test starts from the site's own language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
