from django import forms
from django.utils.translation import gettext_lazy as _

from apps.schools.models import Level, Organisation, School


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã trường"), required=False)
    level = forms.TypedChoiceField(
        label=_("Cấp học"),
        choices=[("", _("Mọi cấp học"))] + Level.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    ownership = forms.ChoiceField(
        label=_("Loại hình"), choices=[("", _("Mọi loại hình"))] + School.Ownership.choices, required=False
    )


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Tên trường"), max_length=200)
    levels = forms.TypedMultipleChoiceField(
        label=_("Cấp học"), choices=Level.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    ownership = forms.ChoiceField(label=_("Loại hình"), choices=School.Ownership.choices)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def cleaned_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["levels"] = sum(set(data["levels"]))
        return data


class SchoolCreateForm(SchoolForm):
    moet_code = forms.CharField(label=_("Mã trường (CSDL ngành)"), max_length=20)
    location = forms.ModelChoiceField(label=_("Xã, phường, đặc khu"), queryset=None, empty_label=_("— Chọn —"))

    field_order = ["moet_code", "name", "levels", "ownership", "location", "address", "phone", "email"]

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Tên điểm trường"), max_length=150)
    hamlet = forms.ModelChoiceField(label=_("Thôn"), queryset=None, required=False, empty_label=_("— Chọn —"))
    is_main = forms.BooleanField(label=_("Điểm chính"), required=False)

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tổ chức"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Tên tổ chức"), max_length=200)
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class CalendarForm(forms.Form):
    """A school year's dates; left empty, a date takes the default calendar's."""

    starts_on = forms.DateField(label=_("Bắt đầu năm học"), widget=DateInput(), required=False)
    opening_day = forms.DateField(label=_("Ngày khai giảng"), widget=DateInput(), required=False)
    semester1_ends_on = forms.DateField(label=_("Kết thúc học kỳ I"), widget=DateInput(), required=False)
    teaching_ends_on = forms.DateField(label=_("Kết thúc năm học"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Kết thúc (trước năm học sau)"), widget=DateInput(), required=False)
    count_day = forms.DateField(
        label=_("Ngày chốt số liệu"),
        help_text=_("Ngày trích xuất sĩ số chính thức (mặc định 22/9), từ khai giảng đến hết học kỳ I."),
        widget=DateInput(),
        required=False,
    )


class SchoolYearForm(CalendarForm):
    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=None, empty_label=_("— Chọn —"))
    start_year = forms.IntegerField(label=_("Năm bắt đầu"), min_value=2000, max_value=2100)

    field_order = ["province", "start_year"]

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class CatchmentForm(forms.Form):
    """The units a school draws its children of each level from: one multiple choice per level it teaches."""

    def __init__(self, *args, levels, units, **kwargs):
        super().__init__(*args, **kwargs)
        for level in levels:
            self.fields[f"level_{int(level)}"] = forms.ModelMultipleChoiceField(
                label=level.label, queryset=units, required=False, widget=forms.CheckboxSelectMultiple
            )
