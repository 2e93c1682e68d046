from django import template

from apps.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """1250000 → "1.250.000 ₫"."""
    return format_vnd(amount)
