from django import template

from apps.core.money import format_quantity, format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """1234567 → "1.234.567 ₫"."""
    return format_vnd(amount) if amount not in (None, "") else "—"


@register.filter
def qty(quantity):
    return format_quantity(quantity)
