"""Forms of the national standard schools' pages: each checks the shape of the input; the services check the rest."""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import scope_for
from apps.orgunits.models import OrgUnit
from apps.schools.models import School
from apps.standards.models import (
    ConstructionItem,
    CouncilMember,
    Indicator,
    ItemKind,
    Recognition,
    Source,
    SteeringMember,
)


class TextForm(forms.Form):
    kind = forms.ChoiceField(choices=[("standard", "standard"), ("criterion", "criterion"), ("indicator", "indicator")])
    pk = forms.IntegerField(min_value=1)
    text = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Họ tên"), max_length=120)
    position = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=CouncilMember.Role.choices)


class AssignForm(forms.Form):
    criterion = forms.IntegerField(min_value=1)
    member = forms.IntegerField(min_value=1, required=False)


class AssessmentForm(forms.Form):
    current_state = forms.CharField(
        label=_("Mô tả hiện trạng"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    strengths = forms.CharField(
        label=_("Điểm mạnh"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    weaknesses = forms.CharField(
        label=_("Điểm yếu"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


def _indicators(criterion):
    return Indicator.objects.filter(criterion=criterion).select_related("criterion__standard")


class PlanItemForm(forms.Form):
    text = forms.CharField(label=_("Nội dung cải tiến"), max_length=500)
    owner = forms.CharField(label=_("Người thực hiện"), max_length=120, required=False)
    due_on = forms.DateField(label=_("Thời hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    indicator = forms.ModelChoiceField(label=_("Cải tiến chỉ báo"), queryset=Indicator.objects.none(), required=False)

    def __init__(self, *args, criterion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criterion is not None:
            self.fields["indicator"].queryset = Indicator.objects.filter(criterion=criterion).select_related(
                "criterion__standard"
            )


class ImprovementLinkForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Cải tiến chỉ báo"), queryset=Indicator.objects.none(), required=False)

    def __init__(self, *args, criterion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(criterion=criterion).select_related(
            "criterion__standard"
        )


class RateForm(forms.Form):
    indicator = forms.IntegerField(min_value=1)
    met = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=500)


class EvidenceForm(forms.Form):
    criterion = forms.IntegerField(min_value=1)
    box = forms.IntegerField(label=_("Hộp"), min_value=1, max_value=999, initial=1)
    title = forms.CharField(label=_("Tên minh chứng"), max_length=300)
    reference = forms.CharField(label=_("Số, ngày ban hành"), max_length=120, required=False)
    issuer = forms.CharField(label=_("Nơi ban hành"), max_length=200, required=False)
    file = forms.FileField(label=_("Tệp"), required=False)


class EvidenceUseForm(forms.Form):
    evidence = forms.IntegerField(min_value=1)
    criterion = forms.IntegerField(min_value=1)


class TargetForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Mức chuẩn quốc gia"), choices=[(1, _("Mức độ 1")), (2, _("Mức độ 2"))], coerce=int
    )
    year = forms.IntegerField(label=_("Năm đạt"), min_value=2000, max_value=2100)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hạng mục"), choices=ItemKind.choices)
    name = forms.CharField(label=_("Tên công trình"), max_length=255)
    year = forms.IntegerField(label=_("Năm thực hiện"), min_value=2000, max_value=2100)
    investor = forms.CharField(label=_("Chủ đầu tư"), max_length=120)
    budget = forms.IntegerField(label=_("Tổng mức đầu tư (₫)"), min_value=0, max_value=10**13)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ConstructionItem.Status.choices)
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)


class FundingForm(forms.Form):
    source = forms.ChoiceField(label=_("Nguồn vốn"), choices=[c for c in Source.choices if c[0] != Source.SOCIAL])
    amount = forms.IntegerField(label=_("Số tiền (₫)"), min_value=1, max_value=10**13)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class PayoutForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Quỹ"), queryset=None)
    amount = forms.IntegerField(label=_("Số tiền (₫)"), min_value=1, max_value=10**13)
    paid_on = forms.DateField(label=_("Ngày chi"), widget=forms.DateInput(attrs={"type": "date"}))
    usage_plan = forms.ModelChoiceField(label=_("Kế hoạch sử dụng đã niêm yết"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.core.scoping import CHANGE
        from apps.funds.models import Fund, UsagePlan

        self.fields["fund"].queryset = Fund.objects.restrict(user, CHANGE)
        self.fields["usage_plan"].queryset = UsagePlan.objects.restrict(user, CHANGE)


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Ảnh"))
    caption = forms.CharField(label=_("Chú thích"), max_length=255, required=False)


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=Recognition.Kind.choices)
    level = forms.IntegerField(label=_("Cấp độ, mức độ"), min_value=1, max_value=4)
    issuer = forms.CharField(label=_("Cơ quan quyết định"), max_length=200)
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    issued_on = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Có giá trị đến"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CommitteeForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Tên ban chỉ đạo"), max_length=255)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Cơ quan quyết định"), max_length=200)
    period_from = forms.IntegerField(label=_("Giai đoạn từ năm"), min_value=2000, max_value=2100)
    period_to = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    review_on = forms.DateField(
        label=_("Sơ kết giữa nhiệm kỳ"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = committee_units(user)


def committee_units(user):
    """The units whose steering committee the user may set up: those they are an officer of (any current commune
    or higher unit for a system administrator)."""
    scope = scope_for(user)
    units = OrgUnit.objects.current().filter(level__lte=OrgUnit.Level.COMMUNE).order_by("path")
    return units if scope.is_admin else units.filter(path__in=scope.officer_paths)


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label=_("Họ tên"), max_length=120)
    position = forms.CharField(label=_("Chức vụ"), max_length=200)
    role = forms.ChoiceField(label=_("Vai trò trong ban"), choices=SteeringMember.Role.choices)
    duty = forms.CharField(
        label=_("Nhiệm vụ được phân công"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CommitteeDutyForm(forms.Form):
    member = forms.IntegerField(min_value=1)
    title = forms.CharField(label=_("Nội dung công việc"), max_length=500)
    due_on = forms.DateField(label=_("Hạn"), widget=forms.DateInput(attrs={"type": "date"}))


class InspectionForm(forms.Form):
    held_on = forms.DateField(label=_("Ngày kiểm tra"), widget=forms.DateInput(attrs={"type": "date"}))
    school = forms.ModelChoiceField(label=_("Trường"), queryset=School.objects.none(), required=False)
    subject = forms.CharField(label=_("Nội dung kiểm tra"), max_length=300)
    conclusion = forms.CharField(
        label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    findings = forms.CharField(
        label=_("Kiến nghị (mỗi dòng một việc: nội dung | hạn dd/mm/yyyy)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committee is not None:
            self.fields["school"].queryset = School.objects.filter(
                Q(managed_by=committee.org_unit_id) | Q(location=committee.org_unit_id)
            ).order_by("name")

    def clean_findings(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["findings"].splitlines(), start=1):
            if not line.strip():
                continue
            text, _bar, due = line.rpartition("|")
            try:
                day = datetime.datetime.strptime(due.strip(), "%d/%m/%Y").date()
            except ValueError:
                raise forms.ValidationError(_("Dòng %(n)s: ghi “nội dung | hạn dd/mm/yyyy”.") % {"n": n}) from None
            rows.append((text.strip(), day))
        return rows
