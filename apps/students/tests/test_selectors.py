import inspect
from collections import defaultdict

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
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

    def test_pupils_of_one_name_in_one_class_keep_one_order(self, cast):
        """Two pupils named alike in one class come in the order of their ids, so that a page and the next (and the
        export, row by row) neither repeat nor skip one: the order ends on a unique key."""
        pupils = list(student_list(cast.commune_officer))
        keys = [
            (e.school.name, e.grade, e.class_group.name if e.class_group else "", e.child.name_folded) for e in pupils
        ]
        assert len(set(keys)) < len(keys)  # the demo has namesakes in one class
        assert student_list(cast.commune_officer).query.order_by[-1] == "pk"
        namesakes = defaultdict(list)  # each name in a class: its pupils' ids in the order listed
        for key, e in zip(keys, pupils, strict=True):
            namesakes[key].append(e.pk)
        assert all(ids == sorted(ids) for ids in namesakes.values())

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
    assert 'data-label="Dân tộc">Xơ-đăng</td>' in page and 'data-label="Dân tộc">Kinh</td>' in page


def child_of(school, commune):
    """A child enrolled at `school` living in `commune`, whose name no other commune's child bears."""
    for enrolment in Enrolment.objects.filter(school=school, child__commune=commune).select_related("child"):
        if not Child.objects.filter(full_name=enrolment.child.full_name).exclude(commune=commune).exists():
            return enrolment.child
    raise AssertionError("no such child in the demo")


def last_read(action: str, actor) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, actor=actor).latest("pk")


class TestPersonalDataReads:
    """Reads of children's data are logged by the selectors, with the unit they concern: those who govern it see
    them on the change log."""

    def test_the_commune_officer_sees_principal_as_read_of_a_child_of_their_commune_naming_the_child(
        self, cast, client_for
    ):
        child = child_of(cast.school_a, cast.commune_a)
        assert client_for(cast.principal_a).get(reverse("students:child", args=[child.pk])).status_code == 200
        event = last_read("students.child_read", cast.principal_a)
        assert (event.kind, event.object_type, event.object_id) == ("read", "students.child", str(child.pk))
        assert (event.org_unit, event.object_repr) == (cast.commune_a, child.full_name)
        log = {"kind": "read", "action": "students.child_read"}
        page = client_for(cast.commune_officer).get(reverse("audit_log"), log).content.decode()
        assert f'data-label="Đối tượng">{child.full_name}</td>' in page and "Xem hồ sơ trẻ" in page
        other = client_for(cast.other_commune_officer).get(reverse("audit_log"), log).content.decode()
        assert child.full_name not in other

    def test_a_read_of_a_child_through_the_api_is_logged_the_same_way(self, cast, client):
        from apps.accounts.services import api_token_create

        child = child_of(cast.school_a, cast.commune_a)
        _token, raw = api_token_create(actor=cast.principal_a, name="test")
        client.get(f"/api/v1/students/children/{child.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        event = last_read("students.child_read", cast.principal_a)
        assert (event.object_id, event.org_unit, event.object_repr) == (str(child.pk), cast.commune_a, child.full_name)

    def test_a_list_filtered_to_a_school_is_logged_at_the_schools_managing_unit(self, cast, client_for):
        client_for(cast.province_officer).get(reverse("students:list"), {"school": cast.school_b.pk})
        event = last_read("students.list_read", cast.province_officer)
        assert event.org_unit == cast.school_b.managed_by == cast.commune_b and event.changes["count"] > 0

    def test_a_list_filtered_to_a_hamlet_is_logged_at_the_hamlet(self, cast, client_for):
        hamlet = Enrolment.objects.filter(school=cast.school_b).first().child.hamlet
        client_for(cast.province_officer).get(reverse("students:list"), {"hamlet": hamlet.pk})
        assert last_read("students.list_read", cast.province_officer).org_unit == hamlet

    def test_an_unfiltered_list_is_logged_at_the_one_unit_the_user_governs_or_works_for(self, cast, client_for):
        client_for(cast.commune_officer).get(reverse("students:list"))
        assert last_read("students.list_read", cast.commune_officer).org_unit == cast.commune_a
        client_for(cast.principal_a).get(reverse("students:list"))
        assert last_read("students.list_read", cast.principal_a).org_unit == cast.school_a.managed_by

    def test_a_list_over_every_unit_names_none(self, cast, client_for):
        client_for(cast.admin).get(reverse("students:list"))
        assert last_read("students.list_read", cast.admin).org_unit is None

    def test_the_commune_officer_sees_a_teachers_export_of_their_commune(self, cast, client_for):
        client_for(cast.teacher_a).get(reverse("students:export"))
        event = last_read("students.list_export", cast.teacher_a)
        assert event.org_unit == cast.school_a.managed_by == cast.commune_a and event.changes == {"count": 28}
        log = {"action": "students.list_export"}
        row = f'data-label="Người thực hiện">{cast.teacher_a}</td>'
        row += '<td data-label="Hành động">Xuất danh sách học sinh</td>'
        assert row in client_for(cast.commune_officer).get(reverse("audit_log"), log).content.decode()
        assert row not in client_for(cast.other_commune_officer).get(reverse("audit_log"), log).content.decode()

    def test_an_api_list_is_logged_with_its_unit(self, cast, client):
        from apps.accounts.services import api_token_create

        _token, raw = api_token_create(actor=cast.teacher_a, name="test")
        client.get("/api/v1/students/enrolments", HTTP_AUTHORIZATION=f"Bearer {raw}")
        event = last_read("students.api_list_read", cast.teacher_a)
        assert event.org_unit == cast.commune_a and event.changes == {"count": 28}

    def test_a_hamlets_census_page_and_its_workbook_are_logged_at_the_hamlet(self, cast, client_for):
        hamlet = OrgUnit.objects.current().filter(parent=cast.commune_a, type=OrgUnit.Type.HAMLET).first()
        client = client_for(cast.commune_officer)
        client.get(reverse("students:census_hamlet", args=[hamlet.pk]))
        client.get(reverse("students:census_hamlet", args=[hamlet.pk]), {"format": "xlsx"})
        assert last_read("students.census_read", cast.commune_officer).org_unit == hamlet
        assert last_read("students.census_export", cast.commune_officer).org_unit == hamlet

    def test_the_pages_and_the_api_log_no_read_themselves(self):
        from apps.students import api, views

        for module in (views, api):
            source = inspect.getsource(module)
            assert "audit_record" not in source and "log_read" not in source, module.__name__
