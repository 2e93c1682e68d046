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
        page = (
            client_for(cast.province_officer)
            .get(reverse("schools:list"), {"level": Level.UPPER_SECONDARY})
            .content.decode()
        )
        assert "Trường THPT Phan Châu Trinh" in page and cast.school_a.name not in page

    def test_the_number_of_queries_does_not_grow_with_the_list(self, cast, client_for):
        client = client_for(cast.province_officer)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("schools:list"))
        for i in range(30):
            school_create(
                actor=cast.other_commune_officer,
                moet_code=f"Q{i:04d}",
                name=f"Trường Thử {i}",
                levels=Level.PRIMARY,
                location=cast.commune_b,
            )
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("schools:list"))
        assert School.objects.count() > 40 and "Trường Thử 29" in response.content.decode()
        assert len(many) == len(few)


class TestSchoolEdit:
    def test_the_commune_officer_saves_a_change(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("schools:edit", args=[cast.school_a.pk]),
            {
                "name": "Trường PTDTBT Tiểu học Trà Nam (mới)",
                "levels": [Level.PRIMARY],
                "ownership": "public",
                "address": "",
                "phone": "",
                "email": "",
            },
        )
        assert response.status_code == 302
        cast.school_a.refresh_from_db()
        assert cast.school_a.name.endswith("(mới)")

    def test_the_detail_page_offers_edit_only_to_the_managing_unit(self, cast, client_for):
        url = reverse("schools:detail", args=[cast.school_upper.pk])
        assert "Sửa thông tin" not in client_for(cast.commune_officer).get(url).content.decode()
        assert "Sửa thông tin" in client_for(cast.province_officer).get(url).content.decode()


class TestSchoolCreatePage:
    def test_the_commune_officer_registers_a_kindergarten(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("schools:create"),
            {
                "moet_code": "48095099",
                "name": "Trường Mẫu giáo Hoa Sen",
                "levels": [Level.KINDERGARTEN],
                "ownership": "private",
                "location": cast.commune_a.pk,
                "address": "",
                "phone": "",
                "email": "",
            },
        )
        school = School.objects.get(moet_code="48095099")
        assert response.status_code == 302 and school.managed_by == cast.commune_a

    def test_an_upper_secondary_school_is_explained_not_created(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("schools:create"),
            {
                "moet_code": "48095098",
                "name": "Trường THPT Mới",
                "levels": [Level.UPPER_SECONDARY],
                "ownership": "public",
                "location": cast.commune_a.pk,
                "address": "",
                "phone": "",
                "email": "",
            },
        )
        assert response.status_code == 400 and "do Sở GDĐT quản lý" in response.content.decode()
        assert not School.objects.filter(moet_code="48095098").exists()

    def test_another_communes_location_is_not_offered(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("schools:create"),
            {
                "moet_code": "48095097",
                "name": "X",
                "levels": [Level.PRIMARY],
                "ownership": "public",
                "location": cast.commune_b.pk,
                "address": "",
                "phone": "",
                "email": "",
            },
        )
        assert response.status_code == 400 and not School.objects.filter(moet_code="48095097").exists()


class TestSitesAndOrganisationsPages:
    def test_the_managing_commune_adds_a_site_in_a_hamlet(self, cast, client_for):
        from apps.orgunits.models import OrgUnit

        hamlet = OrgUnit.objects.current().filter(parent=cast.commune_a, type="hamlet").first()
        response = client_for(cast.commune_officer).post(
            reverse("schools:site_create", args=[cast.school_a.pk]), {"name": "Điểm Nước Là", "hamlet": hamlet.pk}
        )
        assert response.status_code == 302
        assert cast.school_a.sites.get(name="Điểm Nước Là").hamlet == hamlet

    def test_the_principal_adds_a_partner_organisation(self, cast, client_for):
        response = client_for(cast.principal_a).post(
            reverse("schools:organisation_create", args=[cast.school_a.pk]),
            {"kind": "womens_union", "name": "Chi hội Phụ nữ thôn 2", "contact_name": "", "contact_phone": ""},
        )
        assert response.status_code == 302
        assert cast.school_a.organisations.filter(name="Chi hội Phụ nữ thôn 2").exists()


