"""`progress_of`, the home tile's figures for many funds at once: the same year, money raised and target as
`fund_year` and `fund_progress` give fund by fund, in a number of queries that does not grow with the funds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.funds import selectors
from apps.funds.models import Fund

pytestmark = pytest.mark.django_db


def funds():
    return list(
        Fund.objects.select_related("school__location", "organisation__school__location", "organisation__org_unit")
    )


class TestProgressOf:
    def test_it_gives_each_fund_s_own_figures(self, cast):
        today = timezone.localdate()
        found = selectors.progress_of(funds(), today)
        assert found
        for fund in funds():
            year = selectors.fund_year(fund, today)
            assert found[fund.pk] == (year, *selectors.fund_progress(fund, year)), fund.name
        assert any(raised for _year, raised, _target in found.values())  # the demo raised money

    def test_its_queries_do_not_grow_with_the_funds(self, cast):
        every = funds()
        assert len(every) >= 4

        def count(some):
            with CaptureQueriesContext(connection) as ctx:
                selectors.progress_of(some, timezone.localdate())
            return len(ctx.captured_queries)

        assert count(every[:1]) == count(every) <= 7
