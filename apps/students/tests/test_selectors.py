from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.students.models import Child, ClassGroup, Enrolment
from apps.students.selectors import student_list
from apps.students.services import child_create


class TestStudentList:
    def test_a_teacher_sees_only_the_children_of_their_classes(self, cast):
        classes = set(student_list(cast.teacher_a).values_list("class_group__name", flat=True))
        assert classes == {"1A"}
        assert student_list(cast.teacher_a).count() == 28

    def test_the_commune_sees_the_schools_it_hosts(self, cast):
        schools = set(student_list(cast.commune_officer).values_list("school__moet_code", flat=True))
        assert schools == {"48095001", "48095002", "48095003", "48095004"}

    def test_folded_search_finds_every_spelling(self, cast):
        for name in ("Nguyễn Văn An", "Nguyễn Văn Ân", "NGUYỄN VĂN AN"):
            child_create(actor=cast.commune_officer, full_name=name, birth_year=2015, sex="M", commune=cast.commune_a)
        found = Child.objects.restrict(cast.commune_officer).filter(name_folded__contains="nguyen van an")
        assert {c.full_name for c in found} >= {"Nguyễn Văn An", "Nguyễn Văn Ân", "NGUYỄN VĂN AN"}

    def test_the_list_page_answers_in_a_fixed_number_of_queries_and_logs_the_read(self, cast, client_for):
        client = client_for(cast.province_officer)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("students:list"), {"grade": "12"})  # a handful of rows
        with CaptureQueriesContext(connection) as large:
            page = client.get(reverse("students:list")).content.decode()
        assert Enrolment.objects.count() > 50 and page.count('href="/students/children/') == 50
        assert len(large) == len(small)
        assert AuditEvent.objects.filter(action="students.list_read", actor=cast.province_officer).count() == 2

    def test_the_class_and_hamlet_filters_keep_the_list_page_at_a_fixed_number_of_queries(self, cast, client_for):
        client = client_for(cast.province_officer)
        client.get(reverse("students:list"))  # the session and the scope, once
        group = ClassGroup.objects.get(school=cast.school_b, name="1A")
        crowded = Child.objects.values("hamlet").annotate(n=Count("pk")).order_by("-n")[0]["hamlet"]
        home = Enrolment.objects.filter(class_group=group).first().child.hamlet_id

        def measure(filters):
            with CaptureQueriesContext(connection) as queries:
                page = client.get(reverse("students:list"), filters).content.decode()
            return len(queries), page.count('href="/students/children/')

        (everyone, rows), (by_class, in_class) = measure({}), measure({"class_group": group.pk})
        (by_hamlet, in_hamlet), (by_both, in_both) = (
            measure({"hamlet": crowded}),
            measure({"class_group": group.pk, "hamlet": home}),
        )
        size = Enrolment.objects.filter(class_group=group).count()
        assert rows == 50 and in_class == min(size, 50) and in_hamlet > 10 and 1 <= in_both <= in_class
        # One lookup per chosen option, whatever the number of rows.
        assert by_class == by_hamlet == everyone + 1 and by_both == everyone + 2

    def test_the_selector_filters_by_class_and_hamlet_in_one_query(self, cast, django_assert_num_queries):
        group = ClassGroup.objects.get(school=cast.school_a, name="1A")
        hamlet = Enrolment.objects.filter(class_group=group).first().child.hamlet
        student_list(cast.principal_a)  # the scope, once per request
        with django_assert_num_queries(1):
            listed = [
                (e.child.full_name, e.child.hamlet.display_name, e.class_group.name, e.school.name, e.status_label)
                for e in student_list(cast.principal_a, class_group=group, hamlet=hamlet)
            ]
        expected = Enrolment.objects.filter(class_group=group, child__hamlet=hamlet)
        assert 1 <= len(listed) == expected.count() <= Enrolment.objects.filter(class_group=group).count()
        assert {row[1] for row in listed} == {hamlet.display_name} and {row[2] for row in listed} == {"1A"}

    def test_the_status_filter(self, cast):
        dropped = student_list(cast.province_officer, status="dropped_out")
        assert dropped.exists() and all(e.status == "dropped_out" for e in dropped)


def test_the_export_holds_the_filtered_list_stamped_and_logged(cast, client_for):
    import io

    from openpyxl import load_workbook

    response = client_for(cast.teacher_a).get(reverse("students:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "giaovien.tranam" in sheet["A2"].value  # who exported it
    names = [row[0].value for row in sheet.iter_rows(min_row=5)]
    assert len(names) == 28 and all(names)
    assert {row[8].value for row in sheet.iter_rows(min_row=5)} == {"1A"}
    codes = [row[9].value for row in sheet.iter_rows(min_row=5)]
    assert all(isinstance(c, str) for c in codes)
    event = AuditEvent.objects.get(action="students.list_export", actor=cast.teacher_a)
    assert event.kind == "read" and event.changes == {"count": 28}


def test_the_list_names_the_ethnic_group(cast, client_for):
    page = client_for(cast.commune_officer).get(reverse("students:list")).content.decode()
    assert "<td>Xơ-đăng</td>" in page and "<td>Kinh</td>" in page