class TestSchoolYearPages:
    def test_everyone_sees_the_phases(self, cast, client_for):
        page = client_for(cast.teacher_a).get(reverse("schools:years")).content.decode()
        assert "Năm học 2025-2026" in page and "Giai đoạn 1: huy động" in page and "01/07/2025 – 04/09/2025" in page
        assert "Sửa lịch" not in page

    def test_the_province_sets_its_opening_day(self, cast, client_for):
        from apps.schools.models import SchoolYear

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        client = client_for(cast.province_officer)
        form = client.get(reverse("schools:year_edit", args=[year.pk])).content.decode()
        assert 'value="2025-09-05"' in form
        response = client.post(
            reverse("schools:year_edit", args=[year.pk]),
            {
                "starts_on": "2025-07-01",
                "opening_day": "2025-09-04",
                "semester1_ends_on": "2026-01-10",
                "teaching_ends_on": "2026-05-31",
                "ends_on": "2026-06-30",
            },
        )
        assert response.status_code == 302
        assert year.semesters.get(number=2).starts_on.isoformat() == "2026-01-11"

    def test_a_new_year_with_default_dates(self, cast, client_for):
        response = client_for(cast.province_officer).post(
            reverse("schools:year_create"), {"province": cast.province.pk, "start_year": 2027}
        )
        assert response.status_code == 302
        from apps.schools.models import SchoolYear

        assert SchoolYear.objects.get(province=cast.province, start_year=2027).opening_day.isoformat() == "2027-09-05"


def test_the_next_page_keeps_every_filter(cast, client_for):
    for i in range(55):
        school_create(
            actor=cast.other_commune_officer,
            moet_code=f"P{i:04d}",
            name=f"Trường Tư {i}",
            levels=Level.KINDERGARTEN,
            location=cast.commune_b,
            ownership="private",
        )
    page = client_for(cast.other_commune_officer).get(reverse("schools:list"), {"ownership": "private", "level": 2})
    assert "?ownership=private&amp;level=2&amp;page=2" in page.content.decode()


def test_the_province_is_told_who_registers_a_primary_school(cast, client_for):
    response = client_for(cast.province_officer).post(
        reverse("schools:create"),
        {
            "moet_code": "48095096",
            "name": "Trường TH Mới",
            "levels": [Level.PRIMARY],
            "ownership": "public",
            "location": cast.commune_a.pk,
            "address": "",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 400 and "do UBND xã quản lý" in response.content.decode()


class TestUnitPagePanels:
    def test_a_communes_page_lists_its_schools_and_partner_organisations_in_scope(self, cast, client_for):
        url = reverse("orgunits:detail", args=[cast.commune_a.pk])
        officer = client_for(cast.commune_officer).get(url).content.decode()
        assert "<h2>Trường học</h2>" in officer and "<h2>Tổ chức phối hợp</h2>" in officer
        assert cast.school_a.name in officer and cast.school_upper.name in officer
        assert "Hội Khuyến học xã Trà Linh" in officer
        assert f'action="{reverse("schools:unit_organisation_create", args=[cast.commune_a.pk])}"' in officer
        teacher = client_for(cast.teacher_a).get(url).content.decode()
        assert cast.school_a.name in teacher and cast.school_upper.name not in teacher  # the teacher's scope
        assert "Thêm tổ chức phối hợp" not in teacher and "/organisations/" not in teacher

    def test_a_hamlets_page_lists_the_school_sites_in_it(self, cast, client_for):
        from apps.schools.models import SchoolSite

        site = SchoolSite.objects.get(school=cast.school_a, name="Điểm Thôn 2")
        page = client_for(cast.commune_officer).get(reverse("orgunits:detail", args=[site.hamlet_id])).content.decode()
        assert "Điểm trường ở thôn này" in page and f"{cast.school_a.name}</a> — Điểm Thôn 2" in page
        assert "<h2>Trường học</h2>" not in page and "Tổ chức phối hợp" not in page
        commune = client_for(cast.commune_officer).get(reverse("orgunits:detail", args=[cast.commune_a.pk]))
        assert "Điểm trường ở thôn này" not in commune.content.decode()


class TestUnitOrganisationCreate:
    def post(self, client, unit, name="Hội Cựu chiến binh xã Trà Linh"):
        return client.post(
            reverse("schools:unit_organisation_create", args=[unit.pk]),
            {"kind": "veterans", "name": name, "contact_name": "", "contact_phone": ""},
        )

    def test_the_commune_adds_one_and_returns_to_the_units_page(self, cast, client_for):
        response = self.post(client_for(cast.commune_officer), cast.commune_a)
        assert response.status_code == 302 and response["Location"] == reverse(
            "orgunits:detail", args=[cast.commune_a.pk]
        )
        assert cast.commune_a.organisations.filter(name="Hội Cựu chiến binh xã Trà Linh").exists()

    def test_a_teacher_who_may_only_read_the_commune_gets_403(self, cast, client_for):
        assert self.post(client_for(cast.teacher_a), cast.commune_a).status_code == 403
        assert not cast.commune_a.organisations.filter(name="Hội Cựu chiến binh xã Trà Linh").exists()

    def test_another_communes_officer_gets_404(self, cast, client_for):
        assert self.post(client_for(cast.other_commune_officer), cast.commune_a).status_code == 404
