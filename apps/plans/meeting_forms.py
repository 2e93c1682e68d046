"""Forms of the meetings' and periodic reports' pages: they read what people type and hand clean values to the
services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.plans.forms import DATE_FORMATS
from apps.plans.models import Meeting, MeetingKind, ReportPeriod


class MeetingForm(forms.Form):
    owner = forms.ChoiceField(label=_("Thuộc"))
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=MeetingKind.choices)
    round = forms.TypedChoiceField(
        label=_("Đợt họp"), choices=[("", "—"), *Meeting.ROUNDS], coerce=int, empty_value=None, required=False
    )
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    held_on = forms.DateField(label=_("Ngày họp"), input_formats=DATE_FORMATS)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    chair = forms.CharField(label=_("Chủ trì"), max_length=150, required=False)
    secretary = forms.CharField(label=_("Thư ký"), max_length=150, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {key: obj for key, obj, _label in owners}
        self.fields["owner"].choices = [(key, label) for key, _obj, label in owners]

    def owner_kwargs(self) -> dict:
        obj = self.owners[self.cleaned_data["owner"]]
        return {"school": obj} if self.cleaned_data["owner"].startswith("school:") else {"org_unit": obj}


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Nội dung biên bản"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class AttendeeForm(forms.Form):
    party = forms.CharField(label=_("Thành phần"), max_length=200, required=False)
    organisation = forms.ChoiceField(label=_("Tổ chức"), required=False)
    person = forms.CharField(label=_("Người dự"), max_length=150, required=False)
    count = forms.IntegerField(label=_("Số người"), min_value=1, initial=1, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [("", "—")] + [(k, o.name) for k, o in self.organisations.items()]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kết luận"), max_length=500)
    due_on = forms.DateField(label=_("Hạn"), input_formats=DATE_FORMATS)
    owner = forms.ChoiceField(label=_("Người, đơn vị thực hiện"))
    agency = forms.CharField(label=_("Cơ quan, người không có tài khoản"), max_length=200, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {f"org:{o.pk}": o for o in organisations}
        self.fields["owner"].choices = [
            ("owner", _("Đơn vị chủ trì cuộc họp")),
            ("agency", _("Cơ quan, người không có tài khoản")),
        ] + [(key, o.name) for key, o in self.organisations.items()]

    def owner_kwargs(self) -> dict:
        key = self.cleaned_data["owner"]
        if key == "agency":
            return {"agency": self.cleaned_data["agency"] or "—"}
        if key in self.organisations:
            return {"organisation": self.organisations[key]}
        return {}


class ScheduleForm(forms.Form):
    title = forms.CharField(label=_("Tên báo cáo"), max_length=300)
    reporter = forms.ChoiceField(label=_("Đơn vị báo cáo"))
    receiver = forms.ChoiceField(label=_("Nơi nhận báo cáo"))
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=ReportPeriod.choices)
    deadline_days = forms.IntegerField(label=_("Hạn nộp (số ngày sau kỳ)"), min_value=0, max_value=120, initial=10)

    def __init__(self, *args, reporters=(), receivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reporters = {key: obj for key, obj, _label in reporters}
        self.receivers = {key: obj for key, obj, _label in receivers}
        self.fields["reporter"].choices = [(key, label) for key, _obj, label in reporters]
        self.fields["receiver"].choices = [(key, label) for key, _obj, label in receivers]

    def kwargs(self) -> dict:
        kind, _sep, _pk = self.cleaned_data["reporter"].partition(":")
        reporter = {"school": "school", "unit": "org_unit", "org": "organisation"}[kind]
        rkind = self.cleaned_data["receiver"].partition(":")[0]
        receiver = "receiver_school" if rkind == "school" else "receiver_unit"
        return {
            reporter: self.reporters[self.cleaned_data["reporter"]],
            receiver: self.receivers[self.cleaned_data["receiver"]],
        }


class NewReportForm(forms.Form):
    on = forms.DateField(label=_("Một ngày trong kỳ báo cáo"), input_formats=DATE_FORMATS)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}))
