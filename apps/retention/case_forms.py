"""Forms of dropout cases and the hotline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.retention.models import CaseIntervention, DropoutCase
from apps.students.models import DropoutReason, Grade

DATE = forms.DateInput(attrs={"type": "date"})


class CaseUpdateForm(forms.Form):
    cause = forms.ChoiceField(label=_("Nguyên nhân"), choices=DropoutReason.choices)
    cause_text = forms.CharField(label=_("Ghi rõ nguyên nhân"), max_length=255, required=False)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Biện pháp"), choices=CaseIntervention.Kind.choices)
    on = forms.DateField(label=_("Ngày"), widget=DATE)
    by = forms.CharField(label=_("Người thực hiện"), max_length=150)
    note = forms.CharField(
        label=_("Ghi chú"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Ngày theo dõi"), widget=DATE)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=[("", "—"), *DropoutCase.Outcome.choices], required=False)
    on = forms.DateField(label=_("Ngày"), widget=DATE, required=False)
    school = forms.ModelChoiceField(label=_("Trường trở lại học"), queryset=None, required=False)
    grade = forms.ChoiceField(label=_("Khối"), choices=[("", "—"), *Grade.choices], required=False)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

    def clean_outcome(self):
        if not self.cleaned_data.get("outcome"):
            raise forms.ValidationError(_("Hãy chọn kết quả: hồ sơ chỉ kết thúc khi có kết quả."))
        return self.cleaned_data["outcome"]


class ReportForm(forms.Form):
    """The public report (and the officer's phone intake): nothing here is ever shown back publicly."""

    child_text = forms.CharField(label=_("Tên hoặc mô tả trẻ"), max_length=300)
    age = forms.IntegerField(label=_("Tuổi"), min_value=3, max_value=18, required=False)
    commune = forms.CharField(
        label=_("Xã, phường nơi trẻ ở"),
        max_length=200,
        help_text=_("Ví dụ: Xã Trà Linh, Đà Nẵng"),
    )
    hamlet_text = forms.CharField(label=_("Thôn, tổ dân phố"), max_length=150, required=False)
    known = forms.CharField(
        label=_("Điều bạn biết"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(
        label=_("Liên hệ của bạn (không bắt buộc)"),
        max_length=200,
        required=False,
        help_text=_("Chỉ cán bộ xử lý tin báo thấy."),
    )
    website = forms.CharField(  # the honeypot: hidden from people, filled by robots
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )


class StatusForm(forms.Form):
    code = forms.CharField(label=_("Mã tra cứu"), max_length=12)


class ReportCloseForm(forms.Form):
    reason = forms.CharField(label=_("Lý do kết thúc"), max_length=500)


class NumberForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    published = forms.BooleanField(label=_("Công bố"), required=False, initial=True)
