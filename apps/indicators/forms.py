from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.definitions import NET_LEVELS
from apps.indicators.models import Period, SnapshotRow, Threshold
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


class AmendForm(forms.Form):
    field = forms.ChoiceField(label=_("Trường dữ liệu"), choices=[(f, f) for f in SnapshotRow.AMENDABLE])
    new = forms.CharField(label=_("Giá trị mới"), max_length=30)
    reason = forms.CharField(label=_("Lý do"), max_length=255)


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
