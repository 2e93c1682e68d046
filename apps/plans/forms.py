"""Forms of the plans' pages: they read what people type and hand clean values to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.plans.models import Kind, Signatory, Task

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

    body = forms.ChoiceField(label=_("Cơ quan ban hành"), required=False)

    def __init__(self, *args, owners=(), years=None, bodies=None, **kwargs):
        """`bodies`: owner key → its issuing bodies; the choice is offered only where an owner has several."""
        super().__init__(*args, **kwargs)
        self.owners = {key: obj for key, obj, _label in owners}
        self.fields["owner"].choices = [(key, label) for key, _obj, label in owners]
        self.fields["school_year"].queryset = years
        self.fields["school_year"].label_from_instance = lambda y: y.name
        self.bodies = {key: list(found) for key, found in (bodies or {}).items()}
        if not any(len(found) > 1 for found in self.bodies.values()):
            del self.fields["body"]
            return
        labels = dict(self.fields["owner"].choices)
        self.fields["body"].choices = [("", _("Cơ quan ban hành đầu tiên của đơn vị"))] + [
            (str(b.pk), f"{labels[key]}: {b.name} ({b.abbreviation})")
            for key, found in self.bodies.items()
            if len(found) > 1
            for b in found
        ]

    def clean(self):
        data = super().clean()
        chosen = data.get("body")
        if chosen and data.get("owner"):
            match = [b for b in self.bodies.get(data["owner"], []) if str(b.pk) == chosen]
            if not match:
                self.add_error("body", _("Cơ quan ban hành không thuộc đơn vị lập kế hoạch."))
            else:
                data["body"] = match[0]
        elif "body" in data:
            data["body"] = None
        return data

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
    body = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None, empty_label=None)

    def __init__(self, *args, bodies=None, **kwargs):
        """`bodies`: the owner's issuing bodies; the choice is offered only where it has several."""
        super().__init__(*args, **kwargs)
        if bodies is None or len(bodies) < 2:
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies
            self.fields["body"].label_from_instance = lambda b: f"{b.name} ({b.abbreviation})"

    @classmethod
    def initial_of(cls, plan) -> dict:
        return {
            "body": plan.body_id,
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


COMPARISONS = [(">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<")]


def _levels():
    from apps.schools.models import Level

    return [(0, _("Mọi cấp học")), *Level.choices]


class TargetForm(forms.Form):
    label = forms.CharField(label=_("Nội dung chỉ tiêu"), max_length=300)
    mode = forms.ChoiceField(
        label=_("Cách đánh giá"),
        choices=[("attested", _("Xác nhận đạt/không đạt")), ("computed", _("Tính từ số liệu"))],
    )
    indicator = forms.CharField(label=_("Mã chỉ số"), max_length=40, required=False)
    level = forms.TypedChoiceField(label=_("Cấp học"), choices=_levels, coerce=int, required=False, empty_value=0)
    comparison = forms.ChoiceField(label=_("So sánh"), choices=COMPARISONS)
    value = forms.CharField(label=_("Giá trị"), max_length=20, required=False)

    @classmethod
    def initial_of(cls, target) -> dict:
        return {
            "label": target.label,
            "mode": target.mode,
            "indicator": target.indicator,
            "level": target.level,
            "comparison": target.comparison or ">=",
            "value": "" if target.value is None else f"{target.value.normalize():f}",
        }


class LinkedTargetForm(forms.Form):
    """A target computed from a registered object of a linkable kind (`apps.plans.linkable`): a registered target,
    a fund, a standards' criterion…, within the user's scope."""

    label = forms.CharField(label=_("Nội dung chỉ tiêu"), max_length=300)
    link = forms.ChoiceField(label=_("Chỉ tiêu liên kết"))
    comparison = forms.ChoiceField(label=_("So sánh"), choices=COMPARISONS)
    value = forms.CharField(label=_("Giá trị"), max_length=20, required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        """`kinds`: [(kind label, [(key "code:id", object label)])], the user's choices grouped by kind."""
        super().__init__(*args, **kwargs)
        self.fields["link"].choices = [(str(label), options) for label, options in kinds if options]

    @classmethod
    def initial_of(cls, target) -> dict:
        return {
            "label": target.label,
            "link": f"{target.link_kind}:{target.link_id}",
            "comparison": target.comparison or ">=",
            "value": "" if target.value is None else f"{target.value.normalize():f}",
        }

    def values(self) -> dict:
        code, _sep, pk = self.cleaned_data["link"].rpartition(":")
        return {
            "label": self.cleaned_data["label"],
            "mode": "computed",
            "link_kind": code,
            "link_id": int(pk),
            "comparison": self.cleaned_data["comparison"],
            "value": self.cleaned_data["value"],
        }


class AssessForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Đánh giá"),
        choices=[("1", _("Đạt")), ("0", _("Chưa đạt"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Minh chứng, ghi chú"), max_length=500, required=False)
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False)


class SignatoryForm(forms.Form):
    """A party of the plan: its label, the prefix lines stacked above the title, the title and name, whether it
    signs or confirms, and the account that agrees for it (none: signed on paper, recorded by the owner)."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=Signatory.Role.choices)
    party = forms.CharField(label=_("Bên ký"), max_length=150, required=False)
    prefixes = forms.CharField(
        label=_("Dòng thẩm quyền (mỗi dòng một dòng, ví dụ TM. …, KT. …)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    title = forms.CharField(label=_("Chức vụ"), max_length=150)
    name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    account = forms.ChoiceField(label=_("Tài khoản thống nhất thay mặt bên ký"), required=False)

    def __init__(self, *args, plan=None, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = {}
        if plan is not None:
            self.accounts["owner"] = {"school": plan.school} if plan.school_id else {"org_unit": plan.org_unit}
            if plan.confirming_unit_id:
                self.accounts["confirming"] = {"org_unit": plan.confirming_unit}
        self.accounts.update({f"org:{o.pk}": {"organisation": o} for o in organisations})
        labels = {"owner": str(plan.owner) if plan else "", "confirming": str(plan.confirming_unit) if plan else ""}
        self.fields["account"].choices = [("", _("Không có tài khoản (ký trên giấy)"))] + [
            (key, labels.get(key) or str(next(iter(value.values())))) for key, value in self.accounts.items()
        ]

    @staticmethod
    def account_of(s) -> str:
        if s.organisation_id:
            return f"org:{s.organisation_id}"
        if s.school_id or (s.org_unit_id and s.org_unit_id == s.plan.org_unit_id):
            return "owner"
        if s.org_unit_id and s.org_unit_id == s.plan.confirming_unit_id:
            return "confirming"
        return ""

    @classmethod
    def initial_of(cls, s) -> dict:
        return {
            "role": s.role,
            "party": s.party,
            "prefixes": "\n".join(s.prefixes),
            "title": s.title,
            "name": s.name,
            "account": cls.account_of(s),
        }

    def values(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("role", "party", "prefixes", "title", "name")}
        data["prefixes"] = lines(data["prefixes"])
        return {**data, **self.accounts.get(self.cleaned_data["account"], {})}


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
