"""Officers issuing at once, on real connections (one per thread): the numbers follow each other without a gap or a
repeat. Meant for PostgreSQL (the counter row locked FOR UPDATE); on SQLite the write lock of BEGIN IMMEDIATE
serialises the same code."""

import datetime
import threading

import pytest
from django.db import connection, connections

from apps.documents import services
from apps.documents.models import Document, IssuingBody

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


@pytest.fixture
def body():
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit

    admin = User.objects.create_superuser("documents.concurrency", "", "x")
    unit = OrgUnit.objects.create(type="commune", level=3, code="T9998", name="Xã thử ban hành", path="/")
    OrgUnit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")
    return IssuingBody.objects.create(
        name="UBND xã thử", abbreviation="UBND", place="Thử", org_unit=unit, created_by=admin
    ), admin


def test_concurrent_issues_get_consecutive_numbers(body):
    if connection.vendor != "postgresql":
        pytest.skip("threads on their own connections: run with scripts/with-postgres.sh (CI does)")
    body, admin = body
    barrier = threading.Barrier(THREADS)
    errors = []

    def work():
        try:
            barrier.wait(timeout=30)
            services.document_issue(
                actor=admin, body=body, kind="thong_bao", summary="Thông báo thử", issued_on=datetime.date(2025, 9, 5)
            )
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    numbers = sorted(Document.objects.filter(body=body).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    symbols = set(Document.objects.filter(body=body).values_list("symbol", flat=True))
    assert symbols == {f"{n:02d}/TB-UBND" for n in range(1, THREADS + 1)}
