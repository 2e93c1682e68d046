"""The page patterns' template tag: the filters in force, each with the query string that drops it."""

from django import forms
from django.http import QueryDict
from django.urls import reverse

from apps.core.templatetags.pages import active_filters


class Filters(forms.Form):
    q = forms.CharField(label="Họ tên", required=False)
    sex = forms.ChoiceField(label="Giới tính", choices=[("", "—"), ("M", "Nam"), ("F", "Nữ")], required=False)
    grade = forms.ChoiceField(label="Khối", choices=[("", "—"), ("Tiểu học", [("1", "Lớp 1"), ("2", "Lớp 2")])])


class TestActiveFilters:
    def test_each_filter_set_is_shown_by_its_label_and_the_choice_people_read(self):
        query = QueryDict("q=an&sex=F&grade=2&page=3")
        form = Filters(query)
        assert form.is_valid()
        chips = active_filters(form, query)
        assert [(c["label"], c["value"]) for c in chips] == [("Họ tên", "an"), ("Giới tính", "Nữ"), ("Khối", "Lớp 2")]
        # Dropping one keeps the others and goes back to the first page.
        assert QueryDict(chips[1]["clear"]) == QueryDict("q=an&grade=2")

    def test_an_unbound_or_unchecked_form_shows_none(self):
        assert active_filters(Filters(), QueryDict()) == []
        assert active_filters(Filters(QueryDict("q=an")), QueryDict("q=an")) == []  # is_valid() not called

    def test_an_empty_value_is_no_filter(self):
        form = Filters(QueryDict("q=&sex=&grade=1"))
        form.is_valid()
        assert [c["name"] for c in active_filters(form, QueryDict())] == ["grade"]


class TestStudentListSummary:
    def test_the_line_above_the_table_names_the_filters_in_force(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("students:list"), {"school": cast.school_a.pk}).content
        page = page.decode()
        assert 'class="list-summary"' in page and f"Trường: {cast.school_a.name}" in page

    def test_a_filter_matching_nobody_says_what_to_do_next(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("students:list"), {"q": "khong ai ten the nay"}).content
        page = page.decode()
        assert "0 hồ sơ" in page and "Không có học sinh nào khớp các bộ lọc đang chọn" in page
        assert f'href="{reverse("students:list")}"' in page
