"""Every table of the indicator pages as XLSX with typed cells: integers as numbers, rates as numbers under a
percentage format, no data as an empty cell, days as dates; scoped as the pages; a list of children is a logged
personal-data read."""

import datetime
import io

import openpyxl
import pytest

from apps.core.models import AuditEvent
from apps.indicators import snapshots
from apps.indicators.models import SnapshotRow

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    return build(cast.admin)


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def table(sheet):
    """{first cell: row} of the data rows, and the header row."""
    header = [c.value for c in sheet[4]]
    rows = [list(r) for r in sheet.iter_rows(min_row=5)]
    return header, rows


def values(row):
    return [c.value for c in row]


def find(rows, *cells):
    """The row whose first cells' values are `cells`."""
    return next(r for r in rows if tuple(c.value for c in r[: len(cells)]) == cells)


class TestBreakdownExport:
    def test_the_breakdown_the_page_shows_exports_with_typed_cells(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/breakdown.xlsx?year=2025&indicator=grade1_at_6&by=sex"
        sheet = workbook(client_for(cast.admin).get(url))
        header, rows = table(sheet)
        assert header[:6] == ["Chỉ số", "Phân tổ theo", "Nhóm", "Tử số", "Mẫu số", "Tỷ lệ"]
        girls = find(rows, "Trẻ 6 tuổi vào lớp 1", "Giới tính", "Nữ")
        boys = find(rows, "Trẻ 6 tuổi vào lớp 1", "Giới tính", "Nam")
        assert values(girls)[3:6] == [3, 3, 1] and values(boys)[3:6] == [1, 2, 0.5]
        assert girls[3].data_type == "n" and girls[5].data_type == "n"
        assert "%" in girls[5].number_format
        assert "Số liệu tổng hợp" in sheet["A2"].value

    def test_without_a_choice_every_indicator_by_every_breakdown_it_has(self, tp, cast, client_for):
        sheet = workbook(client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/breakdown.xlsx?year=2025"))
        _header, rows = table(sheet)
        kinds = {(r[0].value, r[1].value) for r in rows}
        assert ("Tỷ lệ duy trì sĩ số", "Khối lớp") in kinds and ("Tham gia BHYT", "Hộ nghèo") in kinds
        returned = [r for r in rows if r[0].value == "Học sinh bỏ học trở lại" and r[1].value == "Giới tính"]
        assert returned and all(r[5].value is None for r in returned)  # no dropout at A: empty, never 0 %

    def test_an_unknown_breakdown_is_404(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/breakdown.xlsx?year=2025&indicator=grade1_at_6&by=child__full_name"
        assert client_for(cast.admin).get(url).status_code == 404

    def test_out_of_scope_is_404(self, cast, client_for):
        client = client_for(cast.other_commune_officer)
        assert client.get(f"/indicators/units/{cast.commune_a.pk}/breakdown.xlsx").status_code == 404
        assert client.get(f"/indicators/schools/{cast.school_a.pk}/breakdown.xlsx").status_code == 404
        assert client_for(cast.partner).get(f"/indicators/units/{cast.commune_a.pk}/breakdown.xlsx").status_code == 200


class TestHeadcountExport:
    def test_the_snapshot_live_difference_with_the_count_day_as_a_date(self, tp, cast, client_for):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.get(snapshot__year=tp.year, enrolment__child=tp.children["c10"])
        snapshots.snapshot_amend(actor=cast.admin, row=row, field="status", new="dropped_out", reason="Sai")
        sheet = workbook(client_for(cast.admin).get(f"/indicators/units/{tp.x.pk}/headcounts.xlsx?year=2025"))
        _header, rows = table(sheet)
        a = find(rows, tp.a.name)
        assert a[1].value == datetime.datetime(2025, 9, 22) and a[1].is_date
        assert values(a)[2:5] == [2, 3, 1] and a[2].data_type == "n"
        assert values(find(rows, tp.x.name))[2:5] == [3, 4, 1]  # A and B: 2 + 1 official, 3 + 1 live

    def test_before_any_snapshot_the_official_count_is_empty(self, tp, cast, client_for):
        sheet = workbook(client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/headcounts.xlsx?year=2025"))
        _header, rows = table(sheet)
        [a] = rows
        assert a[2].value is None and a[3].value == 3 and a[4].value is None

    def test_out_of_scope_is_404(self, cast, client_for):
        client = client_for(cast.teacher_b)
        assert client.get(f"/indicators/schools/{cast.school_a.pk}/headcounts.xlsx").status_code == 404
        assert client.get(f"/indicators/units/{cast.commune_a.pk}/headcounts.xlsx").status_code == 404


class TestGradeExport:
    def test_a_schools_counts_by_grade(self, tp, cast, client_for):
        sheet = workbook(client_for(cast.admin).get(f"/indicators/schools/{tp.a.pk}/grades.xlsx?year=2025&period=Y"))
        _header, rows = table(sheet)
        grade1 = find(rows, "Lớp 1")
        assert values(grade1)[1:] == [2, 0, 1, 0, 0, 1]  # c1 and c10 to the end, c2 moved, c1 insured
        assert grade1[1].data_type == "n"

    def test_to_a_day_inside_the_year(self, tp, cast, client_for):
        url = f"/indicators/schools/{tp.a.pk}/grades.xlsx?year=2025&on=2025-10-09"
        sheet = workbook(client_for(cast.admin).get(url))
        assert "09/10/2025" in sheet["A1"].value
        assert values(find(table(sheet)[1], "Lớp 1"))[1] == 3


class TestListsOfChildren:
    def test_the_students_behind_a_number_export_as_a_logged_read(self, tp, cast, client_for):
        url = f"/indicators/schools/{tp.b.pk}/students.xlsx?year=2025&period=Y&measure=dropouts"
        before = AuditEvent.objects.filter(action="indicators.students_read").count()
        sheet = workbook(client_for(cast.admin).get(url))
        _header, rows = table(sheet)
        assert [values(r)[:2] for r in rows] == [["c5", 2018]] and rows[0][1].data_type == "n"
        assert "Có dữ liệu cá nhân" in sheet["A2"].value
        assert AuditEvent.objects.filter(action="indicators.students_read").count() == before + 1
        assert AuditEvent.objects.filter(action="indicators.students_read").latest("pk").kind == AuditEvent.Kind.READ

    def test_a_partner_officer_gets_404_on_the_lists(self, cast, client_for):
        client = client_for(cast.partner)
        assert client.get(f"/indicators/schools/{cast.school_a.pk}/students.xlsx?year=2025").status_code == 404
        assert client.get(f"/indicators/units/{cast.commune_a.pk}/census.xlsx?year=2025").status_code == 404
        assert client_for(cast.teacher_b).get(f"/indicators/schools/{cast.school_a.pk}/students.xlsx").status_code == (
            404
        )

    def test_the_census_children_export_as_a_logged_read_with_the_survey_day(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/census.xlsx?year=2025&age=6&in_school=0"
        sheet = workbook(client_for(cast.admin).get(url))
        [c4] = table(sheet)[1]
        assert values(c4)[:2] == ["c4", 2019] and c4[4].value is None  # not in school: an empty cell
        assert c4[5].value == datetime.datetime(2025, 8, 1) and c4[5].is_date
        event = AuditEvent.objects.filter(action="indicators.census_read").latest("pk")
        assert event.kind == AuditEvent.Kind.READ and event.changes["count"] == 1

    def test_the_snapshot_rows_export_as_a_logged_read(self, tp, cast, client_for):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.get(snapshot__year=tp.year, enrolment__child=tp.children["c10"])
        snapshots.snapshot_amend(actor=cast.admin, row=row, field="grade", new="2", reason="Sai khối")
        url = f"/indicators/snapshots/{tp.year.pk}/schools/{tp.a.pk}/export.xlsx"
        sheet = workbook(client_for(cast.admin).get(url))
        _header, rows = table(sheet)
        assert sorted(r[0].value for r in rows) == ["c1", "c10", "c2"]
        c10 = find(rows, "c10")
        assert c10[2].value == "Lớp 2" and c10[4].value == "Đang học (đầu năm)" and c10[5].value == "Nữ"
        assert c10[7].value == datetime.datetime(2025, 9, 22) and c10[8].value == 1 and c10[8].data_type == "n"
        assert AuditEvent.objects.filter(action="indicators.students_read").latest("pk").changes["snapshot"] == (
            tp.year.pk
        )
        assert client_for(cast.partner).get(url).status_code == 404
        assert client_for(cast.other_commune_officer).get(url).status_code == 404


class TestUniversalExport:
    def test_a_communes_criteria_with_counts_and_children_short(self, tp, cast, client_for):
        sheet = workbook(client_for(cast.admin).get(f"/indicators/universal/{tp.x.pk}/export.xlsx?year=2025"))
        _header, rows = table(sheet)
        grade1 = find(rows, "Phổ cập GDTH mức độ 1", "Chưa đạt", "Trẻ 6 tuổi vào lớp 1")
        assert grade1[3].value == 0.9 and "%" in grade1[3].number_format
        assert values(grade1)[4:8] == [4, 5, 0.8, 1]  # ⌈90 % of 5⌉ = 5: one child short
        assert grade1[7].data_type == "n"
        attested = find(rows, "Phổ cập GDTH mức độ 1", "Chưa đạt", "Đội ngũ, cơ sở vật chất tiểu học (xác nhận)")
        assert attested[4].value is None and attested[6].value is None and attested[8].value == "Chưa đánh giá được"

    def test_the_province_roll_up_of_levels(self, tp, cast, client_for):
        sheet = workbook(client_for(cast.admin).get(f"/indicators/universal/{tp.province.pk}/export.xlsx?year=2025"))
        header, rows = table(sheet)
        assert header == ["Mức phổ cập", "Số xã đạt", "Số xã", "Tỷ lệ xã đạt"]
        preschool = find(rows, "Phổ cập GDMN cho trẻ 5 tuổi")
        assert values(preschool)[1:] == [
            0,
            1,
            0,
        ]  # Xã Một, the one commune with a census and preschool[2].data_type == "n"
        assert "%" in preschool[3].number_format

    def test_out_of_scope_is_404(self, cast, client_for):
        client = client_for(cast.other_commune_officer)
        assert client.get(f"/indicators/universal/{cast.commune_a.pk}/export.xlsx").status_code == 404
        assert client_for(cast.commune_officer).get(
            f"/indicators/universal/{cast.province.pk}/export.xlsx"
        ).status_code == (404)
