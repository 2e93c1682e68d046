"""Page patterns any list can use (see the README's "Page patterns"): the active filters of a filter form, shown
in one line above the table beside the total, each with a link that drops it."""

from django import forms, template
from django.http import QueryDict

register = template.Library()

EMPTY = (None, "", [], ())


def _flat(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            yield from _flat(label)
        else:
            yield value, label


def _shown(field, value) -> str:
    if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
        if isinstance(value, bool):
            return ""
        return str(value)
    labels = {str(v): label for v, label in _flat(field.choices)}
    if isinstance(value, (list, tuple)):
        return ", ".join(str(labels.get(str(v), v)) for v in value)
    return str(labels.get(str(value), value))


@register.simple_tag
def active_filters(form, query: QueryDict | None = None) -> list[dict]:
    """[{name, label, value, clear}] for each filter of a bound, checked form that has a value: `clear` is the query
    string without that filter (and without the page number), for a link that drops it."""
    if not getattr(form, "is_bound", False) or not hasattr(form, "cleaned_data"):
        return []
    chips = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in EMPTY or value is False or (hasattr(value, "exists") and not value.exists()):
            continue
        if hasattr(value, "exists"):  # a queryset (multiple choice)
            value = list(value)
        shown = _shown(field, value)
        if not shown:
            continue
        rest = (query or QueryDict()).copy()
        for key in (form.add_prefix(name), "page"):
            rest.pop(key, None)
        chips.append({"name": name, "label": field.label, "value": shown, "clear": rest.urlencode()})
    return chips
