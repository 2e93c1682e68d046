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


class TestCallsSharingOneCache:
    """`figures(shared=…)`: the dashboard's calls (one per level, the previous year's, the phases) share what the
    definitions read once whatever the level; each value is still the one a call of its own computes, and calls
    for other targets or another year do not read the first ones' schools."""

    CALLS = [
        (None, "", "Y"),
        (int(Level.PRIMARY), "", "Y"),
        (int(Level.LOWER_SECONDARY), "", "S1"),
        (None, "phase", "Y"),
        (int(Level.PRIMARY), "sex", "Y"),
    ]

    def test_each_value_is_the_one_an_unshared_call_computes(self, tp):
        from apps.schools.models import SchoolYear

        last = SchoolYear.objects.get(province=tp.province, start_year=tp.year.start_year - 1)
        shared = {}
        for targets in (targets_of(tp), (Target(unit=tp.x),), (Target(school=tp.a), Target(unit=tp.province))):
            for year in (tp.year, last):
                for level, breakdown, period in self.CALLS:
                    kwargs = {"year": year, "period": period, "level": level, "breakdown": breakdown, "on": AFTER}
                    alone = selectors.figures(targets, **kwargs)
                    assert selectors.figures(targets, shared=shared, **kwargs) == alone, (targets, year, level)

    def test_the_second_level_reads_fewer_queries_than_alone(self, tp):
        targets, shared = targets_of(tp), {}
        selectors.figures(targets, year=tp.year, level=None, on=AFTER, shared=shared)

        def queries(**kwargs):
            with CaptureQueriesContext(connection) as ctx:
                selectors.figures(targets, year=tp.year, level=int(Level.PRIMARY), on=AFTER, **kwargs)
            return len(ctx)

        assert queries(shared=shared) < queries()
