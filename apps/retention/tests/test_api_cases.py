"""Dropout cases in the API: the same scope as the pages (401 without a token, 404 out of sight), the list's filters,
one case with its interventions and follow-ups, an organisation's officer seeing its case only while it is open,
every read logged."""

import datetime

import pytest
from django.test import Client

from apps.core.models import AuditEvent
from apps.retention import cases
from apps.retention.models import DropoutCase
from apps.students.models import Enrolment

from .test_api import bearer

DAY = datetime.date(2025, 11, 20)


@pytest.fixture
def case(cast):
    """An open case of a pupil of school A's class 1A, with an intervention and a follow-up."""
    enrolment = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").select_related("child").first()
    case = DropoutCase.objects.create(
        child=enrolment.child,
        enrolment=enrolment,
        commune_id=enrolment.child.commune_id,
        year=enrolment.year,
        source="dropout",
        opened_on=DAY,
    )
    cases.intervention_add(
        actor=cast.commune_officer, case=case, kind="home_visit", on=DAY, by="Cán bộ xã", note="Gặp mẹ"
    )
    cases.follow_up_add(actor=cast.commune_officer, case=case, due_on=datetime.date(2025, 12, 1), note="Gọi lại")
    return case


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_without_a_token_the_cases_answer_401(case):
    assert Client().get("/api/v1/retention/cases").status_code == 401
    assert Client().get(f"/api/v1/retention/cases/{case.pk}").status_code == 401


def test_the_commune_officer_lists_and_reads_the_case_with_its_interventions_and_follow_ups(cast, case):
    client = bearer(Client(), cast.commune_officer)
    assert case.pk in ids(client.get("/api/v1/retention/cases"))
    body = client.get(f"/api/v1/retention/cases/{case.pk}").json()
    assert (body["child"], body["status"], body["cause"]) == (case.child.full_name, "open", "other")
    assert [(i["kind"], i["note"]) for i in body["interventions"]] == [("home_visit", "Gặp mẹ")]
    assert [(f["due_on"], f["note"]) for f in body["follow_ups"]] == [("2025-12-01", "Gọi lại")]
    reads = AuditEvent.objects.filter(kind="read", actor=cast.commune_officer, action="retention.case_list_read")
    assert reads.count() == 2


def test_the_filters_narrow_the_list(cast, case):
    client = bearer(Client(), cast.commune_officer)

    def listed(**filters):
        return case.pk in ids(client.get("/api/v1/retention/cases", filters))

    assert listed(phase=2) and not listed(phase=1)
    assert listed(status="all") and not listed(status="closed")
    assert listed(commune=case.commune_id) and not listed(commune=cast.commune_b.pk)
    assert not listed(owner="me")
    closed = ids(client.get("/api/v1/retention/cases", {"status": "closed"}))
    assert all(DropoutCase.objects.get(pk=pk).status == "closed" for pk in closed)
    assert client.get("/api/v1/retention/cases", {"status": "lost"}).status_code == 422


def test_a_teacher_of_another_school_gets_nothing_and_404(cast, case):
    client = bearer(Client(), cast.teacher_b)
    assert case.pk not in ids(client.get("/api/v1/retention/cases", {"status": "all"}))
    assert client.get(f"/api/v1/retention/cases/{case.pk}").status_code == 404


def test_an_organisations_officer_sees_its_case_only_while_it_is_open(cast, case):
    client = bearer(Client(), cast.partner)
    assert ids(client.get("/api/v1/retention/cases")) == []
    assert client.get(f"/api/v1/retention/cases/{case.pk}").status_code == 404
    cases.case_update(actor=cast.commune_officer, case=case, cause="economic", owner_organisation=cast.organisation)
    assert ids(client.get("/api/v1/retention/cases")) == [case.pk]
    assert ids(client.get("/api/v1/retention/cases", {"owner": "me"})) == [case.pk]
    assert client.get(f"/api/v1/retention/cases/{case.pk}").json()["owner"] == cast.organisation.name
    cases.case_close(actor=cast.commune_officer, case=case, outcome="not_returned", on=datetime.date(2025, 12, 2))
    assert ids(client.get("/api/v1/retention/cases", {"status": "all"})) == []
    assert client.get(f"/api/v1/retention/cases/{case.pk}").status_code == 404
    assert not DropoutCase.objects.restrict(cast.partner).filter(pk=case.pk).exists()  # the pages' rule too
