"""Sign-in behind a proxy (the client's address), the lock per user and address, and the slower limit per address
across user names (`apps.accounts.signin`)."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from django.urls import reverse

from apps.accounts.models import SignInFailure
from apps.accounts.signin import client_ip

PASSWORD = "mat-khau-dung-2025"


def attempt(client, username, password="sai-mat-khau", via="203.0.113.7"):
    """A sign-in through one nginx: the proxy connects from 10.0.0.2 and appends the client's address."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=via,
    )


class TestClientAddress:
    def test_without_the_setting_the_forwarded_header_is_ignored(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert client_ip(request) == "10.0.0.2"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_trusted_proxy_the_address_it_saw_counts(self):
        # The client wrote "1.2.3.4" itself; nginx appended the address it saw.
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
        assert client_ip(request) == "203.0.113.7"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_request_that_skipped_the_proxies_keeps_its_own_address(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert client_ip(request) == "10.0.0.2"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_forwarded_value_that_is_no_address_is_ignored(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
        assert client_ip(request) == "10.0.0.2"


class TestBehindATrustedProxy:
    @pytest.fixture(autouse=True)
    def _password(self, cast, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        cast.teacher_a.set_password(PASSWORD)
        cast.teacher_a.save()

    def test_five_failures_lock_the_user_out_at_that_address_only(self, client):
        statuses = [attempt(client, "giaovien.tranam").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
        locked = attempt(client, "giaovien.tranam", PASSWORD)  # locked here, even with the right password
        assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
        assert "Account locked" not in locked.content.decode()
        # The same official at another address (their school's connection) still signs in.
        response = attempt(client, "giaovien.tranam", PASSWORD, via="198.51.100.20")
        assert response.status_code == 302 and response["Location"] == reverse("home")

    def test_the_lock_is_by_user_and_address_not_the_address_alone(self, client, cast):
        cast.principal_a.set_password(PASSWORD)
        cast.principal_a.save()
        for _ in range(5):
            attempt(client, "giaovien.tranam")
        # A colleague behind the same school connection is not locked out by it.
        assert attempt(client, "hieutruong.tranam", PASSWORD).status_code == 302

    def test_without_the_setting_every_client_shares_the_proxys_lock(self, client, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        for _ in range(5):
            attempt(client, "giaovien.tranam")
        assert attempt(client, "giaovien.tranam", PASSWORD, via="198.51.100.20").status_code == 429


class TestPasswordSpraying:
    @pytest.fixture(autouse=True)
    def _password(self, cast, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        cast.teacher_b.set_password(PASSWORD)
        cast.teacher_b.save()

    def test_twenty_failures_across_user_names_refuse_that_address(self, client):
        for n in range(20):
            assert attempt(client, f"nguoi-dung-{n}").status_code == 200
        assert SignInFailure.objects.filter(address="203.0.113.7").count() == 20
        response = attempt(client, "giaovien.phudong", PASSWORD)  # even a right password, from there
        assert response.status_code == 429
        assert "quá nhiều lần đăng nhập sai" in response.content.decode()
        # Another address is not slowed.
        assert attempt(client, "giaovien.phudong", PASSWORD, via="198.51.100.20").status_code == 302

    def test_an_ipv6_network_is_counted_as_one_address(self, client):
        for n in range(20):  # twenty addresses of one /64, as a client that changes its address at will
            attempt(client, f"nguoi-dung-{n}", via=f"2001:db8:7:7::{n + 1:x}")
        assert set(SignInFailure.objects.values_list("address", flat=True)) == {"2001:db8:7:7::"}
        assert attempt(client, "giaovien.phudong", PASSWORD, via="2001:db8:7:7:abcd::1").status_code == 429
        assert attempt(client, "giaovien.phudong", PASSWORD, via="2001:db8:7:8::1").status_code == 302  # the next /64

    def test_the_limit_holds_on_every_password_path(self, client, cast):
        from django.contrib.auth import authenticate

        for n in range(20):
            attempt(client, f"nguoi-dung-{n}")
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert authenticate(request, username="giaovien.phudong", password=PASSWORD) is None

    def test_nineteen_failures_still_let_a_user_in(self, client):
        for n in range(19):
            attempt(client, f"nguoi-dung-{n}")
        assert attempt(client, "giaovien.phudong", PASSWORD).status_code == 302

    def test_the_address_gets_its_tries_back_once_the_window_has_passed(self, client):
        start = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            for n in range(20):
                attempt(client, f"nguoi-dung-{n}")
            assert attempt(client, "giaovien.phudong", PASSWORD).status_code == 429
        with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
            assert attempt(client, "giaovien.phudong", PASSWORD).status_code == 302
