"""Two officers recording at once, on real connections (one per thread): receipt numbers follow each other, a
donation rolled back gives its number back, and two asking for one donation's letter get one letter. Runs on SQLite
(the write lock taken at BEGIN IMMEDIATE) and on PostgreSQL (the counter row, the fund row and the donation row
locked FOR UPDATE)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from apps.funds import services
from apps.funds.models import Donation, Fund
from apps.funds.tests.conftest import DAY, give

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fund():
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit

    admin = User.objects.create_superuser("concurrency.admin", "", "x")
    unit = OrgUnit.objects.create(type="commune", level=3, code="T9999", name="Xã thử đồng thời", path="/")
    OrgUnit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")
    fund = Fund.objects.create(
        code="T-DONG",
        name="Quỹ thử",
        kind="other",
        regime="association",
        opened_on=DAY,
        org_unit=unit,
        created_by=admin,
    )
    return fund, admin


def in_thread(work, errors):
    def run():
        if swap.settings is not None:
            from django.db.backends.sqlite3.base import DatabaseWrapper

            connections["default"] = DatabaseWrapper(swap.settings, alias="default")
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@pytest.fixture
def real_database(tmp_path):
    """The test database as concurrent officers reach it. PostgreSQL: as it is. SQLite: the test database is in
    memory with a shared cache, whose table locks fail at once instead of waiting; so it is copied to a file and
    every thread of the test (this one too, until the end) connects to the copy with the project's own SQLite
    options (WAL, busy timeout, BEGIN IMMEDIATE), as the application runs."""
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

    from django.conf import settings
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    file_settings = {**connection.settings_dict, "NAME": str(path), "OPTIONS": dict(settings.SQLITE_OPTIONS)}
    original = connections["default"]
    swap.settings = file_settings
    connections["default"] = DatabaseWrapper(file_settings, alias="default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original
        swap.settings = None


class swap:
    """The settings of the file database that each thread connects to (None: the test database as it is)."""

    settings = None


def test_two_concurrent_donations_get_consecutive_receipt_numbers_and_a_failed_one_leaves_no_gap(fund, real_database):
    fund, admin = fund
    _race(fund, admin)


def test_two_at_once_both_numbered(fund, real_database):
    fund, admin = fund
    errors, start = [], threading.Barrier(2)

    def one(amount):
        def work():
            start.wait(10)
            give(admin, fund, amount)

        return work

    threads = [in_thread(one(a), errors) for a in (100, 200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    numbers = sorted(Donation.objects.filter(fund=fund).values_list("receipt_number", flat=True))
    assert numbers == ["T-DONG-2025-0001", "T-DONG-2025-0002"]


def _race(fund, admin):
    errors = []
    first_numbered, release_first = threading.Event(), threading.Event()

    class Abandon(Exception):
        pass

    def failing():
        # Takes number 0001, holds it while the others wait, then rolls back: the number must go to someone else.
        try:
            with transaction.atomic():
                give(admin, fund, 999)
                first_numbered.set()
                release_first.wait(10)
                raise Abandon
        except Abandon:
            pass

    def second():
        first_numbered.wait(10)
        give(admin, fund, 200)

    def third():
        first_numbered.wait(10)
        give(admin, fund, 300)

    threads = [in_thread(w, errors) for w in (failing, second, third)]
    for t in threads:
        t.start()
    first_numbered.wait(10)
    time.sleep(0.5)  # the other two are now waiting on the lock
    release_first.set()
    for t in threads:
        t.join(30)
    assert errors == []
    numbers = sorted(Donation.objects.filter(fund=fund).values_list("receipt_number", flat=True))
    assert numbers == ["T-DONG-2025-0001", "T-DONG-2025-0002"]
    assert sorted(Donation.objects.filter(fund=fund).values_list("amount", flat=True)) == [200, 300]
    assert services.cash_balance(fund) == 500


def test_two_asking_for_a_letter_at_once_get_one_letter_in_the_register(fund, real_database):
    from apps.documents.models import Document

    fund, admin = fund
    donation = give(admin, fund, 100)
    errors, start, got = [], threading.Barrier(2), []

    def work():
        start.wait(10)
        got.append(services.donation_letter_issue(actor=admin, donation=donation).document_id)

    threads = [in_thread(work, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(got) == 2 and got[0] == got[1]
    assert list(Document.objects.filter(kind="thu_cam_on").values_list("pk", flat=True)) == [got[0]]
