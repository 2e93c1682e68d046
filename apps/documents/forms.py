"""Forms of the documents' pages: they read what people type and hand clean values to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import statedoc
from apps.documents.models import Numbering

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RegisterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1990, max_value=2200)
    type_code = forms.CharField(label=_("Mã loại"), required=False, max_length=10)


class BodyForm(forms.Form):
    owner = forms.ChoiceField(label=_("Thuộc"))
    name = forms.CharField(label=_("Tên cơ quan ban hành"), max_length=200)
    parent_name = forms.CharField(label=_("Cơ quan chủ quản"), max_length=200, required=False)
    abbreviation = forms.CharField(label=_("Chữ viết tắt"), max_length=20)
    place = forms.CharField(label=_("Địa danh"), max_length=100)
    numbering = forms.ChoiceField(label=_("Cách đánh số"), choices=Numbering.choices)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {key: obj for key, obj, _label in owners}
        self.fields["owner"].choices = [(key, label) for key, _obj, label in owners]

    def owner_kwargs(self) -> dict:
        key = self.cleaned_data["owner"]
        kind = key.split(":", 1)[0]
        return {{"school": "school", "unit": "org_unit", "org": "organisation"}[kind]: self.owners[key]}


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"))
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    issued_on = forms.DateField(label=_("Ngày ban hành"), input_formats=DATE_FORMATS)
    text = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50_000,
        help_text=_("Mỗi đoạn cách nhau một dòng trống."),
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150, required=False)
    prefixes = forms.CharField(
        label=_("Dòng thẩm quyền ký"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một cấp, ví dụ TM. ỦY BAN NHÂN DÂN rồi KT. CHỦ TỊCH."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận: tên | mục đích. Dòng Lưu: VT luôn ở cuối."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in kinds]

    def prefix_lines(self) -> tuple[str, ...]:
        return tuple(_lines(self.cleaned_data["prefixes"]))

    def recipient_list(self) -> list[statedoc.Recipient] | None:
        lines = _lines(self.cleaned_data["recipients"])
        if not lines:
            return None
        return [statedoc.Recipient(*(part.strip() for part in line.split("|", 1))) for line in lines]


class PaperForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"))
    number = forms.IntegerField(
        label=_("Số trên văn bản giấy"),
        required=False,
        min_value=1,
        max_value=99_999,
        help_text=_("Để trống để lấy số tiếp theo của sổ."),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), input_formats=DATE_FORMATS)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150, required=False)
    scan = forms.FileField(label=_("Bản quét (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in kinds]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG, DOCX, XLSX)"))
