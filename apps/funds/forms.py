"""Forms of the funds' pages: they read what people type (money with dots, quantities with a decimal comma) and
hand clean values to the services, which hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_vnd, parse_quantity, parse_vnd
from apps.funds import purposes
from apps.funds.models import DonationKind, Donor, Kind, Payout, Regime


class MoneyField(forms.CharField):
    """An amount in đồng as people type it ("1.500.000", "1 500 000 ₫"): an int."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_vnd(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class QuantityField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "2,5"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_quantity(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, mã"), required=False)
    kind = forms.ChoiceField(label=_("Loại quỹ"), choices=[("", _("Tất cả"))] + Kind.choices, required=False)


class ListFilterForm(forms.Form):
    """The filters of the lists across funds: one fund, a receipt number or donor's name."""

    fund = forms.ModelChoiceField(label=_("Quỹ"), queryset=None, required=False, empty_label=_("Tất cả"))
    q = forms.CharField(label=_("Số biên nhận, nhà tài trợ"), required=False)

    def __init__(self, *args, funds, search=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        if not search:
            del self.fields["q"]


class FundForm(forms.Form):
    code = forms.CharField(label=_("Mã quỹ"), max_length=20, help_text=_("Ví dụ KH-TRANAM; in trên số biên nhận."))
    name = forms.CharField(label=_("Tên quỹ"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại quỹ"), choices=Kind.choices)
    regime = forms.ChoiceField(label=_("Chế độ"), choices=Regime.choices)
    owner = forms.ChoiceField(label=_("Thuộc"))
    opened_on = forms.DateField(label=_("Ngày lập"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = owners  # {"school:1": School, "unit:2": OrgUnit, "org:3": Organisation}
        self.fields["owner"].choices = [(key, str(obj)) for key, obj in owners.items()]

    def owner_kwargs(self) -> dict:
        key = self.cleaned_data["owner"]
        kind = key.split(":")[0]
        return {{"school": "school", "unit": "org_unit", "org": "organisation"}[kind]: self.owners[key]}


class TargetForm(forms.Form):
    AUTO_ID = "target_%s"  # the fund page holds several forms: ids of their own
    year = forms.ModelChoiceField(label=_("Năm học"), queryset=None)
    amount = MoneyField(label=_("Mục tiêu vận động (đồng)"))

    def __init__(self, *args, years, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years


class InstalmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(donor)s — hạn %(due)s: %(amount)s (đã trả %(paid)s)") % {
            "donor": obj.pledge.donor.name,
            "due": obj.due_on.strftime("%d/%m/%Y"),
            "amount": format_vnd(obj.amount),
            "paid": format_vnd(obj.paid),
        }


class DonationForm(forms.Form):
    AUTO_ID = "donation_%s"  # the fund page holds several forms: ids of their own
    kind = forms.ChoiceField(label=_("Hình thức"), choices=DonationKind.choices)
    donor = forms.ModelChoiceField(label=_("Nhà tài trợ"), queryset=None, required=False, empty_label=_("Ẩn danh"))
    amount = MoneyField(label=_("Số tiền (đồng)"), required=False)
    description = forms.CharField(label=_("Hiện vật, nội dung"), max_length=255, required=False)
    quantity = QuantityField(label=_("Số lượng"), required=False)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30, required=False)
    valuation = MoneyField(label=_("Giá trị quy đổi (đồng)"), required=False)
    received_on = forms.DateField(label=_("Ngày nhận"), widget=DATE)
    received_by = forms.CharField(label=_("Người tiếp nhận"), max_length=150)
    campaign = forms.CharField(label=_("Đợt vận động"), max_length=150, required=False)
    instalment = InstalmentChoiceField(
        label=_("Trả cho đợt cam kết"), queryset=None, required=False, empty_label=_("Không theo cam kết")
    )
    linked_campaign = forms.TypedChoiceField(label=_("Thuộc chiến dịch"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, donors, instalments, campaigns=(), **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors
        self.fields["instalment"].queryset = instalments
        if campaigns:  # offered by a higher app (`apps.funds.campaigns`)
            self.fields["linked_campaign"].choices = [("", _("Không thuộc chiến dịch nào")), *campaigns]
        else:
            del self.fields["linked_campaign"]

    def clean(self):
        data = super().clean()
        instalment, donor = data.get("instalment"), data.get("donor")
        if instalment is not None:
            if donor is None:  # paying a pledge names its donor: the form need not ask twice
                data["donor"] = instalment.pledge.donor
            elif donor != instalment.pledge.donor:
                self.add_error("instalment", _("Đợt cam kết này là của nhà tài trợ khác."))
        return data


class PayoutForm(forms.Form):
    AUTO_ID = "payout_%s"  # the fund page holds several forms: ids of their own
    purpose = forms.ChoiceField(label=_("Mục đích chi"), choices=())
    recipients = forms.ChoiceField(label=_("Đối tượng nhận"), choices=Payout.Recipients.choices)
    paid_on = forms.DateField(label=_("Ngày chi"), widget=DATE)
    amount = MoneyField(label=_("Số tiền (đồng)"), required=False)
    item = forms.ChoiceField(label=_("Hiện vật xuất kho"), required=False, choices=())
    quantity = QuantityField(label=_("Số lượng xuất"), required=False)
    school = forms.ModelChoiceField(label=_("Trường (chi cho học sinh)"), queryset=None, required=False)
    recipient_count = forms.IntegerField(label=_("Số người nhận"), min_value=0, required=False)
    usage_plan = forms.ModelChoiceField(label=_("Kế hoạch sử dụng đã niêm yết"), queryset=None, required=False)
    board_agreement = forms.CharField(label=_("Biên bản thống nhất của Ban đại diện"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Ghi chú nội bộ (không công khai)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, schools, plans, items, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)
        # Every purpose is offered: one the fund's regime forbids is refused with its rule quoted.
        self.fields["purpose"].choices = purposes.choices()
        self.fields["school"].queryset = schools
        self.fields["usage_plan"].queryset = plans
        self.fields["item"].choices = [("", "—")] + [(i, i) for i in items]

    def clean(self):
        data = super().clean()
        data["amount"] = data.get("amount") or 0
        data["recipient_count"] = data.get("recipient_count") or 0
        return data


class PlanForm(forms.Form):
    AUTO_ID = "plan_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)

    title = forms.CharField(label=_("Nội dung kế hoạch"), max_length=255)
    amount = MoneyField(label=_("Dự kiến chi (đồng)"))
    posted_on = forms.DateField(label=_("Ngày niêm yết"), widget=DATE)


class PledgeForm(forms.Form):
    AUTO_ID = "pledge_%s"  # the fund page holds several forms: ids of their own
    donor = forms.ModelChoiceField(label=_("Nhà tài trợ"), queryset=None)
    made_on = forms.DateField(label=_("Ngày cam kết"), widget=DATE)
    campaign = forms.CharField(label=_("Đợt vận động"), max_length=150, required=False)
    first_due = forms.DateField(label=_("Hạn đợt 1"), widget=DATE)
    first_amount = MoneyField(label=_("Số tiền đợt 1"))
    second_due = forms.DateField(label=_("Hạn đợt 2"), widget=DATE, required=False)
    second_amount = MoneyField(label=_("Số tiền đợt 2"), required=False)

    def __init__(self, *args, donors, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors

    def clean(self):
        data = super().clean()
        if bool(data.get("second_due")) != bool(data.get("second_amount")):  # neither dropped in silence
            missing = "second_amount" if data.get("second_due") else "second_due"
            self.add_error(missing, _("Đợt 2 cần cả hạn và số tiền (hoặc để trống cả hai)."))
        return data

    def instalments(self):
        data = self.cleaned_data
        rows = [(data["first_due"], data["first_amount"])]
        if data.get("second_due") and data.get("second_amount"):
            rows.append((data["second_due"], data["second_amount"]))
        return rows


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Donor.DonorKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    named_in_public = forms.BooleanField(label=_("Đồng ý công khai tên"), required=False)
    named_until = forms.DateField(label=_("Công khai tên đến ngày"), widget=DATE, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units


class CorrectionForm(forms.Form):
    cash = MoneyField(label=_("Số tiền đúng (đồng)"), required=False)
    quantity = QuantityField(label=_("Số lượng đúng"), required=False)
    value = MoneyField(
        label=_("Giá trị quy đổi đúng (đồng)"),
        required=False,
        help_text=_("Để trống: giữ giá trị của mỗi đơn vị hiện vật như đã ghi."),
    )
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=255)


class LinkChildrenForm(forms.Form):
    children = forms.ModelMultipleChoiceField(label=_("Học sinh nhận"), queryset=None)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children
