import io
import json
import re

from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
from apps.students.models import ClassGroup, Enrolment
from apps.students.selectors import student_list
from apps.students.tests.test_forms import class_names

CLASS_FIELD = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "class-field"}
RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def listed(response) -> tuple[int, list[str]]:
    """(the count the page announces, the names on the page)."""
    page = response.content.decode()
    count = int(re.search(r"(\d+) hồ sơ", page).group(1))
    return count, re.findall(r'href="/students/children/\d+/">([^<]+)</a>', page)


def class_options(response) -> list[str]:
    select = re.search(r'<select name="class_group".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def hamlet_of(commune, n=0):
    return OrgUnit.objects.filter(parent=commune, type=OrgUnit.Type.HAMLET).order_by("pk")[n]


class TestStudentListFilters:
    def test_the_class_filter_lists_the_children_of_that_class(self, cast, client_for):
        group = ClassGroup.objects.get(school=cast.school_a, name="2A")
        response = client_for(cast.commune_officer).get(reverse("students:list"), {"class_group": group.pk})
        expected = sorted(Enrolment.objects.filter(class_group=group).values_list("child__full_name", flat=True))
        count, names = listed(response)
        assert response.status_code == 200 and count == len(expected) and sorted(names) == expected[:50]

    def test_the_hamlet_filter_lists_the_children_living_there(self, cast, client_for):
        hamlet = hamlet_of(cast.commune_a)
        response = client_for(cast.commune_officer).get(reverse("students:list"), {"hamlet": hamlet.pk})
        expected = Enrolment.objects.restrict(cast.commune_officer).filter(child__hamlet=hamlet)
        count, names = listed(response)
        assert count == expected.count() > 4 and set(names) <= set(expected.values_list("child__full_name", flat=True))
        assert response.content.decode().count(f'data-label="Thôn">{hamlet.display_name}</td>') == len(names)

    def test_the_hamlet_filter_only_narrows_a_teachers_own_list(self, cast, client_for):
        own = list(Enrolment.objects.filter(class_group__teacher_assignments__teacher=cast.teacher_a))
        hamlets = {e.child.hamlet for e in own}
        client = client_for(cast.teacher_a)
        for hamlet in hamlets:
            count, names = listed(client.get(reverse("students:list"), {"hamlet": hamlet.pk}))
            assert count == len([e for e in own if e.child.hamlet == hamlet])
            assert set(names) <= {e.child.full_name for e in own}
        assert Enrolment.objects.filter(child__hamlet__in=hamlets).count() > len(own)

    def test_a_class_out_of_scope_gives_no_data(self, cast, client_for):
        theirs = ClassGroup.objects.get(school=cast.school_b, name="2A")
        response = client_for(cast.principal_a).get(reverse("students:list"), {"class_group": theirs.pk})
        page = response.content.decode()
        assert response.status_code == 400 and listed(response) == (0, [])
        assert "Không tìm thấy lớp đã chọn." in page and cast.school_b.name not in page

    def test_a_hamlet_out_of_scope_gives_no_data(self, cast, client_for):
        response = client_for(cast.principal_a).get(reverse("students:list"), {"hamlet": hamlet_of(cast.commune_b).pk})
        assert response.status_code == 400 and listed(response) == (0, [])
        assert "Không tìm thấy thôn, tổ dân phố đã chọn." in response.content.decode()
        assert "Tổ dân phố" not in response.content.decode()  # commune B's hamlets are not even offered

    def test_ids_no_row_can_have_answer_no_data_not_an_error(self, cast, client_for):
        client = client_for(cast.province_officer)
        for value in (10**30, -3, 0, "1A", "1 OR 1=1"):
            for name in ("class_group", "hamlet", "school", "year"):
                response = client.get(reverse("students:list"), {name: value})
                assert response.status_code == 400 and listed(response) == (0, []), (name, value)

    def test_a_class_of_another_school_than_the_chosen_one_is_explained_without_javascript(self, cast, client_for):
        elsewhere = ClassGroup.objects.filter(school__location=cast.commune_a).exclude(school=cast.school_a).first()
        response = client_for(cast.commune_officer).get(
            reverse("students:list"), {"school": cast.school_a.pk, "class_group": elsewhere.pk}
        )
        assert response.status_code == 400 and listed(response) == (0, [])
        assert f"Lớp: {elsewhere.name} không thuộc trường hoặc năm học đã chọn." in response.content.decode()
        assert class_options(response) == class_names(cast.school_a)  # school A's classes to choose from


class TestClassOptions:
    def test_the_class_options_follow_the_chosen_school(self, cast, client_for):
        client = client_for(cast.commune_officer)
        every = ClassGroup.objects.filter(school__location=cast.commune_a).count()
        assert (
            every > len(class_names(cast.school_a))
            and len(class_options(client.get(reverse("students:list")))) == every
        )
        response = client.get(reverse("students:list"), {"school": cast.school_a.pk})
        assert class_options(response) == class_names(cast.school_a)

    def test_the_htmx_partial_returns_only_the_options_and_then_asks_for_the_list(self, cast, client_for):
        before = AuditEvent.objects.filter(action="students.list_read").count()
        group = ClassGroup.objects.filter(school__location=cast.commune_a).exclude(school=cast.school_a).first()
        response = client_for(cast.commune_officer).get(
            reverse("students:list"), {"school": cast.school_a.pk, "class_group": group.pk, "q": "x"}, **CLASS_FIELD
        )
        page = response.content.decode().strip()
        assert response.status_code == 200 and page.startswith('<label id="class-field">') and page.endswith("</label>")
        assert page.count("<select") == 1 and "<table" not in page and "errorlist" not in page
        assert class_options(response) == class_names(cast.school_a) and page.count(" selected") == 1
        assert '<option value="" selected>' in page  # the class chosen before is dropped
        assert list(json.loads(response["HX-Trigger-After-Swap"])) == ["class-options-loaded"]
        assert AuditEvent.objects.filter(action="students.list_read").count() == before  # no child was read

    def test_the_page_wires_the_school_and_year_to_the_class_options(self, cast, client_for):
        page = client_for(cast.principal_a).get(reverse("students:list")).content.decode()
        assert page.count('hx-target="#class-field"') == 2 and 'id="class-field"' in page
        assert "class-options-loaded" in page and "<optgroup" in page

    def test_other_htmx_requests_get_the_results_and_a_history_restore_the_whole_page(self, cast, client_for):
        client = client_for(cast.principal_a)
        results = client.get(reverse("students:list"), **RESULTS).content.decode()
        assert results.lstrip().startswith('<div id="results">') and "<form" not in results
        restored = client.get(reverse("students:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        assert "<form" in restored.content.decode()


class TestExport:
    def rows(self, response):
        return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=5, values_only=True))

    def test_the_export_takes_the_class_and_hamlet_filters(self, cast, client_for):
        client = client_for(cast.province_officer)
        group = ClassGroup.objects.get(school=cast.school_b, name="2A")
        rows = self.rows(client.get(reverse("students:export"), {"class_group": group.pk}))
        assert len(rows) == Enrolment.objects.filter(class_group=group).count() > 0
        assert {r[5] for r in rows} == {cast.school_b.name} and {r[8] for r in rows} == {"2A"}
        hamlet = hamlet_of(cast.commune_b, 2)
        rows = self.rows(client.get(reverse("students:export"), {"hamlet": hamlet.pk}))
        assert len(rows) == Enrolment.objects.filter(child__hamlet=hamlet).count() > 0
        assert {r[11] for r in rows} == {hamlet.display_name}

    def test_an_export_with_a_filter_out_of_scope_holds_no_data_and_sends_back_to_the_list(self, cast, client_for):
        hamlet = hamlet_of(cast.commune_b)
        response = client_for(cast.teacher_a).get(reverse("students:export"), {"hamlet": hamlet.pk})
        assert response.status_code == 302 and response["Location"] == f"{reverse('students:list')}?hamlet={hamlet.pk}"
        assert not AuditEvent.objects.filter(action="students.list_export", actor=cast.teacher_a).exists()

    def test_the_export_link_follows_the_filters(self, cast, client_for):
        hamlet = hamlet_of(cast.commune_a)
        page = client_for(cast.commune_officer).get(reverse("students:list"), {"hamlet": hamlet.pk}, **RESULTS)
        assert f'href="{reverse("students:export")}?hamlet={hamlet.pk}"' in page.content.decode()


def test_a_principal_records_a_transfer_from_the_child_page(cast, client_for):
    from apps.students.models import Enrolment

    enrolment = Enrolment.objects.with_status().filter(class_group__name="1A", school=cast.school_a).first()
    # Teacher A reads the child of their class but records nothing.
    teacher_page = client_for(cast.teacher_a).get(reverse("students:child", args=[enrolment.child_id]))
    assert teacher_page.status_code == 200 and enrolment.child.full_name in teacher_page.content.decode()
    assert reverse("students:enrolment_event", args=[enrolment.pk]) not in teacher_page.content.decode()
    client = client_for(cast.principal_a)
    page = client.get(reverse("students:child", args=[enrolment.child_id])).content.decode()
    assert reverse("students:enrolment_event", args=[enrolment.pk]) in page
    form = {"kind": "transferred_out", "on": "2025-12-01", "other_school": "Trường TH Kim Đồng, Hà Nội"}
    response = client.post(reverse("students:enrolment_event", args=[enrolment.pk]), form, follow=True)
    assert "Đã ghi" in response.content.decode()
    assert Enrolment.objects.with_status().get(pk=enrolment.pk).status == "transferred_out"
    # An event that cannot follow the current one is refused with the reason; nothing is written.
    response = client.post(
        reverse("students:enrolment_event", args=[enrolment.pk]), {"kind": "returned", "on": "2025-11-01"}, follow=True
    )
    assert "Không thể ghi “Trở lại học” sau “Chuyển đi”" in response.content.decode()
    assert Enrolment.objects.with_status().get(pk=enrolment.pk).status == "transferred_out"


FORMULA = '=HYPERLINK("http://x","y")'


# By user: a teacher's scope is read in one query more than an officer's.
EXPORT_QUERIES = {"giaovien.tranam": 7, "xa.tralinh": 6}


def workbook(response):
    """The export's sheet (title, stamp, a blank row and the headers above the rows, which start at row 5)."""
    return load_workbook(io.BytesIO(response.content)).active


def filename_of(response):
    return re.fullmatch(r'attachment; filename="([a-z0-9.-]+)"', response["Content-Disposition"]).group(1)


class TestExportCells:
    def test_dates_are_dates_codes_are_text_and_a_name_is_never_a_formula(self, cast, client_for):
        from apps.schools.models import SchoolYear
        from apps.students.models import Child

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        dated, undated = Enrolment.objects.filter(school=cast.school_a, year=year, child__birth_date__isnull=False)[:2]
        Child.objects.filter(pk=dated.child_id).update(full_name=FORMULA)
        Enrolment.objects.filter(pk=dated.pk).update(student_code="0480012")
        Child.objects.filter(pk=undated.child_id).update(birth_date=None, full_name="Em Chỉ Có Năm Sinh")
        response = client_for(cast.principal_a).get(
            reverse("students:export"), {"school": cast.school_a.pk, "year": year.pk}
        )
        rows = {r[0].value: r for r in workbook(response).iter_rows(min_row=5)}
        name, birth, *_middle, code, _status, _hamlet = rows[FORMULA]
        assert (name.data_type, name.value) == ("s", FORMULA)
        assert birth.is_date and birth.number_format == "dd/mm/yyyy"
        assert birth.value.date() == dated.child.birth_date
        assert (code.data_type, code.value) == ("s", "0480012")
        assert (rows[FORMULA][4].data_type, rows[FORMULA][4].value) == ("s", "48095002")
        year_only = rows["Em Chỉ Có Năm Sinh"][1]
        assert (year_only.data_type, year_only.value) == ("n", undated.child.birth_year)
        assert "Có dữ liệu cá nhân" in workbook(response)["A2"].value

    def test_the_file_is_named_after_the_school_and_year_it_is_filtered_to(self, cast, client_for):
        from apps.schools.models import SchoolYear

        client = client_for(cast.principal_a)
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        both = client.get(reverse("students:export"), {"school": cast.school_a.pk, "year": year.pk})
        assert filename_of(both) == "hoc-sinh-48095002-2025-2026.xlsx"
        assert filename_of(client.get(reverse("students:export"), {"school": cast.school_a.pk})) == (
            "hoc-sinh-48095002.xlsx"
        )
        group = ClassGroup.objects.get(school=cast.school_a, year=year, name="2A")
        by_class = client.get(reverse("students:export"), {"class_group": group.pk})
        assert filename_of(by_class) == "hoc-sinh-48095002-2025-2026.xlsx"

    def test_each_row_says_what_the_enrolment_says(self, cast, client_for):
        """The rows are read as values (not models): the labels are still the models' own."""
        response = client_for(cast.commune_officer).get(reverse("students:export"))
        rows = [[c.value for c in r] for r in workbook(response).iter_rows(min_row=5)]
        enrolments = list(student_list(cast.commune_officer).select_related("child__hamlet"))  # the export's order
        assert len(rows) == len(enrolments) > 50
        for row, e in zip(rows, enrolments, strict=True):
            assert row[0] == e.child.full_name and row[9] == (e.student_code or None)
            assert row[2:4] == [e.child.get_sex_display(), e.child.ethnicity_name or None]
            assert row[6:8] == [e.year.name, e.get_grade_display()]
            assert row[10:] == [e.status_label or None, e.child.hamlet.display_name if e.child.hamlet else None]

    def test_a_file_taken_in_english_after_one_in_vietnamese_says_its_labels_in_english(self, cast, client_for):
        """The labels are translated once per language (`models.choice_labels`), not once for the first file."""
        from django.conf import settings
        from django.utils import translation

        client = client_for(cast.commune_officer)
        enrolments = list(student_list(cast.commune_officer))
        cells = {}
        for language in ("vi", "en", "vi"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            rows = workbook(client.get(reverse("students:export"))).iter_rows(min_row=5, values_only=True)
            cells[language] = [(r[2], r[7], r[10]) for r in rows]
            with translation.override(language):
                said = [(e.child.get_sex_display(), e.get_grade_display(), e.status_label or None) for e in enrolments]
            assert cells[language] == said
        assert {"Female", "Grade 1", "Enrolled (start of year)"} <= {label for row in cells["en"] for label in row}

    def test_the_export_reads_its_rows_in_one_query_however_many(self, cast, client_for, django_assert_num_queries):
        """A fixed number of queries (the session, the user's scope, the rows, the years' names, the audit event):
        the teacher's 28 rows and the commune's hundreds alike."""
        for user in (cast.teacher_a, cast.commune_officer):
            client = client_for(user)
            with django_assert_num_queries(EXPORT_QUERIES[user.username]):
                assert client.get(reverse("students:export")).status_code == 200

    def test_an_unfiltered_file_is_named_after_the_day_it_was_taken(self, cast, client_for):
        from django.utils import timezone

        response = client_for(cast.principal_a).get(reverse("students:export"))
        assert filename_of(response) == f"hoc-sinh-{timezone.localdate().strftime('%d-%m-%Y')}.xlsx"


class TestCensusExport:
    def test_the_census_holds_ages_as_numbers_and_survey_dates_as_dates(self, cast, client_for):
        from apps.schools.models import SchoolYear
        from apps.students.models import CensusRecord, Child

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        record = CensusRecord.objects.filter(year=year, hamlet__parent=cast.commune_a).select_related("hamlet").first()
        Child.objects.filter(pk=record.child_id).update(full_name=FORMULA, birth_date=None)
        OrgUnit.objects.filter(pk=record.hamlet_id).update(code="TL01")
        client = client_for(cast.commune_officer)
        url = reverse("students:census_hamlet", args=[record.hamlet_id])
        response = client.get(url, {"year": year.pk, "format": "xlsx"})
        rows = {r[0].value: r for r in workbook(response).iter_rows(min_row=5)}
        name, birth, _sex, age, *_middle, surveyed = rows[FORMULA]
        assert (name.data_type, name.value) == ("s", FORMULA)
        assert (birth.data_type, birth.value) == ("n", record.child.birth_year)
        assert (age.data_type, age.value) == ("n", 2025 - record.child.birth_year)
        assert surveyed.is_date and surveyed.number_format == "dd/mm/yyyy"
        assert surveyed.value.date() == record.surveyed_on
        assert filename_of(response) == "dieu-tra-tl01-xa-tra-linh-2025-2026.xlsx"
        assert "Có dữ liệu cá nhân" in workbook(response)["A2"].value
