"""The integer comparison rules at the boundaries of each comparison: a rate is never compared rounded."""

from decimal import Decimal as D

import pytest

from apps.targets import rules
from apps.targets.rules import GE, GT, LE, LT, bound, gap


class TestAtLeast:
    def test_99_percent_of_150_needs_149_children(self):
        # 99 % of 150 = 148.5: 148 children are 98.67 %, short by one.
        assert bound(GE, D("99"), 150) == 149
        assert gap(GE, D("99"), 148, 150).short == 1
        assert gap(GE, D("99"), 149, 150).met

    def test_an_exact_product_needs_exactly_it(self):
        assert bound(GE, D("90"), 200) == 180
        assert gap(GE, D("90"), 179, 200).short == 1
        assert gap(GE, D("90"), 180, 200).met

    def test_a_rate_that_rounds_up_to_the_target_is_still_short(self):
        # 773/1000 = 77.3 % exactly; 772/999 = 77.277… % reads "77.3 %" rounded to one decimal, yet is short.
        assert gap(GE, D("77.3"), 773, 1000).met
        assert gap(GE, D("77.3"), 772, 999).short == 1  # ⌈772.227⌉ = 773

    def test_100_percent_needs_every_child(self):
        assert gap(GE, D("100"), 299, 300).short == 1
        assert gap(GE, D("100"), 300, 300).met


class TestMoreThan:
    def test_above_99_5_of_200_needs_200(self):
        # 99.5 % of 200 = 199: exactly 199 is not "above", 200 is.
        assert bound(GT, D("99.5"), 200) == 200
        assert gap(GT, D("99.5"), 199, 200).short == 1
        assert gap(GT, D("99.5"), 200, 200).met

    def test_above_a_fractional_product_needs_its_ceiling(self):
        # 99.5 % of 150 = 149.25: ⌊149.25⌋ + 1 = 150.
        assert bound(GT, D("99.5"), 150) == 150
        assert gap(GT, D("99.5"), 149, 150).short == 1


class TestAtMost:
    def test_at_most_1_percent_of_250_allows_2(self):
        # 1 % of 250 = 2.5: 2 dropouts are allowed, the third is over.
        assert bound(LE, D("1"), 250) == 2
        assert gap(LE, D("1"), 2, 250).met
        assert gap(LE, D("1"), 3, 250).over == 1

    def test_at_most_an_exact_product_allows_it(self):
        assert bound(LE, D("1"), 300) == 3
        assert gap(LE, D("1"), 3, 300).met
        assert gap(LE, D("1"), 5, 300).over == 2


class TestLessThan:
    def test_under_1_percent_of_300_allows_2(self):
        # 1 % of 300 = 3 exactly: "dưới 1 %" allows 2.
        assert bound(LT, D("1"), 300) == 2
        assert gap(LT, D("1"), 2, 300).met
        assert gap(LT, D("1"), 3, 300).over == 1

    def test_under_a_fractional_product_allows_its_floor(self):
        # 1 % of 250 = 2.5: ⌈2.5⌉ − 1 = 2.
        assert bound(LT, D("1"), 250) == 2
        assert gap(LT, D("1"), 3, 250).over == 1


class TestCountsAndMoney:
    def test_a_count_target_is_compared_to_the_count(self):
        assert gap(GE, D("40"), 38, kind=rules.COUNT).short == 2
        assert gap(GT, D("40"), 40, kind=rules.COUNT).short == 1
        assert gap(LT, D("5"), 5, kind=rules.COUNT).over == 1

    def test_a_money_target_says_how_many_dong_are_missing(self):
        assert gap(GE, D("4000000"), 3_250_000, kind=rules.MONEY).short == 750_000
        assert gap(GE, D("4000000"), 4_000_000, kind=rules.MONEY).met

    def test_fund_progress_at_100_percent_of_its_target_is_short_in_dong(self):
        # fund_progress: the money raised over the fund's target; "≥ 100 %" needs the whole target.
        assert gap(GE, D("100"), 17_999_999, 18_000_000).short == 1


class TestNoData:
    def test_no_children_is_no_data_never_met(self):
        result = gap(GE, D("99"), 0, 0)
        assert result.no_data and not result.met

    def test_an_unknown_comparison_is_refused(self):
        with pytest.raises(ValueError):
            bound("=", D("1"), 10)
