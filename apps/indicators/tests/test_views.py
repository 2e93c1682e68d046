import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditEvent
from apps.indicators import snapshots
from apps.indicators.models import SnapshotRow
from apps.schools.models import SchoolYear
from apps.students import services as students
from apps.students.models import Child

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    return build(cast.admin)


def year_2025(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


class TestPages:
    def test_a_commune_officer_sees_the_commune_with_its_schools(self, cast, client_for):
        response = client_for(cast.commune_officer).get(f"/indicators/units/{cast.commune_a.pk}/?year=2025")
        assert response.status_code == 200
        text = response.content.decode()
        assert "Tỷ lệ duy trì sĩ số" in text and cast.school_a.name in text
        assert "Số liệu cập nhật lúc" in text

    def test_the_index_opens_on_the_users_unit_or_school(self, cast, client_for):
        assert client_for(cast.province_officer).get("/indicators/")["Location"] == (
            f"/indicators/units/{cast.province.pk}/"
        )
        assert client_for(cast.teacher_a).get("/indicators/")["Location"] == f"/indicators/schools/{cast.school_a.pk}/"

    def test_an_officer_of_another_commune_gets_404(self, cast, client_for):
        assert client_for(cast.other_commune_officer).get(f"/indicators/units/{cast.commune_a.pk}/").status_code == 404

    def test_the_page_shows_the_two_counts_and_no_data(self, tp, cast, client_for):
        text = client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/?year=2025&level=4").content.decode()
        assert "3/3" in text  # grade 1 at 6 in A's catchment
        assert "Chưa có số liệu" in text  # returned: no dropout at A

    def test_a_breakdown_by_sex(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/?year=2025&indicator=grade1_at_6&by=sex"
        text = client_for(cast.admin).get(url).content.decode()
        assert "3/3" in text and "1/2" in text

    def test_the_page_shows_the_snapshot_and_the_difference(self, tp, cast, client_for):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.get(snapshot__year=tp.year, enrolment__child=tp.children["c10"])
        snapshots.snapshot_amend(actor=cast.admin, row=row, field="status", new="dropped_out", reason="Sai")
        text = client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/?year=2025").content.decode()
        import re

        assert re.search(r"<td[^>]*>2</td><td[^>]*>3</td><td[^>]*>1</td>", text.replace("\n", ""))

    def test_the_query_count_does_not_grow_with_rows(self, tp, cast, client_for):
        client = client_for(cast.admin)
        url = f"/indicators/units/{tp.province.pk}/?year=2025"

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx)

        before = queries()
        for i in range(30):
            child = Child.objects.create(
                full_name=f"n{i}", name_folded=f"n{i}", birth_year=2018, sex="M", commune=tp.x, hamlet=tp.h1
            )
            students.enrolment_create(
                actor=cast.admin, child=child, school=[tp.a, tp.b][i % 2], year=tp.year, grade="2", on=D(2025, 9, 5)
            )
        assert queries() == before


class TestStudentsBehindANumber:
    def test_an_officer_gets_the_list_and_the_read_is_logged(self, tp, cast, client_for):
        url = f"/indicators/schools/{tp.b.pk}/students/?year=2025&period=Y&measure=dropouts"
        response = client_for(cast.admin).get(url)
        assert response.status_code == 200
        assert ">c5<" in response.content.decode()
        event = AuditEvent.objects.filter(action="indicators.students_read").latest("pk")
        assert event.kind == AuditEvent.Kind.READ and event.changes["count"] == 1

    def test_a_partner_officer_gets_aggregates_and_404_on_a_list(self, cast, client_for):
        client = client_for(cast.partner)
        assert client.get(f"/indicators/units/{cast.commune_a.pk}/?year=2025").status_code == 200
        assert client.get(f"/indicators/schools/{cast.school_a.pk}/?year=2025").status_code == 200
        url = f"/indicators/schools/{cast.school_a.pk}/students/?year=2025&period=Y&measure=enrolled"
        assert client.get(url).status_code == 404
        year = year_2025(cast)
        snapshots.snapshot_take(actor=cast.province_officer, year=year, on=D(2025, 9, 22))
        assert client.get(f"/indicators/snapshots/{year.pk}/schools/{cast.school_a.pk}/").status_code == 404

    def test_a_teacher_sees_only_their_class(self, cast, client_for):
        url = f"/indicators/schools/{cast.school_a.pk}/students/?year=2025&period=Y&measure=enrolled"
        teacher = client_for(cast.teacher_a).get(url).content.decode()
        principal = client_for(cast.principal_a).get(url).content.decode()
        assert teacher.count("/students/children/") < principal.count("/students/children/")


class TestExport:
    def test_the_table_exports_with_typed_cells(self, tp, cast, client_for):
        response = client_for(cast.admin).get(f"/indicators/units/{tp.x.pk}/export.xlsx?year=2025&level=4")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        net = next(r for r in rows if r[0] == "Tỷ lệ huy động đúng độ tuổi" and r[1] == tp.x.name)
        assert net[2:4] == (4, 6) and isinstance(net[2], int | float)
        assert abs(net[4] - 4 / 6) < 0.001  # a percentage cell holds its fraction
        returned = next(r for r in rows if r[0] == "Học sinh bỏ học trở lại" and r[1] == tp.a.name)
        assert returned[4] is None  # no data: an empty cell, never 0 %
        assert "Số liệu tổng hợp" in sheet["A2"].value


class TestSnapshotPages:
    def test_a_province_officer_takes_it_and_a_second_is_refused(self, cast, client_for):
        year = year_2025(cast)
        client = client_for(cast.province_officer)
        assert client.post(f"/indicators/snapshots/{year.pk}/take/").status_code == 302
        response = client.post(f"/indicators/snapshots/{year.pk}/take/", follow=True)
        assert "chỉ chốt một lần" in response.content.decode()

    def test_the_managing_unit_amends_on_the_page(self, cast, client_for):
        year = year_2025(cast)
        snapshots.snapshot_take(actor=cast.province_officer, year=year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.filter(snapshot__year=year, school=cast.school_a, grade="1").first()
        client = client_for(cast.commune_officer)
        assert client.get(f"/indicators/snapshots/{year.pk}/schools/{cast.school_a.pk}/").status_code == 200
        response = client.post(
            f"/indicators/snapshots/{year.pk}/amend/?school={cast.school_a.pk}&row={row.pk}&field=grade",
            {"field": "grade", "new": "2", "reason": "Nhập nhầm khối"},
        )
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.grade == "2"
        page = client.get(f"/indicators/snapshots/{year.pk}/schools/{cast.school_a.pk}/").content.decode()
        assert "Nhập nhầm khối" in page


class TestUniversalPages:
    def test_a_commune_page_and_the_province_rollup(self, cast, client_for):
        client = client_for(cast.province_officer)
        assert (
            "Phổ cập GDMN cho trẻ 5 tuổi" in client.get(f"/indicators/universal/{cast.commune_a.pk}/").content.decode()
        )
        assert client.get(f"/indicators/universal/{cast.province.pk}/").status_code == 200

    def test_the_thresholds_page_is_for_administrators(self, cast, client_for):
        assert client_for(cast.admin).get("/indicators/thresholds/").status_code == 200
        assert client_for(cast.province_officer).get("/indicators/thresholds/").status_code == 403


class TestAPI:
    def test_values_carry_both_counts_and_null_for_a_zero_denominator(self, tp, cast, client_for):
        response = client_for(cast.admin).get(
            f"/api/v1/indicators/values?school={tp.a.pk}&year=2025&indicator=returned"
        )
        assert response.status_code == 200
        [value] = response.json()
        assert (value["numerator"], value["denominator"], value["rate"]) == (0, 0, None)

    def test_values_of_a_unit_with_its_drill_down(self, tp, cast, client_for):
        url = f"/api/v1/indicators/values?unit={tp.x.pk}&year=2025&indicator=grade1_at_6&drill=true"
        values = {v["target_name"]: v for v in client_for(cast.admin).get(url).json()}
        assert (values[tp.x.name]["numerator"], values[tp.x.name]["denominator"]) == (4, 5)
        assert values[tp.x.name]["rate"] == "80.000" or float(values[tp.x.name]["rate"]) == 80.0
        assert (values[tp.a.name]["numerator"], values[tp.b.name]["denominator"]) == (3, 2)

    @pytest.mark.parametrize("breakdown", ["school__enrolments__child__full_name", "foo", "circumstances"])
    def test_only_the_known_breakdowns_are_read(self, cast, client_for, breakdown):
        """The breakdown names a count's field: a relation path would group by a child's name, a made-up name fail."""
        client = client_for(cast.commune_officer)
        url = f"/api/v1/indicators/values?unit={cast.commune_a.pk}&year=2025&indicator=health_insurance"
        assert client.get(f"{url}&breakdown=sex").status_code == 200
        assert client.get(f"{url}&breakdown={breakdown}").status_code == 404

    def test_the_engine_refuses_an_unknown_breakdown_whoever_asks(self, cast):
        from apps.indicators.registry import Target
        from apps.indicators.selectors import figures

        with pytest.raises(ValueError):
            figures([Target(unit=cast.commune_a)], year=year_2025(cast), breakdown="school__name")

    def test_a_unit_out_of_scope_is_404(self, cast, client_for):
        response = client_for(cast.other_commune_officer).get(f"/api/v1/indicators/values?unit={cast.commune_a.pk}")
        assert response.status_code == 404

    def test_snapshots_and_universal_results(self, cast, client_for):
        year = year_2025(cast)
        snapshots.snapshot_take(actor=cast.province_officer, year=year, on=D(2025, 9, 22))
        client = client_for(cast.commune_officer)
        assert client.get("/api/v1/indicators/snapshots").json()[0]["year"] == "2025-2026"
        result = client.get(f"/api/v1/indicators/universal?unit={cast.commune_a.pk}&year=2025").json()
        assert result["dbkk"] is True and {lv["level"] for lv in result["levels"]} >= {"preschool_5", "lower_3"}


class TestADayInsideTheYear:
    def test_a_school_is_counted_live_on_any_day(self, tp, cast, client_for):
        from apps.indicators.selectors import school_on_day

        before = {g["grade"]: dict(g["counts"]) for g in school_on_day(tp.a, year=tp.year, day=D(2025, 10, 9))}
        after = {g["grade"]: dict(g["counts"]) for g in school_on_day(tp.a, year=tp.year, day=D(2025, 10, 10))}
        assert (before["1"]["enrolled"], after["1"]["enrolled"]) == (3, 2)  # c2 leaves on 10/10
        text = client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/?year=2025&on=2025-10-10").content.decode()
        assert "10/10/2025" in text

    def test_a_day_that_does_not_exist_shows_the_page_without_it(self, tp, cast, client_for):
        response = client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/?year=2025&on=2025-02-30")
        assert response.status_code == 200 and "30/02/2025" not in response.content.decode()

    def test_an_attested_input_for_a_year_that_is_no_number_is_404(self, cast, client_for):
        response = client_for(cast.admin).post(f"/indicators/universal/{cast.commune_a.pk}/attest/", {"year": "x"})
        assert response.status_code == 404


class TestCensusChildrenBehindANumber:
    def test_an_officer_lists_the_children_no_school_lists_and_the_read_is_logged(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/census/?year=2025&age=6&in_school=0"
        text = client_for(cast.admin).get(url).content.decode()
        assert ">c4<" in text and ">c1<" not in text  # c4: not in school; c1 enrolled
        event = AuditEvent.objects.filter(action="indicators.census_read").latest("pk")
        assert event.kind == AuditEvent.Kind.READ and event.changes["count"] == 1  # c3 is schooled in another province

    def test_a_partner_officer_and_a_principal_get_404(self, cast, client_for):
        url = f"/indicators/units/{cast.commune_a.pk}/census/?year=2025&age=6"
        assert client_for(cast.partner).get(url).status_code == 404
        assert client_for(cast.principal_a).get(url).status_code == 404
        assert client_for(cast.commune_officer).get(url).status_code == 200
