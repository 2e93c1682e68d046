import io

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit


class TestTree:
    def test_a_commune_officer_sees_only_their_commune_with_its_school_count(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("orgunits:tree")).content.decode()
        assert "Xã Trà Linh" in page and "Phường Hải Châu" not in page and "Thành phố Đà Nẵng" not in page
        assert "4 trường" in page

    def test_the_province_officer_drills_down_with_htmx(self, cast, client_for):
        client = client_for(cast.province_officer)
        response = client.get(reverse("orgunits:children", args=[cast.province.pk]), HTTP_HX_REQUEST="true")
        fragment = response.content.decode()
        assert "<html" not in fragment and "Xã Trà Linh" in fragment and "Phường Hải Châu" in fragment
        assert fragment.count("<details>") == 94


class TestDetail:
    def test_an_old_commune_shows_its_successor(self, cast, client_for):
        old = OrgUnit.objects.historical().get(level=3, code="20953")
        page = client_for(cast.teacher_a).get(reverse("orgunits:detail", args=[old.pk])).content.decode()
        assert "trước 1/7/2025" in page and "Xã Trà Linh" in page

    def test_a_commune_officer_adds_a_hamlet_through_htmx(self, cast, client_for):
        client = client_for(cast.commune_officer)
        response = client.post(
            reverse("orgunits:hamlet_create", args=[cast.commune_a.pk]),
            {"name": "Thôn Tắk Chưng", "qualifier": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "Thôn Tắk Chưng" in response.content.decode()
        assert AuditEvent.objects.filter(action="orgunits.hamlet_create", actor=cast.commune_officer).exists()

    def test_a_duplicate_hamlet_shows_the_reason(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("orgunits:hamlet_create", args=[cast.commune_a.pk]),
            {"name": "Thôn 1", "qualifier": "xã Trà Nam cũ"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400 and "đã có thôn" in response.content.decode()

    def test_a_hamlet_list_is_checked_in_the_background_and_its_errors_listed(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        from apps.imports.models import ImportJob

        upload = io.BytesIO("Tên thôn\n\nThôn A\nThôn A\n".encode())
        upload.name = "thon.csv"
        client = client_for(cast.commune_officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("orgunits:hamlet_import", args=[cast.commune_a.pk]), {"file": upload})
        job = ImportJob.objects.get(kind="orgunits.hamlets")
        assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
        page = client.get(response["Location"]).content.decode()
        assert "trùng với dòng" in page and "Dòng 4" in page
        assert not OrgUnit.objects.filter(name="Thôn A").exists()

    def test_a_hamlet_list_is_written_once_confirmed(self, cast, client_for, django_capture_on_commit_callbacks):
        from apps.imports.models import ImportJob

        upload = io.BytesIO("Tên thôn\nThôn Mới Một\nThôn Mới Hai\n".encode())
        upload.name = "thon.csv"
        client = client_for(cast.commune_officer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("orgunits:hamlet_import", args=[cast.commune_a.pk]), {"file": upload})
        job = ImportJob.objects.get(kind="orgunits.hamlets")
        assert job.status == "checked" and not OrgUnit.objects.filter(name="Thôn Mới Một").exists()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == "done" and job.summary["result"] == {"created": 2}
        assert OrgUnit.objects.filter(parent=cast.commune_a, name="Thôn Mới Hai").exists()
        assert client_for(cast.other_commune_officer).get(reverse("imports:detail", args=[job.pk])).status_code == 404


class TestSearch:
    def test_an_old_address_finds_todays_commune(self, cast, client_for):
        response = client_for(cast.commune_officer).get(reverse("orgunits:search"), {"q": "xã Trà Nam, Nam Trà My"})
        page = response.content.decode()
        assert "Địa chỉ này nay thuộc" in page and "Xã Trà Linh, Thành phố Đà Nẵng" in page

    def test_units_outside_the_scope_are_named_but_not_linked(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("orgunits:search"), {"q": "Hải Châu"}).content.decode()
        assert "Phường Hải Châu, Thành phố Đà Nẵng" in page  # public administrative data
        assert reverse("orgunits:detail", args=[cast.commune_b.pk]) not in page


class TestHamletPages:
    def test_rename_and_retire_a_hamlet(self, cast, client_for):
        from apps.orgunits.services import hamlet_create

        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Tạm")
        client = client_for(cast.commune_officer)
        client.post(reverse("orgunits:hamlet_update", args=[hamlet.pk]), {"name": "Thôn Đổi Tên", "qualifier": ""})
        hamlet.refresh_from_db()
        assert hamlet.name == "Thôn Đổi Tên"
        url = reverse("orgunits:hamlet_retire", args=[hamlet.pk])
        assert client.post(url, {"on": "2025-12-01"}).status_code == 302  # not confirmed: nothing happens
        hamlet.refresh_from_db()
        assert hamlet.is_current
        response = client.post(url, {"on": "2025-12-01", "confirm": "on"})
        assert response.status_code == 302 and response["Location"] == reverse(
            "orgunits:detail", args=[cast.commune_a.pk]
        )
        hamlet.refresh_from_db()
        assert hamlet.valid_to is not None
        page = client.get(reverse("orgunits:detail", args=[cast.commune_a.pk])).content.decode()
        assert "đã thôi hiệu lực; lịch sử vẫn được giữ" in page  # the message after the redirect
        assert "1 thôn đã thôi hiệu lực" in page  # listed apart, with a way back to it
        hamlet.refresh_from_db()
        assert hamlet.valid_to.isoformat() == "2025-12-01"


class TestUnitOrganisations:
    def test_the_commune_adds_a_partner_organisation(self, cast, client_for):
        client = client_for(cast.commune_officer)
        response = client.post(
            reverse("schools:unit_organisation_create", args=[cast.commune_a.pk]),
            {"kind": "veterans", "name": "Hội Cựu chiến binh xã Trà Linh", "contact_name": "", "contact_phone": ""},
        )
        assert response.status_code == 302
        page = client.get(reverse("orgunits:detail", args=[cast.commune_a.pk])).content.decode()
        assert "Hội Cựu chiến binh xã Trà Linh" in page and "Hội Khuyến học xã Trà Linh" in page

    def test_organisations_are_not_attached_to_pre_2025_units(self, cast):
        import pytest
        from django.core.exceptions import ValidationError

        from apps.schools.services import organisation_create

        old = OrgUnit.objects.historical().get(level=3, code="20953")
        with pytest.raises(ValidationError):
            organisation_create(actor=cast.admin, kind="veterans", name="X", org_unit=old)
