from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.definitions import NET_LEVELS
from apps.indicators.models import Period, Threshold
from apps.schools.models import Level

LEVEL_NAMES = {
    int(Level.CRECHE | Level.KINDERGARTEN): _("Mầm non (0–5 tuổi)"),
    int(Level.CRECHE): _("Nhà trẻ (0–2 tuổi)"),
    int(Level.KINDERGARTEN): _("Mẫu giáo (3–5 tuổi)"),
    int(Level.PRIMARY): _("Tiểu học"),
    int(Level.LOWER_SECONDARY): _("Trung học cơ sở"),
    int(Level.UPPER_SECONDARY): _("Trung học phổ thông"),
}
BREAKDOWN_NAMES = {
    "sex": _("Giới tính"),
    "ethnicity": _("Dân tộc"),
    "grade": _("Khối lớp"),
    "phase": _("Giai đoạn"),
    "poor": _("Hộ nghèo"),
    "near_poor": _("Hộ cận nghèo"),
    "orphan": _("Mồ côi"),
    "disability": _("Khuyết tật"),
    "remote_area": _("Vùng đặc biệt khó khăn"),
}


class FigureFilter(forms.Form):
    """The year, period and level a page of figures shows."""

    year = forms.TypedChoiceField(label=_("Năm học"), coerce=int, required=False, empty_value=None)
    period = forms.ChoiceField(label=_("Kỳ"), choices=Period.choices, required=False, initial=Period.YEAR)
    level = forms.TypedChoiceField(
        label=_("Cấp học"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Tất cả"))] + [(lv, LEVEL_NAMES[lv]) for lv in NET_LEVELS],
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.start_year, y.name) for y in years]


class BreakdownForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Chỉ số"))
    by = forms.ChoiceField(label=_("Phân tổ theo"), choices=list(BREAKDOWN_NAMES.items()))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.label) for i in indicators if i.breakdowns]


class SnapshotSearchForm(forms.Form):
    """Find the frozen row to amend: a school (of those the user amends), a class, a part of the child's name."""

    school = forms.TypedChoiceField(label=_("Trường"), coerce=int, empty_value=None)
    class_group = forms.TypedChoiceField(label=_("Lớp"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("Họ và tên"), required=False, max_length=100)

    def __init__(self, *args, schools=(), classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]
        self.fields["class_group"].choices = [("", _("Tất cả các lớp"))] + [(c.pk, c.name) for c in classes]


class AmendForm(forms.Form):
    """An amendment of one frozen row: the field from a list, then its new value from the values that field may
    take for the row (`snapshots.allowed_values`: the school's grades, the registry's ethnicities…), and a reason.
    Built for the field chosen (`field`), so the value's list is that field's; the service checks it again."""

    field = forms.ChoiceField(label=_("Trường dữ liệu"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)

    def __init__(self, *args, row, field: str | None = None, **kwargs):
        from apps.indicators.snapshots import AMEND_FIELDS, allowed_values

        super().__init__(*args, **kwargs)
        self.row = row
        self.fields["field"].choices = [("", _("— Chọn —"))] + list(AMEND_FIELDS.items())
        self.chosen = field if field in AMEND_FIELDS else None
        if self.chosen == "circumstances":
            self.fields["new"] = forms.MultipleChoiceField(
                label=_("Hoàn cảnh gia đình mới"),
                choices=allowed_values(row, "circumstances"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        elif self.chosen:
            # A list to choose from; the value is checked by the service, whose message names what is wrong.
            self.fields["new"] = forms.CharField(
                label=_("Giá trị mới"),
                max_length=30,
                widget=forms.Select(choices=[("", _("— Chọn —"))] + allowed_values(row, self.chosen)),
            )
        self.fields["reason"].required = bool(self.chosen)
        self.order_fields(["field", "new", "reason"])

    def clean_field(self):
        field = self.cleaned_data["field"]
        if field != self.chosen:
            raise forms.ValidationError(_("Hãy chọn trường dữ liệu rồi chọn giá trị mới."))
        return field

    def clean_new(self):
        new = self.cleaned_data["new"]
        if self.chosen == "circumstances":
            return str(sum(int(bit) for bit in new))
        return new


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["label", "value", "dbkk_value", "verified", "source"]


class AttestedInputForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Tiêu chí"))
    met = forms.NullBooleanField(label=_("Đạt"), required=False)
    value = forms.DecimalField(label=_("Tỷ lệ (%)"), max_digits=6, decimal_places=3, required=False)
    evidence = forms.CharField(label=_("Minh chứng"), max_length=255)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = list(criteria)
