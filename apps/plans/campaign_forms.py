"""Forms of the campaigns' pages: they read what people type and hand clean values to `campaign_services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.plans.forms import DATE_FORMATS
from apps.plans.models_campaigns import FIGURES, Campaign


def _date(label, required=True):
    return forms.DateField(label=label, input_formats=DATE_FORMATS, required=required)


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại chiến dịch"), choices=Campaign.Kind.choices)
    org_unit = forms.ChoiceField(label=_("Đơn vị ban hành"))
    title = forms.CharField(label=_("Tên chiến dịch"), max_length=300)
    theme = forms.CharField(label=_("Chủ đề"), max_length=500, required=False)
    slogan = forms.CharField(label=_("Khẩu hiệu"), max_length=500, required=False)
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    receiving_name = forms.CharField(
        label=_("Cơ quan thường trực tổng hợp"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Sở Giáo dục và Đào tạo (để trống: chính đơn vị ban hành)."),
    )
    starts_on = _date(_("Từ ngày"))
    ends_on = _date(_("Đến ngày"))
    peak_starts_on = _date(_("Cao điểm từ ngày"), required=False)
    peak_ends_on = _date(_("Cao điểm đến ngày"), required=False)
    report_due_on = _date(_("Hạn báo cáo"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["org_unit"].choices = [(str(u.pk), u.name) for u in units]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["org_unit"] = self.units[data["org_unit"]]
        return data


class CampaignEditForm(CampaignForm):
    """The creation form without what an edit keeps (the kind and the issuing unit), prefilled from the campaign."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        from apps.plans.campaign_services import CAMPAIGN_FIELDS

        kwargs.setdefault("initial", {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS})
        super().__init__(*args, **kwargs)
        del self.fields["kind"], self.fields["org_unit"]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class EventForm(forms.Form):
    on = _date(_("Ngày"))
    title = forms.CharField(label=_("Sự kiện"), max_length=300)


class AssignForm(forms.Form):
    title = forms.CharField(label=_("Nội dung công việc"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = _date(_("Hạn"), required=False)
    months = forms.CharField(label=_("Hoặc tháng (ví dụ 8/2025)"), max_length=30, required=False)
    every_commune = forms.BooleanField(label=_("Giao cho tất cả các xã, phường của đơn vị"), required=False)
    agency = forms.CharField(label=_("Hoặc cơ quan thực hiện (không có tài khoản)"), max_length=200, required=False)


class RequestForm(forms.Form):
    due_on = _date(_("Hạn báo cáo"), required=False)


class ReportForm(forms.Form):
    """One number per figure, prefilled with the system's, and a note beside it for where it differs."""

    narrative = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system or {}
        for code, label, _unit in FIGURES:
            self.fields[f"fig_{code}"] = forms.IntegerField(label=label, min_value=0, required=False)
            self.fields[f"note_{code}"] = forms.CharField(label=_("Giải trình"), max_length=500, required=False)

    def rows(self):
        """(label, the system's figure, the number field, the note field) per figure, for the template."""
        return [
            (label, self.system.get(code, 0), self[f"fig_{code}"], self[f"note_{code}"]) for code, label, _u in FIGURES
        ]

    def figures(self) -> dict:
        return {
            code: self.cleaned_data[f"fig_{code}"]
            for code, _l, _u in FIGURES
            if self.cleaned_data.get(f"fig_{code}") is not None
        }

    def notes(self) -> dict:
        return {code: self.cleaned_data.get(f"note_{code}", "") for code, _l, _u in FIGURES}
