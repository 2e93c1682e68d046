"""The load scenario's bookkeeping (the run itself is `make check-long`): each request is counted in its group, so
that the importers' uploads and the downloads never weigh on the pages' p95."""

from tests.quality.load import group_of, percentile


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
