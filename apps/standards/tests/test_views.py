import io

import pytest
from django.urls import reverse

from apps.standards import selectors, services
from apps.standards.models import CriteriaSet, Rating
from apps.standards.tests.conftest import indicators


class TestSchoolAndCyclePages:
    def test_the_school_page_opens_for_its_staff_and_officers_and_404_elsewhere(self, cast, client_for, cycle):
        url = reverse("standards:school", args=[cast.school_a.pk])
        for member in (cast.principal_a, cast.teacher_a, cast.commune_officer, cast.province_officer, cast.admin):
            assert client_for(member).get(url).status_code == 200
        assert client_for(cast.teacher_b).get(url).status_code == 404
        assert client_for(cast.other_commune_officer).get(url).status_code == 404
        assert client_for(cast.partner).get(url).status_code == 403

    def test_the_cycle_page_shows_the_level_and_answers_404_out_of_scope(self, cast, client_for, cycle):
        url = reverse("standards:cycle", args=[cycle.pk])
        page = client_for(cast.principal_a).get(url).content.decode()
        assert 'id="school-level">Mức 0 · chưa đạt chuẩn quốc gia' in page
        assert client_for(cast.teacher_b).get(url).status_code == 404

    def test_an_unverified_set_shows_not_verified(self, cast, client_for):
        cycle = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2030)
        page = client_for(cast.principal_a).get(reverse("standards:cycle", args=[cycle.pk])).content.decode()
        assert 'id="school-level">chưa xác minh' in page

    def test_rating_by_htmx_answers_the_result_fragment(self, cast, client_for, cycle, test_set):
        indicator = indicators(test_set, upto=1)[0]
        response = client_for(cast.principal_a).post(
            reverse("standards:rate", args=[cycle.pk]), {"indicator": indicator.pk, "met": "1"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="result">') and "<html" not in body
        assert Rating.objects.get(cycle=cycle, indicator=indicator).met

    def test_a_teacher_not_assigned_cannot_rate(self, cast, client_for, cycle, test_set):
        indicator = indicators(test_set, upto=1)[0]
        response = client_for(cast.teacher_a).post(
            reverse("standards:rate", args=[cycle.pk]), {"indicator": indicator.pk, "met": "1"}
        )
        assert response.status_code == 403
        assert not Rating.objects.filter(cycle=cycle).exists()

    def test_the_report_button_answers_the_word_file(self, cast, client_for, cycle):
        client = client_for(cast.principal_a)
        response = client.post(reverse("standards:report", args=[cycle.pk]))
        assert response.status_code == 302
        download = client.get(response["Location"])
        assert download.status_code == 200
        content = b"".join(download.streaming_content) if download.streaming else download.content
        assert content[:2] == b"PK"

    def test_the_assessment_page_saves_for_the_assignee_only(self, cast, client_for, cycle):
        member = services.member_add(actor=cast.principal_a, cycle=cycle, name="Cô giáo A", user=cast.teacher_a)
        assessment = cycle.assessments.order_by("pk").first()
        services.criterion_assign(actor=cast.principal_a, cycle=cycle, criterion=assessment.criterion, member=member)
        url = reverse("standards:assessment", args=[assessment.pk])
        data = {"current_state": "Đủ phòng học", "strengths": "", "weaknesses": ""}
        assert client_for(cast.teacher_a).post(url, data).status_code == 302
        assessment.refresh_from_db()
        assert assessment.current_state == "Đủ phòng học"
        other = cycle.assessments.exclude(pk=assessment.pk).first()
        assert (
            client_for(cast.teacher_a).post(reverse("standards:assessment", args=[other.pk]), data).status_code == 403
        )


class TestSetPages:
    def test_the_set_page_flags_missing_texts_and_offers_editing_to_the_administrator_only(self, cast, client_for):
        shipped = CriteriaSet.objects.get(code="tt18-2018")
        url = reverse("standards:set", args=[shipped.pk])
        admin_page = client_for(cast.admin).get(url).content.decode()
        assert "chưa có nội dung" in admin_page and "chưa xác minh" in admin_page
        assert reverse("standards:set_text", args=[shipped.pk]) in admin_page
        officer_page = client_for(cast.commune_officer).get(url).content.decode()
        assert reverse("standards:set_text", args=[shipped.pk]) not in officer_page

    def test_verifying_from_the_page(self, cast, client_for):
        from apps.standards.tests.conftest import build_set

        draft = build_set("test-draft", verified=False)
        client_for(cast.admin).post(reverse("standards:set_verify", args=[draft.pk]))
        draft.refresh_from_db()
        assert draft.verified
        assert (
            client_for(cast.province_officer)
            .post(reverse("standards:set_verify", args=[draft.pk]), {"verified": "0"})
            .status_code
            == 403
        )
        draft.refresh_from_db()
        assert draft.verified


class TestExports:
    def test_the_status_workbook_lists_the_schools_worst_first(self, cast, client_for, cycle):
        from openpyxl import load_workbook

        services.target_set(actor=cast.principal_a, school=cast.school_a, level=2, year=2033)
        response = client_for(cast.commune_officer).get(reverse("standards:status_export"))
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        header = next(i for i, r in enumerate(rows) if r and "Trường" in r)
        first = rows[header + 1]
        assert first[1] == cast.school_a.name
        assert first[5] == selectors.gap_of(cast.school_a).count


class TestApi:
    def test_the_gap_api_follows_the_school_s_scope(self, cast, client_for, cycle):
        services.target_set(actor=cast.principal_a, school=cast.school_a, level=1, year=2033)
        url = f"/api/v1/standards/schools/{cast.school_a.pk}/gap"
        data = client_for(cast.principal_a).get(url).json()
        assert data["needed_assessment_level"] == 2 and data["verified"] is True
        assert len(data["lines"]) == selectors.gap_of(cast.school_a).count
        assert client_for(cast.teacher_b).get(url).status_code == 404

    @pytest.mark.parametrize("path", ["sets", "cycles", "roadmap", "recognitions"])
    def test_the_lists_answer(self, cast, client_for, cycle, path):
        assert client_for(cast.teacher_a).get(f"/api/v1/standards/{path}").status_code == 200
