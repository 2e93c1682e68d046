"""How a figure reads on a page: its rate with its two counts, "no data" for a zero denominator, "not yet"."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from apps.core.money import format_vnd
from apps.indicators.registry import NOT_YET, Indicator

register = template.Library()


@register.filter
def rate(value) -> str:
    if value is None:
        return ""
    if value.note == NOT_YET:
        return _("Chưa đến kỳ")
    if value.rate is None:
        return _("Chưa có số liệu")
    # Rounded from the two counts (Django's number_format cuts the decimals it does not show: 4/6 read "66,6 %").
    shown = (Decimal(value.numerator * 100) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{formats.number_format(shown, 1, use_l10n=True)} %"


@register.filter
def counts(value, unit: str = "") -> str:
    """The two counts, "12/15"; for a money indicator (`{{ v|counts:indicator.unit }}`) in đồng, "4.500.000 ₫ /
    4.000.000 ₫"."""
    if value is None or value.note:
        return ""
    if unit == Indicator.MONEY:
        return f"{format_vnd(value.numerator)} / {format_vnd(value.denominator)}"
    return f"{formats.number_format(value.numerator, use_l10n=True, force_grouping=True)}/" + formats.number_format(
        value.denominator, use_l10n=True, force_grouping=True
    )


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def frozen(value, field: str) -> str:
    """A snapshot row's value in words (`{{ row.status|frozen:"status" }}` → "Bỏ học")."""
    from apps.indicators.snapshots import describe

    return describe(field, str(value))


@register.filter
def index(sequence, i: int):
    """The i-th item (`{{ table.below|index:forloop.counter0 }}`), None past the end."""
    try:
        return sequence[i]
    except (IndexError, TypeError):
        return None
