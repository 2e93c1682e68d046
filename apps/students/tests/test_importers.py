import datetime
import io
import unicodedata

import pytest
import xlsxwriter
from django.core.management import call_command

from apps.core.models import AuditEvent
from apps.schools.models import SchoolYear
from apps.students.importers import apply_roster, plan_roster
from apps.students.models import Child, Enrolment, EnrolmentEvent

HEADER = [
    "STT",
    "Mã học sinh",
    "Họ và tên (*)",
    "Số định danh cá nhân",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Lớp",
    "Xã",
    "Huyện",
    "Tỉnh",
    "Hộ nghèo",
    "Trạng thái",
    "Họ tên cha",
    "Họ tên mẹ",
]


def nfd(text):
    return unicodedata.normalize("NFD", text)


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with a circumflex, breve or horn precomposed, tones as marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258") + decomposed[-1].encode("cp1258")
    return out


def roster(rows, *, date_cells=False) -> bytes:
    """An export as schools send it: title rows, a merged title, a two-row header with a merged group heading,
    the data, then a signature."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range(0, 0, 0, 6, "PHÒNG GD&ĐT / TRƯỜNG PTDTBT TIỂU HỌC TRÀ NAM")
    sheet.write(1, 0, "DANH SÁCH HỌC SINH NĂM HỌC 2025 - 2026")
    sheet.merge_range(3, 13, 3, 14, "Thông tin cha mẹ")
    sheet.write_row(4, 0, HEADER)
    for i, row in enumerate(rows):
        values = [i + 1, *row]
        for col, value in enumerate(values):
            if date_cells and col == 4 and isinstance(value, datetime.date):
                sheet.write_datetime(5 + i, col, datetime.datetime.combine(value, datetime.time()), date_format)
            else:
                sheet.write(5 + i, col, value)
    sheet.write(7 + len(rows), 10, "Người lập biểu")
    sheet.write(8 + len(rows), 10, "HIỆU TRƯỞNG")
    book.close()
    return buffer.getvalue()


ROWS = [
    [
        "TN0101",
        nfd("Hồ  Văn Trọng"),
        48218001111,
        "05/09/2018",
        "Nam",
        "Ca Dong",
        "2B",
        "Trà Nam",
        "Nam Trà My",
        "Quảng Nam",
        "x",
        "Đang học",
        "Hồ Văn Tư",
        "Đinh Thị Năm",
    ],
    [
        "TN0102",
        "Đinh Thị Hạnh",
        "",
        datetime.date(2017, 3, 12),
        "nữ",
        "Xơ Đăng",
        "3B",
        "Trà Linh",
        "",
        "Đà Nẵng",
        "",
        "Đang học",
        "",
        "Đinh Thị Bảy",
    ],
    ["TN0103", "Nguyễn Văn Long", "", "2018", "Nam", "Kinh", "2B", "", "", "", "", "", "", ""],
]


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def run(cast, year, data, filename="ds.xlsx", actor=None, **kw):
    plan = plan_roster(
        actor=actor or cast.commune_officer,
        filename=filename,
        data=data,
        year=year,
        school=kw.pop("school", cast.school_a),
    )
    return plan, (apply_roster(actor=actor or cast.commune_officer, plan=plan, **kw) if not plan.errors else None)


class TestAMessyExport:
    def test_it_reads_title_rows_merged_headers_text_dates_nfd_names_and_old_addresses(self, cast, year):
        plan, result = run(cast, year, roster(ROWS, date_cells=True))
        assert plan.errors == [] and result.created_children == 3 and result.created_enrolments == 3
        trong = Child.objects.get(name_folded="ho van trong")
        assert trong.full_name == "Hồ Văn Trọng" and unicodedata.is_normalized("NFC", trong.full_name)
        assert trong.birth_date == datetime.date(2018, 9, 5) and trong.ethnicity == "14" and trong.poor
        assert trong.personal_id == "048218001111"  # the lost leading zero is back
        assert trong.commune.code == "20950" and trong.address_as_written == "Trà Nam, Nam Trà My, Quảng Nam"
        assert {g.full_name for g in trong.guardians.all()} == {"Hồ Văn Tư", "Đinh Thị Năm"}
        assert Child.objects.get(name_folded="dinh thi hanh").birth_date == datetime.date(2017, 3, 12)
        long = Child.objects.get(name_folded="nguyen van long")
        assert long.birth_date is None and long.birth_year == 2018 and long.commune == cast.school_a.location
        enrolment = Enrolment.objects.get(child=trong)
        assert enrolment.class_group.name == "2B" and enrolment.grade == "2" and enrolment.student_code == "TN0101"
        assert AuditEvent.objects.filter(action="students.roster_import").count() == 1

    def test_importing_the_same_file_twice_changes_nothing(self, cast, year):
        data = roster(ROWS)
        run(cast, year, data)
        events, audits = EnrolmentEvent.objects.count(), AuditEvent.objects.count()
        plan, result = run(cast, year, data)
        assert not result.changed and all(r.child_id is not None for r in plan.rows)
        assert (EnrolmentEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)

    def test_a_newer_roster_turns_status_changes_into_events_and_lists_the_missing(self, cast, year):
        run(cast, year, roster(ROWS))
        newer = [ROWS[0][:11] + ["Thôi học", "", ""], ROWS[1]]
        plan, result = run(cast, year, roster(newer))
        assert result.events == 1
        trong = Enrolment.objects.with_status().get(child__name_folded="ho van trong")
        assert trong.status == "dropped_out"
        assert [e.student_code for e in plan.missing if e.student_code.startswith("TN")] == ["TN0103"]
        assert Enrolment.objects.with_status().get(student_code="TN0103").status == "enrolled"  # not deleted

    def test_a_child_transferring_between_two_schools_stays_one_child(self, cast, year):
        run(cast, year, roster(ROWS[:1]))
        other = cast.school_a.__class__.objects.get(moet_code="48095003")  # TH&THCS Trà Linh, same commune
        plan, result = run(cast, year, roster([["TL0009", *ROWS[0][1:]]]), school=other)
        assert result is None and "đang học tại trường khác" in str(plan.errors[0])  # school A must let go first
        run(cast, year, roster([ROWS[0][:11] + ["Chuyển đi", "", ""]]))
        plan, result = run(cast, year, roster([["TL0009", *ROWS[0][1:]]]), school=other)
        assert plan.errors == [] and result.created_enrolments == 1
        assert Child.objects.filter(personal_id="048218001111").count() == 1
        enrolments = Enrolment.objects.filter(child__personal_id="048218001111")
        assert enrolments.count() == 2 and list(enrolments.filter(ongoing=True).values_list("school", flat=True)) == [
            other.pk
        ]


def test_every_household_circumstance_the_pages_know_is_read_from_a_file(cast, year):
    """One list of circumstances (`rules.CIRCUMSTANCES`): the student filter offers it and a file may mark each."""
    from apps.students.forms import CIRCUMSTANCES as OFFERED
    from apps.students.importers import FLAGS
    from apps.students.rules import CIRCUMSTANCES

    assert [name for name, _label in OFFERED] == list(CIRCUMSTANCES) == list(FLAGS)
    data = "STT,Họ và tên,Năm sinh,Giới tính,Lớp,Hộ cận nghèo,Vùng ĐBKK\n1,Hồ Văn Xa,2018,Nam,2B,,x\n".encode()
    plan, result = run(cast, year, data)
    assert plan.errors == [] and result.created_children == 1
    child = Child.objects.get(name_folded="ho van xa")
    assert child.remote_area and not child.near_poor


class TestNoLeaksThroughMatching:
    """Matching must not tell an uploader about children outside their reach, nor let a file claim or change one."""

    def other_commune_child(self, cast, year, **ids):
        from apps.students.services import child_create, enrolment_create

        child = child_create(
            actor=cast.admin,
            full_name="Lê Thị Xa Lạ",
            birth_date=datetime.date(2017, 4, 4),
            birth_year=2017,
            sex="F",
            commune=cast.commune_b,
            **ids,
        )
        enrolment_create(actor=cast.admin, child=child, school=cast.school_b, year=year, grade="3", on=year.opening_day)
        return child

    def preview(self, cast, year, rows, actor):
        from apps.imports.plan import summary
        from apps.students.imports import RosterImporter

        plan = plan_roster(actor=actor, filename="ds.xlsx", data=roster(rows), year=year, school=cast.school_a)
        return plan, {**summary(plan), **RosterImporter().summarise(plan)}

    def test_a_name_and_birth_date_of_another_commune_learn_nothing(self, cast, year):
        self.other_commune_child(cast, year)
        known = [
            "TN0301",
            "Lê Thị Xa Lạ",
            "",
            "04/04/2017",
            "Nữ",
            "Kinh",
            "3B",
            "Hải Châu",
            "",
            "Đà Nẵng",
            "",
            "",
            "",
            "",
        ]
        unknown = [*known[:1], "Lê Thị Không Có", *known[2:]]
        plan_known, seen_known = self.preview(cast, year, [known], cast.principal_a)
        plan_unknown, seen_unknown = self.preview(cast, year, [unknown], cast.principal_a)
        assert plan_known.rows[0].child_id is None and plan_known.rows[0].rule == ""
        strip = lambda s: {**s, "first_rows": [{**r, "name": ""} for r in s["first_rows"]], "first_cells": []}  # noqa: E731
        assert strip(seen_known) == strip(seen_unknown)

    def test_a_name_and_birth_date_of_another_commune_write_nothing_to_that_child(self, cast, year):
        """Confirmed and written, the row is a new child of the uploader's school: the child of the other commune
        keeps its one enrolment, its fields and its audit trail, and no event is recorded on it."""
        other = self.other_commune_child(cast, year)
        before = Child.objects.filter(pk=other.pk).values().get()
        events = EnrolmentEvent.objects.filter(enrolment__child=other).count()
        audits = AuditEvent.objects.filter(object_type="students.child", object_id=str(other.pk)).count()
        row = ["TN0305", "Lê Thị Xa Lạ", "", "04/04/2017", "Nữ", "Kinh", "3B", "Hải Châu", "", "Đà Nẵng"]
        plan, result = run(cast, year, roster([row + [""] * 4]), actor=cast.principal_a)
        assert plan.errors == [] and result.created_enrolments == 1 and result.updated == 0
        assert Child.objects.filter(pk=other.pk).values().get() == before
        assert list(Enrolment.objects.filter(child=other).values_list("school", flat=True)) == [cast.school_b.pk]
        assert EnrolmentEvent.objects.filter(enrolment__child=other).count() == events
        assert AuditEvent.objects.filter(object_type="students.child", object_id=str(other.pk)).count() == audits
        written = Enrolment.objects.get(school=cast.school_a, year=year, child__full_name="Lê Thị Xa Lạ")
        assert written.child_id != other.pk

    def test_a_birth_year_alone_lists_no_child_of_another_school(self, cast, year):
        from apps.students.services import child_create

        for _n in range(2):
            child_create(actor=cast.admin, full_name="Hồ Văn Song", birth_year=2018, sex="M", commune=cast.commune_a)
        row = ["TN0302", "Hồ Văn Song", "", "2018", "Nam", "Kinh", "2B", "", "", "", "", "", "", ""]
        plan, seen = self.preview(cast, year, [row], cast.principal_a)
        assert seen["questions"] == [] and plan.rows[0].candidates == []
        plan, seen = self.preview(cast, year, [row], cast.commune_officer)  # the commune sees its children
        assert len(seen["questions"]) == 1 and len(seen["questions"][0]["candidates"]) == 2

    def test_a_child_ongoing_at_another_school_is_refused_and_left_alone(self, cast, year):
        child = self.other_commune_child(cast, year, personal_id="048317009999")
        row = ["TN0303", "Lê Thị Xa Lạ", 48317009999, "04/04/2017", "Nữ", "Kinh", "3B", "", "", "", "", "", "", ""]
        plan, result = run(cast, year, roster([row]), actor=cast.principal_a)
        assert result is None and "đang học tại trường khác trong năm học này" in str(plan.errors[0])
        assert "Phù Đổng" not in str(plan.errors[0])
        assert Enrolment.objects.filter(child=child).count() == 1

    def test_a_strong_match_outside_the_scope_is_enrolled_but_never_updated(self, cast, year):
        from apps.students.services import child_create

        child = child_create(
            actor=cast.admin,
            full_name="Lê Văn Chuyển",
            birth_year=2017,
            sex="M",
            commune=cast.commune_b,
            personal_id="048217008888",
        )
        row = ["TN0304", "Lê Văn Chuyển", 48217008888, "09/09/2017", "Nam", "Kinh", "3B", "", "", "", "", "", "", ""]
        plan, result = run(cast, year, roster([row]), actor=cast.principal_a)
        assert plan.errors == [] and result.created_enrolments == 1 and result.updated == 0
        child.refresh_from_db()
        assert child.birth_date is None and child.commune == cast.commune_b  # nothing written onto that child
        assert Enrolment.objects.get(child=child).school == cast.school_a

    def test_the_database_refuses_a_second_ongoing_enrolment(self, cast, year):
        from django.db import IntegrityError, transaction

        child = self.other_commune_child(cast, year)
        with pytest.raises(IntegrityError), transaction.atomic():
            Enrolment.objects.create(
                child=child, school=cast.school_a, year=year, grade="3", start_year=year.start_year, ongoing=True
            )

    def test_the_services_refuse_a_second_ongoing_enrolment_and_a_return_that_would_make_one(self, cast, year):
        from django.core.exceptions import ValidationError

        from apps.students.services import enrolment_create, enrolment_record_event

        child = self.other_commune_child(cast, year)
        with pytest.raises(ValidationError, match="đang học tại trường khác"):
            enrolment_create(
                actor=cast.admin, child=child, school=cast.school_a, year=year, grade="3", on=year.opening_day
            )
        first = Enrolment.objects.get(child=child)
        enrolment_record_event(actor=cast.admin, enrolment=first, kind="transferred_out", on=year.opening_day)
        enrolment_create(actor=cast.admin, child=child, school=cast.school_a, year=year, grade="3", on=year.opening_day)
        with pytest.raises(ValidationError, match="đang học tại trường khác"):
            enrolment_record_event(actor=cast.admin, enrolment=first, kind="transferred_in", on=year.opening_day)


class TestABadFile:
    def test_nothing_is_written_and_every_bad_cell_is_named(self, cast, year):
        before = Child.objects.count()
        bad = [
            ["TN0201", "Trẻ Tương Lai", "", "05/09/2030", "Nam", "Kinh", "2B", "", "", "", "", "", "", ""],
            ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""],
            ["TN0203", "Trẻ Cấp Hai", "", "01/01/2012", "Nam", "Kinh", "8A", "", "", "", "", "", "", ""],
            ["TN0201", "Trẻ Trùng Mã", "", "01/01/2018", "Nữ", "Kinh", "2B", "", "", "", "", "", "", ""],
            ["TN0205", "Trẻ Sai Số", "048219001111", "01/01/2018", "Nam", "Kinh", "2B", "", "", "", "", "", "", ""],
        ]
        plan, result = run(cast, year, roster(bad))
        messages = [str(e) for e in plan.errors]
        assert result is None and Child.objects.count() == before
        assert any("Dòng 6" in m and "Ngày sinh" in m and "tương lai" in m for m in messages)
        assert any("Dòng 7" in m and "Sao Hỏa" in m for m in messages)
        assert any("Dòng 8" in m and "không dạy khối này" in m for m in messages)
        assert any("Dòng 9" in m and "trùng với dòng 6" in m for m in messages)
        assert any("Dòng 10" in m and "năm sinh 2019" in m and "2018" in m for m in messages)

    def test_only_the_valid_rows_when_asked(self, cast, year):
        bad = [ROWS[0], ["TN0202", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B", "", "", "", "", "", "", ""]]
        plan = plan_roster(
            actor=cast.commune_officer, filename="ds.xlsx", data=roster(bad), year=year, school=cast.school_a
        )
        result = apply_roster(actor=cast.commune_officer, plan=plan, only_valid=True)
        assert result.created_children == 1


class TestCommand:
    def test_errors_exit_1_and_write_nothing(self, cast, year, tmp_path, capsys):
        path = tmp_path / "ds.xlsx"
        path.write_bytes(roster([["TN0301", "Trẻ Lạ", "", "01/01/2018", "Nam", "Sao Hỏa", "2B"] + [""] * 7]))
        with pytest.raises(SystemExit) as exit_info:
            call_command(
                "import_students",
                str(path),
                "--year",
                "2025-2026",
                "--school",
                cast.school_a.moet_code,
                "--user",
                "xa.tralinh",
            )
        assert exit_info.value.code == 1 and "Sao Hỏa" in capsys.readouterr().err

    def test_a_good_file_imports_and_a_dry_run_writes_nothing(self, cast, year, tmp_path, capsys):
        path = tmp_path / "ds.xlsx"
        path.write_bytes(roster(ROWS))
        call_command(
            "import_students",
            str(path),
            "--year",
            "2025-2026",
            "--school",
            cast.school_a.moet_code,
            "--user",
            "xa.tralinh",
            "--dry-run",
        )
        assert not Child.objects.filter(name_folded="ho van trong").exists()
        call_command(
            "import_students",
            str(path),
            "--year",
            "2025-2026",
            "--school",
            cast.school_a.moet_code,
            "--user",
            "xa.tralinh",
        )
        assert Child.objects.filter(name_folded="ho van trong").exists()
        assert "Đã thêm 3 trẻ" in capsys.readouterr().out


def test_a_name_split_in_two_columns_and_a_female_mark(cast, year):
    data = "STT;Họ và đệm;Tên;Năm sinh;Nữ;Lớp\n1;Bùi Thị;Mai;2019;x;1A\n2;Bùi Văn;Nam;2019;;1A\n".encode()
    plan, result = run(cast, year, data, filename="ds.csv")
    assert plan.errors == [] and result.created_children == 2
    assert Child.objects.get(name_folded="bui thi mai").sex == "F"
    assert Child.objects.get(name_folded="bui van nam").sex == "M"


def test_a_sheet_without_a_name_column_says_so(cast, year):
    plan, _result = run(cast, year, b"STT,Ngay sinh\n1,2019\n", filename="ds.csv")
    assert plan.errors and "“Họ và tên”" in plan.errors[0]


class TestDecisions:
    def test_a_doubtful_match_stops_the_command_until_decided(self, cast, year, tmp_path, capsys):
        from apps.students.services import child_create

        for _ in range(2):
            child_create(
                actor=cast.commune_officer, full_name="Hồ Văn Trùng", birth_year=2018, sex="M", commune=cast.commune_a
            )
        path = tmp_path / "ds.xlsx"
        path.write_bytes(roster([["TN0401", "Hồ Văn Trùng", "", "2018", "Nam", "", "2B"] + [""] * 7]))
        draft = tmp_path / "quyet-dinh.csv"
        args = [str(path), "--year", "2025-2026", "--school", cast.school_a.moet_code, "--user", "xa.tralinh"]
        with pytest.raises(SystemExit) as exit_info:
            call_command("import_students", *args, "--write-decisions", str(draft))
        assert exit_info.value.code == 3 and "trùng với" in capsys.readouterr().out
        assert not Enrolment.objects.filter(student_code="TN0401").exists()  # nothing written
        lines = draft.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "kind,row,value,candidates,choice" and lines[1].startswith("match,6,Hồ Văn Trùng,")
        draft.write_text(lines[0] + "\n" + lines[1] + "new\n", encoding="utf-8")
        call_command("import_students", *args, "--decisions", str(draft))
        assert Child.objects.filter(name_folded="ho van trung").count() == 3
        assert Enrolment.objects.filter(student_code="TN0401").exists()

    def test_a_split_commune_is_asked_once_and_chosen(self, cast, year):
        from apps.students.importers import decisions_csv, read_decisions

        rows = [
            [
                f"TN05{i}",
                f"Trẻ Hòa Liên {i}",
                "",
                "2018",
                "Nam",
                "",
                "2B",
                "Hòa Liên",
                "Hòa Vang",
                "Đà Nẵng",
                "",
                "",
                "",
                "",
            ]
            for i in range(3)
        ]
        data = roster(rows)
        plan = plan_roster(actor=cast.admin, filename="ds.xlsx", data=data, year=year, school=cast.school_a)
        assert list(plan.address_questions) == ["Hòa Liên, Hòa Vang, Đà Nẵng"] and len(plan.questions) == 3
        draft = decisions_csv(plan).replace(",\r\n", ",20197\r\n", 1)  # the choice column of the address row
        plan = plan_roster(
            actor=cast.admin,
            filename="ds.xlsx",
            data=data,
            year=year,
            school=cast.school_a,
            decisions=read_decisions(draft),
        )
        assert plan.questions == [] and {r.commune.code for r in plan.rows} == {"20197"}


def test_open_questions_write_nothing_unless_only_valid_rows_are_asked_for(cast, year):
    from django.core.exceptions import ValidationError

    rows = [
        ROWS[2],
        ["TN0601", "Trẻ Hòa Liên", "", "2018", "Nam", "", "2B", "Hòa Liên", "Hòa Vang", "Đà Nẵng", "", "", "", ""],
    ]
    plan = plan_roster(actor=cast.admin, filename="ds.xlsx", data=roster(rows), year=year, school=cast.school_a)
    with pytest.raises(ValidationError, match="cần quyết định"):
        apply_roster(actor=cast.admin, plan=plan)
    assert not Child.objects.filter(name_folded="nguyen van long").exists()
    result = apply_roster(actor=cast.admin, plan=plan, only_valid=True)
    assert result.created_children == 1 and result.skipped == 1


class TestLayouts:
    def test_birth_in_three_columns_and_an_ethnic_minority_girl_column(self, cast, year):
        data = (
            "STT,Họ và tên,Ngày,Tháng,Năm,Giới tính,Dân tộc,Nữ DT,Lớp\n"
            "1,Hồ Thị Ba Cột,7,3,2018,Nữ,Xơ Đăng,x,2B\n"
            "2,Hồ Văn Sai Dấu,8,4,2018,Nam,Xơ Đăng,x,2B\n"
        ).encode()
        plan, result = run(cast, year, data, filename="ds.csv")
        assert result is None and [e.row for e in plan.errors] == [3]  # a boy marked "Nữ DT"
        assert "Nữ DT" in str(plan.errors[0])
        plan, result = run(cast, year, data.rsplit(b"\n2,", 1)[0] + b"\n", filename="ds.csv")
        child = Child.objects.get(name_folded="ho thi ba cot")
        assert child.birth_date == datetime.date(2018, 3, 7) and child.sex == "F" and child.ethnicity == "14"

    def test_a_windows_1258_csv(self, cast, year):
        text = "STT;Họ và tên;Năm sinh;Giới tính;Lớp\n1;Trần Thị Ánh Tuyết;2018;Nữ;2B\n"
        plan, result = run(cast, year, to_cp1258(text), filename="ds.csv")
        assert plan.errors == [] and Child.objects.filter(name_folded="tran thi anh tuyet").exists()

    def test_the_user_can_change_the_column_mapping(self, cast, year):
        # "Mã học sinh" is the school's code unless the user maps it to the sector database's learner ID.
        data = "STT,Mã học sinh,Họ và tên,Năm sinh,Giới tính,Lớp\n1,4800012345,Lê Văn Định Danh,2018,Nam,2B\n"
        plan = plan_roster(
            actor=cast.commune_officer,
            filename="ds.csv",
            data=data.encode(),
            year=year,
            school=cast.school_a,
            columns={"learner_id": 1, "student_code": None},
        )
        assert plan.errors == [] and plan.mapping["learner_id"] == "Mã học sinh" and "student_code" not in plan.mapping
        apply_roster(actor=cast.commune_officer, plan=plan)
        assert Child.objects.get(name_folded="le van dinh danh").learner_id == "4800012345"

    def test_a_province_file_with_a_school_column_needs_rights_on_every_school(self, cast, year):
        header = "STT,Mã trường,Mã học sinh,Họ và tên,Năm sinh,Giới tính,Lớp\n"
        rows = (
            f"1,{cast.school_a.moet_code},P1,Phan Văn Một,2018,Nam,2B\n"
            f"2,{cast.school_b.moet_code},P2,Phan Văn Hai,2017,Nam,3A\n"
        )
        plan = plan_roster(actor=cast.commune_officer, filename="tinh.csv", data=(header + rows).encode(), year=year)
        assert [e.row for e in plan.errors] == [3] and "không quản lý" in str(plan.errors[0])
        plan = plan_roster(actor=cast.admin, filename="tinh.csv", data=(header + rows).encode(), year=year)
        result = apply_roster(actor=cast.admin, plan=plan)
        assert result.created_enrolments == 2
        assert Enrolment.objects.get(student_code="P2").school == cast.school_b

    def test_a_child_listed_twice_at_two_schools_of_one_file_is_one_child(self, cast, year):
        header = "STT,Mã trường,Mã học sinh,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Lớp,Trạng thái\n"
        pid = "048218009999"
        rows = (
            f"1,{cast.school_a.moet_code},D1,Lê Văn Đôi,01/02/2018,Nam,{pid},2B,Chuyển đi\n"
            f"2,{cast.school_b.moet_code},D2,Lê Văn Đôi,01/02/2018,Nam,{pid},2A,Chuyển đến\n"
        )
        plan = plan_roster(actor=cast.admin, filename="tinh.csv", data=(header + rows).encode(), year=year)
        apply_roster(actor=cast.admin, plan=plan)
        child = Child.objects.get(personal_id=pid)
        statuses = {e.school_id: e.status for e in Enrolment.objects.with_status().filter(child=child)}
        assert statuses == {cast.school_a.pk: "transferred_out", cast.school_b.pk: "transferred_in"}

    def test_a_status_that_cannot_follow_is_named(self, cast, year):
        run(cast, year, roster([ROWS[2][:11] + ["Hoàn thành", "", ""]]))
        plan, result = run(cast, year, roster([ROWS[2][:11] + ["Thôi học", "", ""]]))
        assert result is None and "Không thể ghi “Bỏ học” sau “Hoàn thành cấp học”" in str(plan.errors[0])

    def test_a_dropout_listed_again_as_studying_has_returned(self, cast, year):
        run(cast, year, roster([ROWS[2][:11] + ["Thôi học", "", ""]]))
        run(cast, year, roster([ROWS[2][:11] + ["Đang học", "", ""]]))
        enrolment = Enrolment.objects.with_status().get(student_code="TN0103")
        assert [e.kind for e in enrolment.events.order_by("on", "pk")] == ["enrolled", "dropped_out", "returned"]

    def test_more_rows_than_the_limit(self, cast, year, settings):
        settings.IMPORT_MAX_ROWS = 2
        plan, result = run(cast, year, roster(ROWS))
        assert result is None and "quá giới hạn 2 dòng" in plan.errors[0]


def test_a_roster_typed_in_the_old_tcvn3_fonts_is_converted_and_said_so(cast, year):
    from apps.core.legacy_text import TCVN3_TO_UNICODE

    to_tcvn3 = {unicode: legacy for legacy, unicode in TCVN3_TO_UNICODE.items()}

    def legacy(text):
        return "".join(to_tcvn3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))

    rows = [
        ["TN0701", legacy("Hồ Thị Ánh Tuyết"), "", "05/09/2018", legacy("Nữ"), legacy("Xơ Đăng"), "2B"] + [""] * 7,
        ["TN0702", legacy("Nguyễn Văn Đức Toản"), "", "06/10/2018", "Nam", "Kinh", "2B"] + [""] * 7,
        ["TN0703", legacy("Trần Thị Hương"), "", "07/11/2018", legacy("Nữ"), "Kinh", "2B"] + [""] * 7,
    ]
    plan, result = run(cast, year, roster(rows))
    assert plan.legacy_encoding == "tcvn3" and plan.errors == []
    assert result.created_children == 3
    assert Child.objects.get(name_folded="nguyen van duc toan").full_name == "Nguyễn Văn Đức Toản"
    assert Child.objects.get(name_folded="ho thi anh tuyet").ethnicity == "14"


def test_an_import_that_fails_halfway_leaves_nothing(cast, year, monkeypatch):
    from apps.students import importers

    def fail_after_the_children(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    before = (Child.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count())
    plan = plan_roster(
        actor=cast.commune_officer, filename="ds.xlsx", data=roster(ROWS), year=year, school=cast.school_a
    )
    monkeypatch.setattr(importers, "_write_enrolments", fail_after_the_children)
    with pytest.raises(RuntimeError):
        apply_roster(actor=cast.commune_officer, plan=plan)
    assert (Child.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count()) == before


def test_a_roster_is_read_and_written_as_on_the_day_given(cast, year):
    """Every computation that depends on today takes `on`: a birth date is in the future or not as of that day, and
    a status the file changes is dated that day."""
    text = "STT,Họ và tên,Ngày sinh,Giới tính,Lớp\n1,Hồ Văn Sớm,05/01/2020,Nam,2B\n"

    def read(text, on):
        kw = {"actor": cast.principal_a, "filename": "a.csv", "year": year, "school": cast.school_a}
        return plan_roster(data=text.encode(), on=on, **kw)

    early = read(text, datetime.date(2019, 12, 1))
    assert early.errors and "ở tương lai" in str(early.errors[0])
    later = read(text, datetime.date(2025, 10, 1))
    assert later.errors == []
    apply_roster(actor=cast.principal_a, plan=later, on=datetime.date(2025, 10, 1))
    dropped = text.replace("Lớp\n", "Lớp,Trạng thái\n").replace("2B\n", "2B,Thôi học\n")
    november = datetime.date(2025, 11, 20)
    apply_roster(actor=cast.principal_a, plan=read(dropped, november), on=november)
    event = Enrolment.objects.get(child__name_folded="ho van som").events.order_by("-pk").first()
    assert event.kind == "dropped_out" and event.on == november
