"""The indicators computed from one `Query` (a page's table, a dashboard's level) share their grouped queries: the
enrolment counts are read once per period and level, the census once per level (`definitions.school_sums`,
`definitions.census_rows`), and give the figures each indicator gives alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.indicators import selectors
from apps.indicators.registry import Target
from apps.schools.models import SchoolYear

pytestmark = pytest.mark.django_db

SCHOOL_BASED = {"retention", "dropout", "returned", "enrol_gross"}


def reads(ctx, table: str) -> int:
    return sum(1 for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"])


class TestSharedSums:
    def test_indicators_of_one_query_read_the_enrolment_counts_once_per_period(self, cast):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        targets = [Target(unit=cast.commune_a), Target(school=cast.school_a)]
        codes = SCHOOL_BASED & {i.code for i in selectors.indicators()}
        assert len(codes) >= 3
        with CaptureQueriesContext(connection) as ctx:
            together = selectors.figures(targets, year=year, codes=codes)
        # The year's sums, the count day's (the start of year without a snapshot), gross enrolment's own level.
        assert reads(ctx, "indicators_enrolmentcount") <= 3
        assert reads(ctx, "indicators_censuscount") <= 1
        for code in codes:
            assert together[code] == selectors.figures(targets, year=year, codes={code})[code], code
