"""`fund_progress` in the indicator engine: money raised this school year over the targets of the funds held by a
school, or kept in a unit's subtree, with the demo's funds as the seed left them."""

import pytest

from apps.core.money import format_vnd
from apps.funds import selectors
from apps.funds.models import Fund
from apps.indicators.registry import Query, Target, get
from apps.schools.models import SchoolYear

pytestmark = pytest.mark.django_db


def _expected(funds, keep) -> tuple[int, int]:
    """The two sums from each fund's own figures (`selectors.fund_progress`, another path to the same numbers)."""
    pairs = [selectors.fund_progress(fund, 2025) for fund in funds if keep(fund)]
    return sum(raised for raised, _target in pairs), sum(target for _raised, target in pairs)


def test_fund_progress_sums_each_target_s_funds_in_two_queries(cast, django_assert_num_queries):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    funds = list(Fund.objects.filter(targets__year=year))
    targets = (
        Target(school=cast.school_a),
        Target(unit=cast.commune_a),
        Target(unit=cast.province),
        Target(school=cast.school_b),
    )
    with django_assert_num_queries(2):
        values = get("fund_progress").compute(Query(targets=targets, year=year))
    school_a, commune_a, province, school_b = (values[t.key][""] for t in targets)
    assert (school_a.numerator, school_a.denominator) == _expected(funds, lambda f: f.owning_school == cast.school_a)
    assert (commune_a.numerator, commune_a.denominator) == _expected(
        funds, lambda f: f.commune.path.startswith(cast.commune_a.path)
    )
    assert (province.numerator, province.denominator) == _expected(funds, lambda f: True)
    assert commune_a.denominator > school_a.denominator > 0 and commune_a.numerator > 0  # the commune's own funds too
    assert school_b.denominator == 0 and school_b.rate is None  # no fund there: no data, never 0 %


def test_the_indicator_page_shows_fund_progress_in_dong(cast, client_for):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    funds = list(Fund.objects.filter(targets__year=year))
    raised, target = _expected(funds, lambda f: f.commune.path.startswith(cast.commune_a.path))
    page = client_for(cast.commune_officer).get(f"/indicators/units/{cast.commune_a.pk}/?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tiến độ vận động quỹ" in text
    assert f"{format_vnd(raised)} / {format_vnd(target)}" in text
