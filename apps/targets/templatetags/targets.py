from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def normalize(value) -> str:
    """A target's value without trailing zeros, in the page's number format: 99.500 → "99,5"."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return formats.number_format(value, use_l10n=True)


@register.filter
def vnd(amount) -> str:
    """An amount in đồng as people write it: 1250000 → "1.250.000 ₫"."""
    from apps.core.money import format_vnd

    return format_vnd(amount) if amount is not None else ""
