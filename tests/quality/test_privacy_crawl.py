"""Privacy: an anonymous visitor who follows every public link and calls every API operation of the demo site sees
no child's name, birth date or personal ID, no guardian's name or phone number from the database."""

import pytest

from tests.quality.crawl import Needles, crawl, personal_data


@pytest.fixture
def needles(db):
    data = personal_data()
    assert data["name"] and data["birth date"] and data["guardian"]  # the demo data has children to protect
    return Needles(data)


def test_the_anonymous_crawl_finds_no_personal_data(needles):
    report = crawl(needles)
    print(
        f"\nprivacy crawl: {report.pages} pages crawled, {report.api_operations} API operations called "
        f"({report.api_anonymous} answered anonymously), {len(needles)} personal values searched, "
        f"{len(report.hits)} hits"
    )
    assert report.pages > 50 and report.api_operations > 10  # the resolver and the schema were read
    assert report.statuses.get(200), report.statuses  # some pages are public (the sign-in page at least)
    assert report.hits == []


def test_a_page_added_later_is_found_and_the_child_on_it_caught(needles, settings):
    settings.ROOT_URLCONF = "tests.quality.leaky_urls"
    report = crawl(needles)
    kinds = {(url, kind) for url, kind, _value in report.hits}
    assert kinds == {("/cong-khai/them/chi-tiet/", "name"), ("/cong-khai/them/chi-tiet/", "birth date")}
