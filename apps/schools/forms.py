from django import forms
from django.utils.translation import gettext_lazy as _

from apps.schools.models import Level, School


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã trường"), required=False)
    level = forms.TypedChoiceField(label=_("Cấp học"), choices=[("", _("Mọi cấp học"))] + Level.choices,
                                   coerce=int, empty_value=None, required=False)
    ownership = forms.ChoiceField(label=_("Loại hình"), choices=[("", _("Mọi loại hình"))] + School.Ownership.choices,
                                  required=False)


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Tên trường"), max_length=200)
    levels = forms.TypedMultipleChoiceField(label=_("Cấp học"), choices=Level.choices, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)
    ownership = forms.ChoiceField(label=_("Loại hình"), choices=School.Ownership.choices)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def cleaned_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["levels"] = sum(set(data["levels"]))
        return data
