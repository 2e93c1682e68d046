import pytest
from django.core.management import call_command

from apps.core.models import AuditEvent
from apps.schools.models import SchoolYear
from apps.students.census import apply_census, plan_census
from apps.students.models import CensusRecord, CensusStatus, Child

HEADER = "STT;Họ và tên;Ngày sinh;Giới tính;Dân tộc;Thôn;Tình trạng đi học;Trường đang học;Lớp;Ngày điều tra\n"


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def census(*rows) -> bytes:
    return (HEADER + "".join(";".join(str(c) for c in (i + 1, *row)) + "\n" for i, row in enumerate(rows))).encode()


def enrolled_child(cast):
    """A demo child enrolled at school A, living in commune A."""
    return Child.objects.filter(commune=cast.commune_a, enrolments__school=cast.school_a).first()


def run(cast, year, data, actor=None, **kw):
    plan = plan_census(
        actor=actor or cast.commune_officer, filename="dieu-tra.csv", data=data, year=year, commune=cast.commune_a
    )
    result = apply_census(actor=actor or cast.commune_officer, plan=plan, **kw) if not plan.errors else None
    return plan, result


def test_a_census_links_enrolled_children_and_finds_those_in_neither_list(cast, year):
    known = enrolled_child(cast)
    hamlet = known.hamlet.display_name
    birth = known.birth_date.strftime("%d/%m/%Y")
    sex = "Nam" if known.sex == "M" else "Nữ"
    data = census(
        [known.full_name.upper(), birth, sex, "Xơ Đăng", hamlet, "Đang học", "TH Trà Nam", "1A", "15/09/2025"],
        ["Hồ Thị Vắng", "04/04/2014", "Nữ", "Ca Dong", hamlet, "Bỏ học", "", "", "15/09/2025"],
        ["Đinh Văn Nhỏ", "2022", "Nam", "Xơ Đăng", hamlet, "Chưa đi học", "", "", "16/09/2025"],
    )
    plan, result = run(cast, year, data)
    assert plan.errors == [] and result.created_children == 2  # the enrolled child was matched, not created
    assert CensusRecord.objects.filter(year=year, child__in=[r.child_id for r in plan.rows]).count() == 3
    record = CensusRecord.objects.get(child=known, year=year)
    assert record.status == CensusStatus.IN_SCHOOL and record.school == cast.school_a and record.grade == "1"
    out = CensusRecord.objects.get(child__name_folded="ho thi vang")
    assert out.status == CensusStatus.NOT_IN_SCHOOL and out.child.commune == cast.commune_a
    assert not out.child.enrolments.exists()  # found: counted, enrolled nowhere
    assert AuditEvent.objects.filter(action="students.census_import", org_unit=cast.commune_a).count() == 1
    plan, again = run(cast, year, data)
    assert not again.changed  # a second import changes nothing


def test_bad_rows_write_nothing_and_are_named(cast, year):
    before = CensusRecord.objects.count()
    data = census(
        ["Trẻ Quá Tuổi", "2000", "Nam", "Kinh", "Thôn 1", "Không đi học", "", "", ""],
        ["Trẻ Không Thôn", "2015", "Nam", "Kinh", "Thôn 99", "Không đi học", "", "", ""],
        ["Trẻ Lạ", "2015", "Nam", "Kinh", "Thôn 1", "Đi chơi", "", "", ""],
        ["Trẻ Tương Lai", "2015", "Nam", "Kinh", "Thôn 1", "Không đi học", "", "", "01/01/2099"],
    )
    plan, result = run(cast, year, data)
    messages = [str(e) for e in plan.errors]
    assert result is None and CensusRecord.objects.count() == before
    assert any("Dòng 2" in m and "độ tuổi" in m for m in messages)
    assert any("Dòng 3" in m and "Thôn 99" in m for m in messages)
    assert any("Dòng 4" in m and "Đi chơi" in m for m in messages)
    assert any("Dòng 5" in m and "Ngày điều tra" in m and "tương lai" in m for m in messages)


def test_another_communes_officer_may_not_import_it(cast, year):
    from django.http import Http404

    with pytest.raises(Http404):
        run(
            cast,
            year,
            census(["Trẻ A", "2015", "Nam", "Kinh", "Thôn 1", "", "", "", ""]),
            actor=cast.other_commune_officer,
        )


def test_namesake_hamlets_of_a_merged_commune_are_told_apart_by_the_former_commune(cast, year):
    from apps.students.census import plan_census

    data = census(["Trẻ Trùng Thôn", "2016", "Nữ", "Kinh", "Thôn 1", "", "", "", ""])
    plan = plan_census(
        actor=cast.commune_officer, filename="dieu-tra.csv", data=data, year=year, commune=cast.commune_a
    )
    assert plan.errors == [] and plan.rows[0].hamlet is None and plan.rows[0].rule == "address"  # asked, not blank
    (question,) = plan.typed_questions()
    labels = [label for _value, label in question.candidates]
    assert question.key == "hamlet:20950|Thôn 1" and labels == ["Thôn 1 (xã Trà Linh cũ)", "Thôn 1 (xã Trà Nam cũ)"]
    chosen = question.candidates[1][0]
    plan = plan_census(
        actor=cast.commune_officer,
        filename="dieu-tra.csv",
        data=data,
        year=year,
        commune=cast.commune_a,
        decisions={("hamlet", "20950|Thôn 1"): chosen},
    )
    assert plan.typed_questions() == [] and plan.rows[0].hamlet.qualifier == "xã Trà Nam cũ"
    plan, _result = run(
        cast, year, census(["Trẻ Trùng Thôn", "2016", "Nữ", "Kinh", "thôn 01 (Trà Nam cũ)", "", "", "", ""])
    )
    assert plan.errors == [] and plan.rows[0].hamlet.qualifier == "xã Trà Nam cũ"


def test_the_command_imports_and_exits_1_on_errors(cast, year, tmp_path, capsys):
    path = tmp_path / "dieu-tra.csv"
    path.write_bytes(census(["Trẻ Lệnh", "2016", "Nữ", "Kinh", "Thôn 1 (xã Trà Linh cũ)", "Không đi học", "", "", ""]))
    args = [str(path), "--commune", "20950", "--year", "2025-2026", "--user", "xa.tralinh"]
    call_command("import_census", *args)
    assert CensusRecord.objects.get(child__name_folded="tre lenh").status == CensusStatus.NOT_IN_SCHOOL
    path.write_bytes(census(["Trẻ Lỗi", "2016", "Nữ", "Kinh", "Thôn 42", "", "", "", ""]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_census", *args)
    assert exit_info.value.code == 1 and "Thôn 42" in capsys.readouterr().err


def test_a_row_without_its_hamlet_is_an_error_not_a_crash(cast, year):
    plan, result = run(cast, year, census(["Không Thôn", "2016", "Nữ", "Kinh", "", "", "", "", ""]))
    assert result is None and any("thiếu thôn" in str(e) for e in plan.errors)
