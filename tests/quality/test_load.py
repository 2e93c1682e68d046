"""The load scenario's bookkeeping (the run itself is `make check-long`): each request is counted in its group, so
that the importers' uploads and the downloads never weigh on the pages' p95."""

from tests.quality.load import group_of, member_urls, percentile


class TestGroups:
    def test_the_importers_requests_are_counted_apart(self):
        assert {group_of(n) for n in ("import:new", "import:upload", "import:preview")} == {"imports"}

    def test_the_import_list_a_member_browses_is_a_page(self):
        assert group_of("imports:list") == "pages"

    def test_files_api_and_pages(self):
        assert group_of("students:export") == "exports" and group_of("plans:late_xlsx") == "exports"
        assert group_of("api:list_targets") == "api" and group_of("standards:recognitions") == "pages"


def test_the_nearest_rank_percentile():
    assert percentile([], 95) == 0 and percentile([5, 1, 3, 2, 4], 50) == 3 and percentile(list(range(1, 21)), 95) == 19


class TestMemberUrls:
    """load.py and bench/pages.py send each member to the same addresses, read from the scope table."""

    def test_every_listed_page_and_the_first_child_in_scope(self, cast):
        from django.urls import reverse

        from apps.students.models import Child
        from tests.test_scope_walk import ROUTES

        urls = dict(member_urls(cast.teacher_a))
        child = Child.objects.restrict(cast.teacher_a).order_by("pk").first()
        assert urls["students:child"] == reverse("students:child", args=[child.pk])
        assert urls["api:get_child"] == reverse("api:get_child", args=[child.pk])
        assert urls["students:list"] == reverse("students:list") and urls["home"] == reverse("home")
        # Never signing out mid-run, nor the public pages (the privacy crawl's), nor one that needs an object.
        assert "logout" not in urls and "imports:new" not in urls
        assert not [n for n in urls if ROUTES.get(n, (None, None, None))[2] in ("skip", "public")]
        with_an_object = {n for n in urls if ROUTES[n][0] != "GET" or ROUTES[n][1] is not None}
        assert with_an_object == {"students:child", "api:get_child"}

    def test_no_child_page_without_a_child_in_scope(self, cast):
        assert "students:child" not in dict(member_urls(cast.partner))
