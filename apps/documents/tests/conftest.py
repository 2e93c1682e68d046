"""Fixtures of the documents' tests: the issuing body of school A (Trường PTDTBT Tiểu học Trà Nam, "THTN"), opened
by its principal, and a body of commune B that the cast of school A cannot see."""

import datetime

import pytest

from apps.documents import services
from apps.documents.models import Numbering

DAY = datetime.date(2025, 9, 5)


@pytest.fixture
def body_a(cast):
    return services.body_create(
        actor=cast.principal_a,
        name="Trường PTDTBT Tiểu học Trà Nam",
        parent_name="UBND xã Trà Linh",
        abbreviation="thtn",
        place="Trà Linh",
        school=cast.school_a,
    )


@pytest.fixture
def shared_body(cast):
    return services.body_create(
        actor=cast.commune_officer,
        name="Ủy ban nhân dân xã Trà Linh",
        abbreviation="UBND",
        place="Trà Linh",
        numbering=Numbering.SHARED,
        org_unit=cast.commune_a,
    )


@pytest.fixture
def body_b(cast):
    return services.body_create(
        actor=cast.admin,
        name="Trường Tiểu học Phù Đổng",
        parent_name="UBND phường Hải Châu",
        abbreviation="THPĐ",
        place="Hải Châu",
        school=cast.school_b,
    )


def issue(actor, body, kind="ke_hoach", on=DAY, summary="Huy động trẻ đến trường năm học 2025-2026", **more):
    return services.document_issue(actor=actor, body=body, kind=kind, summary=summary, issued_on=on, **more)
