from django import forms
from django.utils.translation import gettext_lazy as _


class HamletForm(forms.Form):
    name = forms.CharField(label=_("Tên thôn"), max_length=150)
    qualifier = forms.CharField(
        label=_("Phân biệt (tên xã cũ)"),
        max_length=100,
        required=False,
        help_text=_("Chỉ cần khi xã mới có hai thôn trùng tên từ các xã cũ."),
    )


class HamletImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách thôn (.xlsx, .xls, .ods, .csv)"))


class RetireForm(forms.Form):
    on = forms.DateField(
        label=_("Thôi hiệu lực từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận thôn này đã sáp nhập hoặc giải thể (có thể hoàn tác)."), required=True
    )
