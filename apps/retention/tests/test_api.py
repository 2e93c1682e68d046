"""The early warning's API: the same scope as the pages (401 without a token, 404 out of sight, 403 read-only, 422
what the services refuse), a mentorship's end ending the mentor's sight, a visit resent with its key made once."""

import datetime
import uuid

import pytest

from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.services import api_token_create
from apps.retention.models import HomeVisit, Level, MentorNote, Mentorship, RiskFlag
from apps.students.models import Enrolment

from .conftest import ON


def bearer(client, user):
    _token, raw = api_token_create(actor=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.fixture
def mentor(cast):
    user = User.objects.create_user(username="gv.api", password="x", full_name="Cô API")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=cast.school_a, granted_by=cast.admin)
    return user


@pytest.fixture
def pupil(class_a):
    enrolment = Enrolment.objects.filter(class_group=class_a, ongoing=True).select_related("child").order_by("pk")[0]
    enrolment.child.poor = True
    enrolment.child.save()
    RiskFlag.objects.filter(enrolment=enrolment, current=True).update(current=False)
    RiskFlag.objects.create(
        enrolment=enrolment, level=Level.HIGH, score=6, reasons=[["poor_household", "poor"]], since=ON
    )
    return enrolment


def test_without_a_token_every_endpoint_answers_401(client, pupil):
    assert client.get("/api/v1/retention/flags").status_code == 401
    assert client.get("/api/v1/retention/mentorships").status_code == 401
    assert client.post("/api/v1/retention/visits", {}, content_type="application/json").status_code == 401


def test_flags_are_scoped_and_say_their_reasons(cast, client, pupil):
    items = bearer(client, cast.teacher_a).get("/api/v1/retention/flags", {"level": "high"}).json()["items"]
    mine = [f for f in items if f["enrolment_id"] == pupil.pk]
    assert mine and mine[0]["reasons"] == ["hộ nghèo"] and mine[0]["level"] == "high"
    other = bearer(client, cast.teacher_b).get("/api/v1/retention/flags").json()["items"]
    assert pupil.pk not in {f["enrolment_id"] for f in other}
    assert client.get(f"/api/v1/retention/enrolments/{pupil.pk}/flags").status_code == 404
    assert bearer(client, cast.partner).get("/api/v1/retention/flags").status_code == 403
    assert bearer(client, cast.teacher_a).get("/api/v1/retention/flags", {"level": "x"}).status_code == 422


def test_a_mentorship_assigned_noted_and_ended_through_the_api(cast, client, pupil, mentor):
    body = {"enrolment_id": pupil.pk, "mentor_id": mentor.pk, "starts_on": str(ON - datetime.timedelta(days=10))}
    read_only = bearer(client, cast.province_officer).post(
        "/api/v1/retention/mentorships", body, content_type="application/json"
    )
    assert read_only.status_code == 403
    hidden = bearer(client, cast.teacher_b).post("/api/v1/retention/mentorships", body, content_type="application/json")
    assert hidden.status_code == 404
    created = bearer(client, cast.principal_a).post(
        "/api/v1/retention/mentorships", body, content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    again = client.post("/api/v1/retention/mentorships", body, content_type="application/json")
    assert again.status_code == 422 and "đang đỡ đầu" in again.json()["detail"]
    as_mentor = bearer(client.__class__(), mentor)
    assert as_mentor.get(f"/api/v1/retention/enrolments/{pupil.pk}/flags").status_code == 200
    note = as_mentor.post(
        f"/api/v1/retention/mentorships/{pk}/notes", {"text": "Em đi học đều"}, content_type="application/json"
    )
    assert note.status_code == 201 and MentorNote.objects.filter(mentorship_id=pk).count() == 1
    assert (
        as_mentor.post(f"/api/v1/retention/mentorships/{pk}/end", {}, content_type="application/json").status_code
        == 403
    )
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    ended = client.post(
        f"/api/v1/retention/mentorships/{pk}/end", {"ends_on": str(yesterday)}, content_type="application/json"
    )
    assert ended.status_code == 200 and ended.json()["ends_on"] == str(yesterday)
    assert Mentorship.objects.get(pk=pk).ends_on == yesterday
    assert as_mentor.get(f"/api/v1/retention/enrolments/{pupil.pk}/flags").status_code == 404  # the sight ended
    assert as_mentor.get(f"/api/v1/retention/mentorships/{pk}/notes").status_code == 404


def test_a_visit_resent_with_its_key_is_one_visit(cast, client, pupil):
    body = {
        "enrolment_id": pupil.pk,
        "key": uuid.uuid4().hex,
        "on": str(ON),
        "met": "mẹ của em",
        "findings": "Gia đình đi làm nương",
    }
    teacher = bearer(client, cast.teacher_a)
    first = teacher.post("/api/v1/retention/visits", body, content_type="application/json")
    assert first.status_code == 201, first.json()
    second = teacher.post("/api/v1/retention/visits", body, content_type="application/json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert HomeVisit.objects.filter(enrolment=pupil).count() == 1
    ahead = {**body, "key": uuid.uuid4().hex, "on": str(datetime.date.today() + datetime.timedelta(days=3))}
    assert teacher.post("/api/v1/retention/visits", ahead, content_type="application/json").status_code == 422
    listed = teacher.get("/api/v1/retention/visits", {"enrolment": pupil.pk}).json()
    assert [v["id"] for v in listed["items"]] == [first.json()["id"]]
    assert bearer(client, cast.teacher_b).get("/api/v1/retention/visits", {"enrolment": pupil.pk}).json()["count"] == 0
    refused = bearer(client, cast.province_officer).post(
        "/api/v1/retention/visits", {**body, "key": uuid.uuid4().hex}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        bearer(client, cast.teacher_b)
        .post("/api/v1/retention/visits", {**body, "key": uuid.uuid4().hex}, content_type="application/json")
        .status_code
        == 404
    )
