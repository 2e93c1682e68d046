"""API tokens expire (API_TOKEN_DAYS), are renewed from the token page, and stop working when the password changes."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import ApiToken
from apps.core.models import AuditEvent

API = "/api/v1/orgunits/"


def get(client, raw):
    return client.get(API, HTTP_AUTHORIZATION=f"Bearer {raw}")


class TestExpiry:
    def test_a_new_token_works_for_ninety_days(self, cast, client):
        token, raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        assert (token.expires_at - timezone.now()).days in (89, 90)
        assert get(client, raw).status_code == 200
        with time_machine.travel(timezone.now() + datetime.timedelta(days=89), tick=False):
            assert get(client, raw).status_code == 200

    def test_an_expired_token_gets_401(self, cast, client):
        _token, raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        with time_machine.travel(timezone.now() + datetime.timedelta(days=90, minutes=1), tick=False):
            assert get(client, raw).status_code == 401

    def test_renewing_gives_another_ninety_days_from_today(self, cast, client):
        token, raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        later = timezone.now() + datetime.timedelta(days=80)
        with time_machine.travel(later, tick=False):
            services.api_token_renew(actor=cast.commune_officer, token=token)
        token.refresh_from_db()
        assert token.expires_at == later + datetime.timedelta(days=90)
        with time_machine.travel(later + datetime.timedelta(days=89), tick=False):
            assert get(client, raw).status_code == 200
        assert AuditEvent.objects.filter(action="accounts.api_token_renew", object_id=str(token.pk)).exists()

    def test_the_token_page_shows_the_expiry_and_renews(self, cast, client_for):
        token, _raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        client = client_for(cast.commune_officer)
        page = client.get(reverse("accounts:tokens")).content.decode()
        assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in page and "đang dùng được" in page
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=3))
        response = client.post(reverse("accounts:token_renew", args=[token.pk]), follow=True)
        token.refresh_from_db()
        assert (token.expires_at - timezone.now()).days in (89, 90)
        assert "Đã gia hạn mã đến" in response.content.decode()

    def test_an_expired_token_is_not_revived(self, cast, client_for):
        token, _raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
        client = client_for(cast.commune_officer)
        assert "đã hết hạn" in client.get(reverse("accounts:tokens")).content.decode()
        assert client.post(reverse("accounts:token_renew", args=[token.pk])).status_code == 404

    def test_another_users_token_is_not_renewed(self, cast, client_for):
        token, _raw = services.api_token_create(actor=cast.commune_officer, name="phần mềm xã")
        client = client_for(cast.teacher_a)
        assert client.post(reverse("accounts:token_renew", args=[token.pk])).status_code == 404


class TestPasswordChange:
    def test_a_token_older_than_the_last_password_change_gets_401(self, cast, client):
        _token, raw = services.api_token_create(actor=cast.teacher_a, name="máy trường")
        assert get(client, raw).status_code == 200
        cast.teacher_a.set_password("mat-khau-moi-2026")
        cast.teacher_a.save()
        assert get(client, raw).status_code == 401
        # A token made after the change works.
        _token, fresh = services.api_token_create(actor=cast.teacher_a, name="máy trường mới")
        assert get(client, fresh).status_code == 200

    def test_the_password_change_page_ends_the_tokens(self, cast, client_for):
        cast.teacher_a.set_password("mat-khau-cu-2025")
        cast.teacher_a.save()
        _token, raw = services.api_token_create(actor=cast.teacher_a, name="máy trường")
        client = client_for(cast.teacher_a)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": "mat-khau-cu-2025",
                "new_password1": "ngay-mai-di-hoc-26",
                "new_password2": "ngay-mai-di-hoc-26",
            },
        )
        assert response.status_code == 302
        assert get(client_for(cast.anonymous), raw).status_code == 401
        assert "hết hiệu lực do đổi mật khẩu" in client.get(reverse("accounts:tokens")).content.decode()
