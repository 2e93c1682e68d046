"""What every answer carries: `Cache-Control: no-store` on whatever a signed-in user sees and on the API, and the
session that ends after SESSION_IDLE_HOURS without a request."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.students.models import Enrolment


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


class TestNoStore:
    def test_personal_data_pages_and_exports_are_not_kept(self, cast, client_for):
        client = client_for(cast.commune_officer)
        child = Enrolment.objects.filter(school=cast.school_a).first().child
        for url in (
            reverse("students:list"),
            reverse("students:child", args=[child.pk]),
            reverse("students:export"),
            reverse("students:census"),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert no_store(response), url

    def test_api_answers_are_not_kept_with_a_token_or_without(self, cast, client):
        _token, raw = services.api_token_create(actor=cast.commune_officer, name="x")
        response = client.get("/api/v1/students/enrolments", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200 and no_store(response)
        assert no_store(client.get("/api/v1/students/enrolments"))  # 401


class TestIdleSession:
    def test_a_session_ends_after_eight_hours_without_a_request(self, cast, client_for, settings):
        assert settings.SESSION_COOKIE_AGE == 8 * 3600
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            client = client_for(cast.teacher_a)
            assert client.get(reverse("home")).status_code == 200
        with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
            response = client.get(reverse("home"))
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_each_request_starts_the_eight_hours_again(self, cast, client_for):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            client = client_for(cast.teacher_a)
        for hours in (7, 14, 21):  # a request every seven hours: 21 hours signed in
            with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
                assert client.get(reverse("home")).status_code == 200, hours

    def test_the_session_row_is_written_again_at_most_every_five_minutes(self, cast, client_for, settings):
        from django.contrib.sessions.models import Session

        assert settings.SESSION_TOUCH_SECONDS == 300
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            client = client_for(cast.teacher_a)
            client.get(reverse("home"))
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        first = Session.objects.get(pk=key).expire_date
        with time_machine.travel(start + datetime.timedelta(minutes=4), tick=False):
            assert client.get(reverse("home")).status_code == 200
        assert Session.objects.get(pk=key).expire_date == first  # not written: within five minutes
        with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
            assert client.get(reverse("home")).status_code == 200
        assert Session.objects.get(pk=key).expire_date == first + datetime.timedelta(minutes=6)
