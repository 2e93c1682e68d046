"""How a figure reads on a page: its rate with its two counts, "no data" for a zero denominator, "not yet"."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from apps.indicators.registry import NOT_YET

register = template.Library()


@register.filter
def rate(value) -> str:
    if value is None:
        return ""
    if value.note == NOT_YET:
        return _("Chưa đến kỳ")
    if value.rate is None:
        return _("Chưa có số liệu")
    return f"{formats.number_format(value.rate, 1, use_l10n=True)} %"


@register.filter
def counts(value) -> str:
    if value is None or value.note:
        return ""
    return f"{formats.number_format(value.numerator, use_l10n=True, force_grouping=True)}/" + formats.number_format(
        value.denominator, use_l10n=True, force_grouping=True
    )


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
