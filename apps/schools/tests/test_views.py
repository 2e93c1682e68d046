from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.schools.models import Level, School
from apps.schools.services import school_create


class TestSchoolList:
    def test_a_teacher_sees_only_their_school(self, cast, client_for):
        page = client_for(cast.teacher_a).get(reverse("schools:list")).content.decode()
        assert cast.school_a.name in page and cast.school_b.name not in page

    def test_filters_by_level(self, cast, client_for):
        page = client_for(cast.province_officer).get(reverse("schools:list"), {"level": Level.UPPER_SECONDARY}).content.decode()
        assert "Trường THPT Phan Châu Trinh" in page and cast.school_a.name not in page

    def test_the_number_of_queries_does_not_grow_with_the_list(self, cast, client_for):
        client = client_for(cast.province_officer)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("schools:list"))
        for i in range(30):
            school_create(actor=cast.province_officer, moet_code=f"Q{i:04d}", name=f"Trường Thử {i}",
                          levels=Level.PRIMARY, location=cast.commune_b, audit=False)
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("schools:list"))
        assert School.objects.count() > 40 and "Trường Thử 29" in response.content.decode()
        assert len(many) == len(few)


class TestSchoolEdit:
    def test_the_commune_officer_saves_a_change(self, cast, client_for):
        response = client_for(cast.commune_officer).post(reverse("schools:edit", args=[cast.school_a.pk]), {
            "name": "Trường PTDTBT Tiểu học Trà Nam (mới)", "levels": [Level.PRIMARY], "ownership": "public",
            "address": "", "phone": "", "email": ""})
        assert response.status_code == 302
        cast.school_a.refresh_from_db()
        assert cast.school_a.name.endswith("(mới)")

    def test_the_detail_page_offers_edit_only_to_the_managing_unit(self, cast, client_for):
        url = reverse("schools:detail", args=[cast.school_upper.pk])
        assert "Sửa thông tin" not in client_for(cast.commune_officer).get(url).content.decode()
        assert "Sửa thông tin" in client_for(cast.province_officer).get(url).content.decode()
