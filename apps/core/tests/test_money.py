from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.money import format_quantity, format_vnd, parse_quantity, parse_vnd


class TestFormatVnd:
    def test_it_groups_thousands_with_dots_and_adds_the_symbol(self):
        assert format_vnd(1234567) == "1.234.567 ₫"

    def test_small_negative_and_missing_amounts(self):
        assert format_vnd(0) == "0 ₫"
        assert format_vnd(-5000) == "-5.000 ₫"
        assert format_vnd(None) == ""
        assert format_vnd(4000000, symbol=False) == "4.000.000"


class TestParseVnd:
    @pytest.mark.parametrize(
        "typed",
        ["1.234.567", "1 234 567", "1,234,567", "1234567", "1.234.567 ₫", "1.234.567đ", "1234567 đồng", "1234567 VND"],
    )
    def test_it_reads_what_people_type(self, typed):
        assert parse_vnd(typed) == 1234567

    def test_it_reads_spreadsheet_numbers(self):
        assert parse_vnd(500000) == 500000
        assert parse_vnd(500000.0) == 500000
        assert parse_vnd("500000,00") == 500000

    @pytest.mark.parametrize("typed", ["1.5", "12,5", "abc", "1.23.456", "", "1.234,567"])
    def test_it_refuses_what_it_cannot_read_without_guessing(self, typed):
        with pytest.raises(ValueError):
            parse_vnd(typed)

    def test_it_refuses_fractions_negatives_and_absurd_amounts(self):
        for value in (1.5, Decimal("2.5"), -1, "-5.000", 10**16, True):
            with pytest.raises(ValueError):
                parse_vnd(value)

    def test_the_message_names_the_value_in_vietnamese(self):
        with pytest.raises(ValueError, match="“abc” không phải số tiền"):
            parse_vnd("abc")

    @given(st.integers(min_value=0, max_value=10**14))
    def test_formatting_then_parsing_gives_the_amount_back(self, amount):
        assert parse_vnd(format_vnd(amount)) == amount


class TestQuantities:
    @pytest.mark.parametrize(
        "typed,expected",
        [
            ("2,5", "2.50"),
            ("1.234,5", "1234.50"),
            ("1,234.5", "1234.50"),
            ("1.500", "1500"),
            ("1.5", "1.50"),
            (12, "12"),
        ],
    )
    def test_it_reads_decimal_commas_and_grouping_dots(self, typed, expected):
        assert parse_quantity(typed) == Decimal(expected)

    @pytest.mark.parametrize("typed", ["0", "-1", "1,234", "x", "", "1,005"])
    def test_it_refuses_zero_negative_three_decimals_and_text(self, typed):
        if typed in ("1,234", "1,005"):  # a comma alone is the decimal mark: three decimals are refused
            with pytest.raises(ValueError, match="hai chữ số"):
                parse_quantity(typed)
            return
        with pytest.raises(ValueError):
            parse_quantity(typed)

    @pytest.mark.parametrize("typed", ["1e30", "9" * 40, 1e300, Decimal("1E+28")])
    def test_a_huge_number_is_refused_as_too_large_not_a_crash(self, typed):
        """Found by the importer fuzzing: quantizing 1e30 to two places raised decimal.InvalidOperation."""
        with pytest.raises(ValueError, match="quá lớn"):
            parse_quantity(typed)

    def test_it_formats_the_vietnamese_way(self):
        assert format_quantity(Decimal("1234.50")) == "1.234,5"
        assert format_quantity(Decimal("12.00")) == "12"
        assert format_quantity(None) == ""
