"""The out-of-school list reads whole only the records it shows and proposes links for all of them at once
(`link_proposals_for`: the same proposals as `link_proposals` child by child); the page and the child's page keep a
bounded number of queries (before issue 21: 49 and 40 for the commune officer on the demo data, one query per
listed child and two per enrolment and button)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.retention import out_of_school
from apps.retention.tests.test_out_of_school import planted, year  # noqa: F401 - fixtures
from apps.students.models import Child

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class TestLinkProposalsFor:
    def test_it_proposes_what_link_proposals_proposes_child_by_child(self, cast, year, planted):  # noqa: F811
        found = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year, five=True)
        children = [r.child for rows in found.values() for r in rows]
        assert children
        together = out_of_school.link_proposals_for(cast.commune_officer, children)
        for child in children:
            assert together[child.pk] == out_of_school.link_proposals(cast.commune_officer, child), child.full_name
        assert any(together.values())  # the census child lacking the middle name is proposed

    def test_the_list_s_queries_do_not_grow_with_the_children_listed(self, cast, year, planted, client_for):  # noqa: F811
        assert queries(client_for(cast.commune_officer), reverse("retention:out_of_school")) <= 22


@pytest.mark.parametrize(
    ("member", "bound"),
    [("province_officer", 32), ("commune_officer", 28), ("principal_a", 22), ("teacher_a", 19), ("teacher_b", 19)],
)
def test_the_child_s_page_keeps_its_queries_bounded(cast, client_for, member, bound):
    user = getattr(cast, member)
    child = Child.objects.restrict(user).order_by("pk").first()
    assert queries(client_for(user), reverse("students:child", args=[child.pk])) <= bound
