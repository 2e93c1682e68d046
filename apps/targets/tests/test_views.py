"""The targets' pages: who opens what, the annex workflow through the pages, the workbooks' typed cells."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.schools.models import SchoolYear
from apps.targets import catalogue, exports, services
from apps.targets.models import Annex, Publication
from apps.targets.tests.conftest import ROWS, days

pytestmark = pytest.mark.django_db


def year_2025(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


class TestIndex:
    def test_the_principal_sees_their_school_late_and_cannot_start_after_the_deadline(self, cast, client_for):
        response = client_for(cast.principal_a).get(reverse("targets:index") + "?year=2025")
        assert response.status_code == 200
        text = response.content.decode()
        assert "Trường PTDTBT Tiểu học Trà Nam" in text and "Quá hạn" in text

    def test_the_commune_officer_sees_late_schools_first_and_a_link_to_publish(self, cast, client_for):
        response = client_for(cast.commune_officer).get(reverse("targets:index") + "?year=2025")
        text = response.content.decode()
        assert reverse("targets:publish", args=[cast.commune_a.pk]) in text
        rows = [r for r in response.context["rows"]]
        assert rows[0]["status"] == "late"
        assert [r["status"] for r in rows] == sorted(
            (r["status"] for r in rows), key=lambda s: {"late": 0, "returned": 1, "submitted": 2}.get(s, 3)
        )

    def test_a_partner_officer_gets_403(self, cast, client_for):
        assert client_for(cast.partner).get(reverse("targets:index")).status_code == 403

    def test_the_late_list_names_the_late_school_and_offers_reopening_to_its_managing_unit(self, cast, client_for):
        response = client_for(cast.commune_officer).get(reverse("targets:late") + "?year=2025")
        text = response.content.decode()
        assert "Trường PTDTBT Tiểu học Trà Nam" in text
        assert reverse("targets:annex_reopen", args=[cast.school_a.pk]) in text
        province = client_for(cast.province_officer).get(reverse("targets:late") + "?year=2025").content.decode()
        assert "Trường PTDTBT Tiểu học Trà Nam" in province
        assert reverse("targets:annex_reopen", args=[cast.school_a.pk]) not in province


class TestPublishPage:
    def test_the_commune_officer_publishes_through_the_page(self, cast, client_for, open_year):
        url = reverse("targets:publish", args=[cast.commune_a.pk]) + f"?year={open_year.start_year}"
        client = client_for(cast.commune_officer)
        page = client.get(url)
        assert page.status_code == 200 and "77.3" in page.content.decode()
        data = {"deadline": min(days(7), open_year.ends_on).isoformat(), "year": open_year.start_year, "note": ""}
        for field in page.context["form"].fields:
            if field.startswith(("cmp-", "val-")) and field not in data:
                value = page.context["form"][field].initial
                data[field] = "" if value is None else str(value)
        response = client.post(url, data)
        assert response.status_code == 302
        publication = Publication.objects.get(org_unit=cast.commune_a, year=open_year)
        assert publication.targets.count() == len(ROWS)

    def test_a_value_the_service_refuses_is_shown_on_its_row(self, cast, client_for, open_year):
        url = reverse("targets:publish", args=[cast.commune_a.pk]) + f"?year={open_year.start_year}"
        client = client_for(cast.commune_officer)
        page = client.get(url)
        data = {"deadline": min(days(7), open_year.ends_on).isoformat(), "year": open_year.start_year, "note": ""}
        for field in page.context["form"].fields:
            if field.startswith(("cmp-", "val-")) and field not in data:
                value = page.context["form"][field].initial
                data[field] = "" if value is None else str(value)
        key = f"retention-{catalogue.PRIMARY}"
        data[f"cmp-{key}"], data[f"val-{key}"] = ">", "100"  # the form takes 0–100; "> 100 %" no count can meet
        response = client.post(url, data)
        assert response.status_code == 400
        html = response.content.decode()
        row = html[html.index(f'name="val-{key}"') :].split("</tr>")[0]
        assert "Tỷ lệ duy trì sĩ số (Tiểu học): Không thể đạt “trên 100 %”" in row
        assert not Publication.objects.filter(org_unit=cast.commune_a, year=open_year).exists()

    def test_a_province_officer_gets_403_on_a_commune_and_another_commune_404(self, cast, client_for):
        url = reverse("targets:publish", args=[cast.commune_a.pk])
        assert client_for(cast.province_officer).get(url).status_code == 403
        assert client_for(cast.other_commune_officer).get(url).status_code == 404
        assert client_for(cast.principal_a).get(url).status_code == 403


@pytest.fixture
def submitted(cast, open_year):
    services.publication_publish(
        actor=cast.commune_officer,
        org_unit=cast.commune_a,
        year=open_year,
        deadline=min(days(10), open_year.ends_on),
        rows=ROWS,
    )
    annex = services.annex_start(actor=cast.principal_a, school=cast.school_a, year=open_year)
    return services.annex_submit(actor=cast.principal_a, annex=annex)


class TestAnnexPages:
    def test_a_principal_approving_their_own_annex_gets_403(self, cast, client_for, submitted):
        client = client_for(cast.principal_a)
        page = client.get(reverse("targets:annex", args=[submitted.pk]))
        assert page.status_code == 200 and "Duyệt phụ lục" not in page.content.decode()
        assert client.post(reverse("targets:annex_approve", args=[submitted.pk])).status_code == 403
        assert client.post(reverse("targets:annex_return", args=[submitted.pk]), {"comment": "x"}).status_code == 403
        submitted.refresh_from_db()
        assert submitted.status == Annex.Status.SUBMITTED

    def test_a_province_officer_on_a_commune_school_gets_403(self, cast, client_for, submitted):
        client = client_for(cast.province_officer)
        assert client.get(reverse("targets:annex", args=[submitted.pk])).status_code == 200  # reads it
        assert client.post(reverse("targets:annex_approve", args=[submitted.pk])).status_code == 403
        reopen = client.post(
            reverse("targets:annex_reopen", args=[cast.school_a.pk]), {"year": 2025, "deadline": days(3).isoformat()}
        )
        assert reopen.status_code == 403

    def test_others_get_404_and_a_partner_403(self, cast, client_for, submitted):
        url = reverse("targets:annex", args=[submitted.pk])
        assert client_for(cast.other_commune_officer).get(url).status_code == 404
        assert client_for(cast.teacher_b).get(url).status_code == 404
        assert client_for(cast.partner).get(url).status_code == 403

    def test_the_managing_commune_returns_then_approves_through_the_pages(self, cast, client_for, submitted):
        officer, principal = client_for(cast.commune_officer), client_for(cast.principal_a)
        url = reverse("targets:annex", args=[submitted.pk])
        assert "Duyệt phụ lục" in officer.get(url).content.decode()
        officer.post(reverse("targets:annex_return", args=[submitted.pk]), {"comment": "Xem lại số trẻ."})
        page = principal.get(url).content.decode()
        assert "Xem lại số trẻ." in page and "Lưu và gửi duyệt" in page
        annex = Annex.objects.get(pk=submitted.pk)
        data = {"submit": "1"}
        for line in annex.lines.all():
            data[f"line-{line.pk}-value"] = str(line.value)
            data[f"line-{line.pk}-census_count"] = "30"
            data[f"line-{line.pk}-mobilised_count"] = "29"
        assert principal.post(url, data).status_code == 302
        assert Annex.objects.get(pk=submitted.pk).status == Annex.Status.SUBMITTED
        officer.post(reverse("targets:annex_approve", args=[submitted.pk]))
        assert Annex.objects.get(pk=submitted.pk).status == Annex.Status.APPROVED

    def test_a_bad_value_is_shown_on_its_row(self, cast, client_for, submitted):
        services.annex_return(actor=cast.commune_officer, annex=submitted, comment="Sửa")
        line = submitted.lines.get(indicator="health_insurance")
        response = client_for(cast.principal_a).post(
            reverse("targets:annex", args=[submitted.pk]), {f"line-{line.pk}-value": "abc"}
        )
        assert response.status_code == 400
        assert "Tham gia BHYT" in response.content.decode() and "không phải là số" in response.content.decode()

    def test_the_managing_commune_reopens_a_late_school(self, cast, client_for):
        year = year_2025(cast)
        if days(1) > year.ends_on:
            # The demo's 2025-2026 is over: reopening needs a day inside it, so only the refusal can be shown.
            response = client_for(cast.commune_officer).post(
                reverse("targets:annex_reopen", args=[cast.school_a.pk]),
                {"year": 2025, "deadline": days(3).isoformat()},
            )
            assert response.status_code == 302
            assert not Annex.objects.filter(school=cast.school_a, year=year).exists()
            return
        response = client_for(cast.commune_officer).post(
            reverse("targets:annex_reopen", args=[cast.school_a.pk]), {"year": 2025, "deadline": days(1).isoformat()}
        )
        assert response.status_code == 302
        assert Annex.objects.get(school=cast.school_a, year=year).deadline == days(1)


class TestWorkbooks:
    def test_the_annex_workbook_has_typed_cells_in_the_annex_columns(self, cast, client_for):
        annex = Annex.objects.get(school=cast.school_b, year=year_2025(cast))
        response = client_for(cast.other_commune_officer).get(reverse("targets:annex_export", args=[annex.pk]))
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in sheet[4]]
        assert headers == list(exports.ANNEX_HEADERS)
        first = {h: c for h, c in zip(headers, sheet[5], strict=True)}
        assert first["STT"].value == 1 and first["STT"].data_type == "n"
        assert first["Chỉ tiêu"].value == "Tỷ lệ huy động đúng độ tuổi"
        assert first["Chỉ tiêu đăng ký (%)"].data_type == "n" and first["Chỉ tiêu đăng ký (%)"].value == 0.99
        assert first["Chỉ tiêu đăng ký (%)"].number_format == "0.0%"
        assert first["Số trẻ trong độ tuổi"].data_type == "n"
        assert first["Trạng thái"].value == "Đã duyệt"
        assert not any(str(c.value).startswith("=") for row in sheet.iter_rows() for c in row if c.value)

    def test_the_results_workbook_has_the_counts_and_the_children_short(self, cast, client_for):
        url = reverse("targets:results_export", args=[cast.commune_b.pk]) + "?year=2025"
        response = client_for(cast.other_commune_officer).get(url)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in sheet[4]]
        assert headers[:4] == ["STT", "Đơn vị", "Cấp học", "Chỉ tiêu"] and "Còn thiếu" in headers
        rows = [dict(zip(headers, (c for c in r), strict=True)) for r in sheet.iter_rows(min_row=5)]
        assert rows and all(r["Tử số"].data_type == "n" for r in rows if r["Tử số"].value is not None)
        assert any(r["Đơn vị"].value == "Trường Tiểu học Phù Đổng" for r in rows)


class TestApi:
    def test_registrations_late_first_for_the_commune(self, cast, client_for):
        response = client_for(cast.commune_officer).get("/api/v1/targets/registrations?year=2025")
        assert response.status_code == 200
        rows = response.json()
        statuses = [r["status"] for r in rows]
        assert statuses[0] == "late" and statuses.index("returned") > max(
            i for i, s in enumerate(statuses) if s == "late"
        )
        assert "Trường PTDTBT Tiểu học Trà Nam" in {r["school_name"] for r in rows if r["status"] == "late"}

    def test_targets_are_scoped(self, cast, client_for):
        rows = client_for(cast.teacher_b).get("/api/v1/targets/?year=2025").json()
        assert rows and all(r["unit"] == cast.province.pk or r["school"] == cast.school_b.pk for r in rows)
        assert any(r["school"] == cast.school_b.pk and r["comparison"] == ">=" for r in rows)

    def test_a_partner_officer_follows_no_registration(self, cast, client_for):
        assert client_for(cast.partner).get("/api/v1/targets/registrations").json() == []
