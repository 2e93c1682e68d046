from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators import registry
from apps.targets import catalogue
from apps.targets.models import Comparison


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PublishForm(forms.Form):
    """A unit's defaults: the deadline and, for each row of the catalogue, a comparison and a value (blank: not
    published)."""

    deadline = forms.DateField(label=_("Hạn đăng ký"), widget=DateInput())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.rows = []
        for row in catalogue.ROWS:
            found = current.get((row.indicator, row.level))
            label = f"{registry.get(row.indicator).label} — {row.level_label}"
            cmp_name, val_name = f"cmp-{row.key}", f"val-{row.key}"
            self.fields[cmp_name] = forms.ChoiceField(
                label=_("So sánh"),
                choices=Comparison.choices,
                initial=found.comparison if found else row.comparison,
            )
            self.fields[val_name] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=6,
                decimal_places=3,
                min_value=0,
                max_value=100,
                initial=found.value if found else row.default,
            )
            self.rows.append({"row": row, "label": label, "cmp": self[cmp_name], "val": self[val_name]})

    def published_rows(self):
        out = []
        for row in catalogue.ROWS:
            value = self.cleaned_data.get(f"val-{row.key}")
            if value is not None:
                out.append((row.indicator, row.level, self.cleaned_data[f"cmp-{row.key}"], value))
        return out


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReopenForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput())
    deadline = forms.DateField(label=_("Hạn mới"), widget=DateInput())  # checked by the service: after today
