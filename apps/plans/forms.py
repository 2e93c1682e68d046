"""Forms of the plans' pages: they read what people type and hand clean values to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.plans.models import Kind, Task

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def pairs(text: str, a: str, b: str) -> list[dict]:
    """ "name|purpose" lines → [{a: name, b: purpose}]."""
    out = []
    for line in lines(text):
        left, _sep, right = line.partition("|")
        out.append({a: left.strip(), b: right.strip()} if right.strip() else {a: left.strip()})
    return out


def unpairs(items: list[dict], a: str, b: str) -> str:
    return "\n".join(f"{i.get(a, '')}|{i[b]}" if i.get(b) else i.get(a, "") for i in items)


class NewPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kế hoạch"), choices=Kind.choices)
    owner = forms.ChoiceField(label=_("Thuộc"))
    school_year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, required=False)

    def __init__(self, *args, owners=(), years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {key: obj for key, obj, _label in owners}
        self.fields["owner"].choices = [(key, label) for key, _obj, label in owners]
        self.fields["school_year"].queryset = years
        self.fields["school_year"].label_from_instance = lambda y: y.name

    def owner_kwargs(self) -> dict:
        key = self.cleaned_data["owner"]
        return {"school" if key.startswith("school:") else "org_unit": self.owners[key]}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    period_start = forms.DateField(label=_("Từ ngày"), input_formats=DATE_FORMATS)
    period_end = forms.DateField(label=_("Đến ngày"), input_formats=DATE_FORMATS)
    implements_text = forms.CharField(label=_("Thực hiện văn bản"), max_length=300, required=False)
    basis = forms.CharField(
        label=_("Căn cứ (mỗi dòng một căn cứ)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    purposes = forms.CharField(label=_("Mục đích, yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    contents = forms.CharField(
        label=_("Nội dung và giải pháp"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    targets_text = forms.CharField(
        label=_("Chỉ tiêu (lời dẫn)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    organisation_text = forms.CharField(
        label=_("Tổ chức thực hiện"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reporting = forms.CharField(label=_("Chế độ báo cáo"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng: tên|mục đích)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    annexes = forms.CharField(
        label=_("Phụ lục (mỗi dòng: tiêu đề|nội dung)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @classmethod
    def initial_of(cls, plan) -> dict:
        return {
            "title": plan.title,
            "period_start": plan.period_start.strftime("%d/%m/%Y"),
            "period_end": plan.period_end.strftime("%d/%m/%Y"),
            "implements_text": plan.implements_text,
            "basis": "\n".join(plan.basis),
            "purposes": plan.purposes,
            "contents": plan.contents,
            "targets_text": plan.targets_text,
            "organisation_text": plan.organisation_text,
            "reporting": plan.reporting,
            "recipients": unpairs(plan.recipients, "name", "purpose"),
            "annexes": unpairs(plan.annexes, "title", "text"),
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["basis"] = lines(data["basis"])
        data["recipients"] = pairs(data["recipients"], "name", "purpose")
        data["annexes"] = pairs(data["annexes"], "title", "text")
        return data


class TargetForm(forms.Form):
    label = forms.CharField(label=_("Nội dung chỉ tiêu"), max_length=300)
    mode = forms.ChoiceField(
        label=_("Cách đánh giá"),
        choices=[("attested", _("Xác nhận đạt/không đạt")), ("computed", _("Tính từ số liệu"))],
    )
    indicator = forms.CharField(label=_("Mã chỉ số"), max_length=40, required=False)
    comparison = forms.ChoiceField(label=_("So sánh"), choices=[(">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<")])
    value = forms.CharField(label=_("Giá trị"), max_length=20, required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Nội dung công việc"), max_length=500)
    months = forms.CharField(label=_("Tháng (ví dụ 9/2025 hoặc 10+11/2025)"), max_length=30, required=False)
    due_on = forms.DateField(label=_("Hoặc hạn"), input_formats=DATE_FORMATS, required=False)
    owner = forms.ChoiceField(label=_("Người, đơn vị thực hiện"))
    agency = forms.CharField(label=_("Cơ quan, người không có tài khoản"), max_length=200, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {f"org:{o.pk}": o for o in organisations}
        self.fields["owner"].choices = [
            ("owner", _("Đơn vị lập kế hoạch")),
            ("agency", _("Cơ quan, người không có tài khoản")),
        ] + [(key, o.name) for key, o in self.organisations.items()]

    def owner_kwargs(self) -> dict:
        key = self.cleaned_data["owner"]
        if key == "agency":
            return {"agency": self.cleaned_data["agency"] or "—"}
        if key in self.organisations:
            return {"organisation": self.organisations[key]}
        return {}


class PaperForm(forms.Form):
    scan = forms.FileField(label=_("Bản quét văn bản đã ký"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Task.Status.choices)
    note = forms.CharField(label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500, required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"))
