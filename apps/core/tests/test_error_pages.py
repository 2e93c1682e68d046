"""Django's own English error pages are replaced by Vietnamese ones in the site's layout."""

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


class TestErrorPages:
    def test_a_missing_page_answers_in_vietnamese_in_the_sites_layout(self, cast, client_for, settings):
        settings.DEBUG = False
        response = client_for(cast.teacher_a).get("/khong-co-trang-nay/")
        page = response.content.decode()
        assert response.status_code == 404
        assert "Không tìm thấy" in page and "Về trang chủ" in page and "site-header" in page
        assert "Not Found" not in page

    def test_a_form_posted_without_its_csrf_token_answers_in_vietnamese(self, cast):
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.teacher_a)
        response = client.post(reverse("accounts:tokens"), {"name": "x"})
        page = response.content.decode()
        assert response.status_code == 403
        assert "Không gửi được biểu mẫu" in page and "tải lại trang" in page
        assert "CSRF verification failed" not in page and "Forbidden" not in page

    def test_the_server_error_page_renders_without_a_request_context(self, db):
        response = server_error(RequestFactory().get("/"))
        page = response.content.decode()
        assert response.status_code == 500
        assert "Lỗi hệ thống" in page and "Server Error" not in page
