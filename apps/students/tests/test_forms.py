import datetime

from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.students.forms import GRADE_ORDER, StudentFilterForm
from apps.students.models import ClassGroup


def groups(form, name):
    """{optgroup label: [option labels]} as the select shows them (the empty choice left out)."""
    return {group: [label for _value, label in options] for group, options in form.fields[name].choices if group}


def class_names(school):
    """The school's class names in the order the select shows them: by grade, then by name."""
    classes = ClassGroup.objects.filter(school=school)
    return [c.name for c in sorted(classes, key=lambda c: (GRADE_ORDER[c.grade], c.name))]


def hamlets_of(commune):
    return OrgUnit.objects.filter(parent=commune, type=OrgUnit.Type.HAMLET).order_by("name_folded", "qualifier")


class TestClassChoice:
    def test_the_classes_shown_are_those_of_the_chosen_school(self, cast):
        form = StudentFilterForm({"school": cast.school_a.pk}, user=cast.commune_officer)
        assert groups(form, "class_group") == {f"{cast.school_a.name} (2025-2026)": class_names(cast.school_a)}

    def test_without_a_school_the_classes_are_grouped_by_school_in_grade_order(self, cast):
        shown = groups(StudentFilterForm(user=cast.commune_officer), "class_group")
        schools = {c.school for c in ClassGroup.objects.filter(school__location=cast.commune_a)}
        assert len(schools) > 1 and shown == {f"{s.name} (2025-2026)": class_names(s) for s in schools}
        assert "1A" in shown[f"{cast.school_a.name} (2025-2026)"]

    def test_a_year_the_school_has_no_classes_in_shows_none(self, cast):
        other = SchoolYear.objects.create(
            province=cast.province,
            start_year=2030,
            starts_on=datetime.date(2030, 7, 1),
            opening_day=datetime.date(2030, 9, 5),
            teaching_ends_on=datetime.date(2031, 5, 31),
            ends_on=datetime.date(2031, 6, 30),
        )
        form = StudentFilterForm({"school": cast.school_a.pk, "year": other.pk}, user=cast.commune_officer)
        assert groups(form, "class_group") == {}

    def test_a_class_of_another_school_than_the_chosen_one_is_refused_with_a_clear_message(self, cast):
        elsewhere = ClassGroup.objects.filter(school__location=cast.commune_a).exclude(school=cast.school_a).first()
        form = StudentFilterForm({"school": cast.school_a.pk, "class_group": elsewhere.pk}, user=cast.commune_officer)
        assert not form.is_valid() and form.filters() is None
        assert form.errors["class_group"] == [f"{elsewhere.name} không thuộc trường hoặc năm học đã chọn."]

    def test_a_class_out_of_scope_is_refused_like_one_that_does_not_exist(self, cast):
        theirs = ClassGroup.objects.get(school=cast.school_b, name="2A")
        for value in (theirs.pk, 10**30, "abc", -1):
            form = StudentFilterForm({"class_group": value}, user=cast.principal_a)
            assert form.errors["class_group"] == ["Không tìm thấy lớp đã chọn."]

    def test_a_class_of_the_users_scope_is_a_filter(self, cast):
        group = ClassGroup.objects.get(school=cast.school_a, name="1A")
        form = StudentFilterForm({"school": cast.school_a.pk, "class_group": group.pk}, user=cast.principal_a)
        assert form.filters() == {"school": cast.school_a, "class_group": group}

    def test_past_the_limit_the_select_asks_for_a_school_and_keeps_the_chosen_class(self, cast):
        group = ClassGroup.objects.get(school=cast.school_b, name="2A")
        form = StudentFilterForm({"class_group": group.pk}, user=cast.province_officer)
        form.fields["class_group"].limit = 3
        choices = list(form.fields["class_group"].choices)
        assert choices[0] == ("", "— Chọn trường trước —")
        assert [(g, [label for _v, label in options]) for g, options in choices[1:]] == [
            (f"{cast.school_b.name} (2025-2026)", ["2A"])
        ]
        form = StudentFilterForm({"school": cast.school_b.pk}, user=cast.province_officer)
        form.fields["class_group"].limit = len(class_names(cast.school_b))
        assert list(form.fields["class_group"].choices)[0] == ("", "— Tất cả —")


class TestHamletChoice:
    def test_school_staff_see_the_hamlets_of_their_schools_commune_only(self, cast):
        for user in (cast.principal_a, cast.teacher_a, cast.commune_officer):
            shown = groups(StudentFilterForm(user=user), "hamlet")
            assert shown == {"Xã Trà Linh": [h.display_name for h in hamlets_of(cast.commune_a)]}
        assert list(groups(StudentFilterForm(user=cast.teacher_b), "hamlet")) == ["Phường Hải Châu"]

    def test_a_province_officer_sees_the_hamlets_grouped_by_commune(self, cast):
        shown = groups(StudentFilterForm(user=cast.province_officer), "hamlet")
        assert {"Xã Trà Linh", "Phường Hải Châu", "Phường Hội An"} <= set(shown)
        assert "Tổ dân phố 1" in shown["Phường Hải Châu"] and "Tổ dân phố 1" not in shown["Xã Trà Linh"]

    def test_a_hamlet_out_of_scope_is_refused(self, cast):
        form = StudentFilterForm({"hamlet": hamlets_of(cast.commune_b).first().pk}, user=cast.principal_a)
        assert form.errors["hamlet"] == ["Không tìm thấy thôn, tổ dân phố đã chọn."]

    def test_a_retired_hamlet_is_still_offered_and_says_so(self, cast):
        hamlet = hamlets_of(cast.commune_a).first()
        OrgUnit.objects.filter(pk=hamlet.pk).update(valid_to=datetime.date(2025, 12, 31))
        shown = groups(StudentFilterForm(user=cast.commune_officer), "hamlet")["Xã Trà Linh"]
        assert shown[-1] == f"{hamlet.display_name} (đã thôi hiệu lực)"
