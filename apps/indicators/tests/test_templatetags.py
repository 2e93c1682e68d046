"""How a figure reads on a page (`indicators` template filters)."""

from django.utils import translation

from apps.indicators.registry import NOT_YET, Value
from apps.indicators.templatetags.indicators import counts, rate


def test_a_rate_is_rounded_not_cut():
    with translation.override("vi"):
        assert rate(Value(numerator=4, denominator=6)) == "66,7 %"
        assert rate(Value(numerator=1, denominator=8)) == "12,5 %"
        assert rate(Value(numerator=2, denominator=3)) == "66,7 %"
        assert rate(Value(numerator=1, denominator=3)) == "33,3 %"


def test_no_data_and_not_yet_read_as_words():
    with translation.override("vi"):
        assert rate(Value(numerator=0, denominator=0)) == "Chưa có số liệu"
        assert rate(Value(numerator=0, denominator=0, note=NOT_YET)) == "Chưa đến kỳ"
        assert counts(Value(numerator=1234, denominator=5678)) == "1.234/5.678"
