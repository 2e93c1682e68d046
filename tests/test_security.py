import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


class TestProductionSettings:
    def test_check_deploy_is_clean(self):
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="k" * 20 + "-not-a-real-secret-" + "z9" * 20,
            DJANGO_ALLOWED_HOSTS="example.vn",
            SQLITE_PATH="/tmp/dentruong-deploy-check.sqlite3",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = manage("check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="example.vn")
        assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


class TestHeaders:
    def test_pages_carry_a_content_security_policy_without_unsafe_inline(self, db, client):
        response = client.get(reverse("login"))
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy
        assert response["X-Frame-Options"] == "DENY"

    def test_the_interface_is_vietnamese_even_for_an_english_browser(self, db, client):
        assert "Đăng nhập" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()

    def test_english_is_one_click_away(self, db, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
        assert response.status_code == 302
        assert "Sign in" in client.get(reverse("login")).content.decode()


class TestLogin:
    def test_a_demo_user_signs_in(self, cast, client):
        cast.teacher_a.set_password("mat-khau-dung-2025")
        cast.teacher_a.save()
        response = client.post(reverse("login"), {"username": "giaovien.tranam", "password": "mat-khau-dung-2025"})
        assert response.status_code == 302 and response["Location"] == reverse("home")

    def test_repeated_failures_lock_the_account_out(self, cast, client):
        for _ in range(5):
            client.post(reverse("login"), {"username": "giaovien.tranam", "password": "sai"})
        response = client.post(reverse("login"), {"username": "giaovien.tranam", "password": "sai"})
        assert response.status_code == 429

    def test_logout_needs_a_post(self, cast, client_for):
        client = client_for(cast.teacher_a)
        assert client.get(reverse("logout")).status_code == 405
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("home")).status_code == 302

    def test_passwords_are_hashed_with_argon2_outside_tests(self):
        from dentruong import settings as project_settings

        assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


class TestOddInput:
    def test_a_nul_byte_in_the_address_is_a_bad_request(self, cast, client_for):
        client = client_for(cast.province_officer)
        for url in ("/api/v1/schools/?q=%00", "/audit/?action=%00", "/schools/?q=a%00b"):
            assert client.get(url).status_code == 400

    def test_huge_numbers_are_not_found_not_errors(self, cast, client_for):
        client = client_for(cast.commune_officer)
        assert client.post(f"/users/{10**20}/roles/1/revoke/").status_code == 404
        assert client.get(f"/api/v1/orgunits/?offset={2**63}").status_code == 422


class TestExpiredSession:
    def test_an_htmx_request_sends_the_whole_page_to_the_login(self, cast, client):
        response = client.post(
            f"/units/{cast.commune_a.pk}/hamlets/new/",
            {"name": "X"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://testserver/units/{cast.commune_a.pk}/",
        )
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"/login/?next=%2Funits%2F{cast.commune_a.pk}%2F"

    def test_a_posted_form_comes_back_to_its_page_after_login(self, cast, client):
        page = f"http://testserver/schools/{cast.school_a.pk}/"
        response = client.post(f"/schools/{cast.school_a.pk}/sites/new/", {"name": "X"}, HTTP_REFERER=page)
        assert response["Location"] == f"/login/?next=%2Fschools%2F{cast.school_a.pk}%2F"

    def test_a_foreign_referer_is_ignored(self, cast, client):
        response = client.post(f"/schools/{cast.school_a.pk}/sites/new/", {}, HTTP_REFERER="https://evil.example/x")
        assert response["Location"] == "/login/"
