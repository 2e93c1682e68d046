from django.urls import reverse

from apps.orgunits.services import hamlet_create


class TestAuditLog:
    def test_a_commune_officer_reads_what_happened_in_their_commune_only(self, cast, client_for):
        hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Nhật Ký A")
        hamlet_create(actor=cast.other_commune_officer, commune=cast.commune_b, name="Tổ dân phố Nhật Ký B")
        page = client_for(cast.commune_officer).get(reverse("audit_log"), {"action": "orgunits.hamlet_create"})
        text = page.content.decode()
        assert "Thôn Nhật Ký A" in text and "Tổ dân phố Nhật Ký B" not in text
        assert "Thêm thôn" in text  # the action in words, not its code
        province_page = client_for(cast.province_officer).get(reverse("audit_log")).content.decode()
        assert "Thôn Nhật Ký A" in province_page and "Tổ dân phố Nhật Ký B" in province_page

    def test_teachers_have_no_log_page(self, cast, client_for):
        assert client_for(cast.teacher_a).get(reverse("audit_log")).status_code == 403
