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
