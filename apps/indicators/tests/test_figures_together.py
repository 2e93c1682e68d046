"""A page's figures are computed together: the indicators of one query share its reads of the count tables
(`definitions.school_sums`, `definitions.census_rows`). Shared or not, each indicator's values are the same, and
the number of queries does not grow with the number of targets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.indicators import selectors
from apps.indicators.registry import Query, Target, get
from apps.schools.models import Level

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2026, 7, 1)


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    return build(cast.admin)


def targets_of(tp):
    return (
        Target(school=tp.a),
        Target(school=tp.b),
        Target(school=tp.c),
        Target(unit=tp.x),
        Target(unit=tp.y),
        Target(unit=tp.province),
    )


class TestEveryIndicatorTogether:
    @pytest.mark.parametrize(
        ("level", "breakdown", "period"),
        [
            (None, "", "Y"),
            (int(Level.PRIMARY), "", "Y"),
            (int(Level.LOWER_SECONDARY), "", "S1"),
            (None, "sex", "Y"),
            (None, "poor", "Y"),
            (None, "ethnicity", "C"),
            (None, "grade", "Y"),
            (None, "phase", "Y"),
        ],
    )
    def test_each_value_is_the_one_the_indicator_computes_alone(self, tp, level, breakdown, period):
        targets = targets_of(tp)
        together = selectors.figures(targets, year=tp.year, period=period, level=level, breakdown=breakdown, on=AFTER)
        assert {"retention", "dropout", "grade1_at_6", "enrol_gross"} & set(together)
        for code, values in together.items():
            query = Query(targets=targets, year=tp.year, period=period, level=level, breakdown=breakdown, on=AFTER)
            assert values == get(code).compute(query), code

    def test_the_counts_behind_the_province_figures_are_not_empty(self, tp):
        values = selectors.figures([Target(unit=tp.province)], year=tp.year, on=AFTER)
        assert values["retention"][f"u{tp.province.pk}"][""].denominator > 0
        assert values["grade1_at_6"][f"u{tp.province.pk}"][""].denominator > 0

    def test_more_targets_cost_no_more_queries(self, tp):
        def queries(targets):
            with CaptureQueriesContext(connection) as ctx:
                selectors.figures(targets, year=tp.year, on=AFTER)
            return len(ctx)

        assert queries([Target(unit=tp.province)]) == queries(
            [Target(unit=tp.province), Target(unit=tp.x), Target(unit=tp.y)]
        )
