"""Importing a donation list collected at a meeting (the import kind `funds.donations`): a sheet with a title, a
header (the vocabulary is `data/donation_headers.csv`), one row per gift (a name or "Ẩn danh", an amount in đồng
or goods with quantity, unit and valuation), and a signature block. Every row, or none unless only the valid rows
are asked for; each donation numbered from the fund's counter in the one write transaction."""

import datetime
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.money import format_vnd, parse_quantity, parse_vnd
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.text import fold, nfc
from apps.funds import purposes as purpose_table
from apps.funds import services
from apps.funds.models import DonationKind, Donor, Fund, Regime
from apps.imports.forms import UploadForm
from apps.imports.plan import MAX_LISTED, read_vocabulary
from apps.imports.registry import Importer

HEADERS_FILE = Path(__file__).parent / "data" / "donation_headers.csv"
ANONYMOUS = {"an danh", "giau ten", "nha hao tam giau ten", "khong ghi ten", "nha hao tam an danh"}
YES = {"x", "co", "dong y", "yes", "1", "v"}

LABELS = {
    "name": gettext_lazy("Họ tên người đóng góp"),
    "amount": gettext_lazy("Số tiền (đồng)"),
    "goods": gettext_lazy("Hiện vật"),
    "quantity": gettext_lazy("Số lượng"),
    "unit": gettext_lazy("Đơn vị tính"),
    "valuation": gettext_lazy("Giá trị quy đổi (đồng)"),
    "date": gettext_lazy("Ngày nhận"),
    "phone": gettext_lazy("Điện thoại"),
    "address": gettext_lazy("Địa chỉ"),
    "consent": gettext_lazy("Đồng ý công khai tên"),
    "note": gettext_lazy("Ghi chú"),
}


@cache
def vocabulary() -> dict[str, set[str]]:
    return read_vocabulary(HEADERS_FILE)


def _date(value: str, default: datetime.date) -> datetime.date:
    if not value:
        return default
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(_("ngày không đọc được (ghi dạng 05/09/2025)"))


class DonationUploadForm(UploadForm):
    fund = forms.ModelChoiceField(label=gettext_lazy("Quỹ"), queryset=None, empty_label=gettext_lazy("— Chọn —"))
    received_on = forms.DateField(
        label=gettext_lazy("Ngày nhận (khi tệp không ghi ngày)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    received_by = forms.CharField(label=gettext_lazy("Người tiếp nhận"), max_length=150)
    campaign = forms.CharField(label=gettext_lazy("Đợt vận động"), max_length=150, required=False)
    field_order = ["fund", "received_on", "received_by", "campaign", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.offer("fund", Fund.objects.restrict(user, CHANGE).order_by("name"), preselect=True)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["received_by"].initial = getattr(user, "full_name", "") or user.get_username()


class DonationImporter(Importer):
    """A list of gifts to one fund, as written at a meeting."""

    name = "funds.donations"
    label = gettext_lazy("Danh sách đóng góp")
    upload_label = gettext_lazy("Nhập danh sách đóng góp")
    upload_help = gettext_lazy(
        "Cột bắt buộc: “Họ tên” và “Số tiền” (hoặc “Hiện vật”, “Số lượng”, “ĐVT”, “Giá trị quy đổi”). "
        "Ghi “Ẩn danh” cho người không muốn ghi tên. Dòng tiêu đề, dòng cộng và phần ký tên được bỏ qua."
    )
    upload_form = DonationUploadForm
    fields = LABELS
    required = ({"name", "amount"}, {"name", "goods"})

    def scope_q(self, scope, action):
        return Q(target_id__in=Fund.objects.within(scope, CHANGE).values("pk"))

    def may_start(self, user):
        return Fund.objects.restrict(user, CHANGE).exists()

    def start(self, *, actor, cleaned):
        fund = get_scoped_or_404(Fund.objects.all(), actor, CHANGE, pk=cleaned["fund"].pk)
        params = {
            "received_on": cleaned["received_on"].isoformat(),
            "received_by": nfc(cleaned["received_by"]).strip(),
            "campaign": nfc(cleaned.get("campaign") or "").strip(),
        }
        services._refuse_levy(fund, "campaign", params["campaign"])
        return fund.commune, fund.pk, params

    def authorise(self, *, actor, job, plan=None):
        get_scoped_or_404(Fund.objects.all(), actor, CHANGE, pk=job.target_id)

    def describe_many(self, jobs):
        names = dict(Fund.objects.filter(pk__in=[j.target_id for j in jobs]).values_list("pk", "name"))
        return {job.pk: names.get(job.target_id, "") for job in jobs}

    def params(self, *, job, actor):
        fund = get_scoped_or_404(Fund.objects.all(), actor, CHANGE, pk=job.target_id)
        return {
            "fund": fund,
            "received_on": datetime.date.fromisoformat(job.params["received_on"]),
            "received_by": job.params["received_by"],
            "campaign": job.params.get("campaign", ""),
        }

    def vocabulary(self):
        return vocabulary()

    def parse_row(self, run, number, row, error):
        reader, params = run.reader, run.params
        fund: Fund = params["fund"]
        name = reader.cell(row, "name")
        amount_text, goods = reader.cell(row, "amount"), reader.cell(row, "goods")
        if not (name or amount_text or goods):
            return None
        if not name:
            error("name", "", _("thiếu tên (ghi “Ẩn danh” nếu người đóng góp không muốn ghi tên)"))
        ok = True
        amount = quantity = valuation = None
        if amount_text:
            try:
                amount = parse_vnd(amount_text)
            except ValueError as exc:
                error("amount", amount_text, str(exc))
                ok = False
        if goods:
            quantity_text, valuation_text = reader.cell(row, "quantity"), reader.cell(row, "valuation")
            try:
                quantity = parse_quantity(quantity_text)
            except ValueError as exc:
                error("quantity", quantity_text, str(exc))
                ok = False
            if not reader.cell(row, "unit"):
                error("unit", "", _("thiếu đơn vị tính của hiện vật"))
                ok = False
            try:
                valuation = parse_vnd(valuation_text) if valuation_text else 0
            except ValueError as exc:
                error("valuation", valuation_text, str(exc))
                ok = False
        if not amount and not goods and ok:
            error("amount", amount_text, _("không có số tiền hay hiện vật"))
            ok = False
        note = reader.cell(row, "note")
        if fund.regime in (Regime.PARENTS_ASSOCIATION, Regime.SPONSORSHIP) and (
            why := purpose_table.levy_in(note, name)
        ):
            error("note", note, _("ghi %(why)s: đóng góp là tự nguyện, không có mức bắt buộc") % {"why": why})
            ok = False
        try:
            received_on = _date(reader.cell(row, "date"), params["received_on"])
        except ValueError as exc:
            error("date", reader.cell(row, "date"), str(exc))
            ok = False
        if not (ok and name):
            return None
        anonymous = fold(name) in ANONYMOUS
        return {
            "row": number,
            "name": "" if anonymous else name,
            "amount": amount,
            "goods": goods,
            "quantity": quantity,
            "unit": reader.cell(row, "unit"),
            "valuation": valuation,
            "received_on": received_on,
            "phone": reader.cell(row, "phone"),
            "address": reader.cell(row, "address"),
            "consent": fold(reader.cell(row, "consent")) in YES,
        }

    def write(self, *, job, actor, plan):
        from apps.funds.models import Fund as FundModel

        fund = get_scoped_or_404(FundModel.objects.all(), actor, CHANGE, pk=job.target_id)
        fund = FundModel.objects.select_for_update().get(pk=fund.pk)
        commune = fund.commune
        known = {fold(d.name): d for d in Donor.objects.filter(org_unit=commune)}
        created_donors = written = 0
        total = 0
        for row in plan.rows:
            donor = None
            if row["name"]:
                donor = known.get(fold(row["name"]))
                if donor is None:
                    donor = Donor.objects.create(
                        kind=Donor.DonorKind.PERSON,
                        name=row["name"],
                        org_unit=commune,
                        phone=row["phone"][:20],
                        address=row["address"][:255],
                        named_in_public=row["consent"],
                    )
                    known[fold(row["name"])] = donor
                    created_donors += 1
            for kind in ("cash", "goods"):
                if kind == "cash" and not row["amount"] or kind == "goods" and not row["goods"]:
                    continue
                try:
                    donation = services._write_donation(
                        actor=actor,
                        fund=fund,
                        donor=donor,
                        kind=DonationKind.CASH if kind == "cash" else DonationKind.IN_KIND,
                        received_on=row["received_on"],
                        received_by=job.params["received_by"],
                        amount=row["amount"] if kind == "cash" else None,
                        description=row["goods"] if kind == "goods" else "",
                        quantity=row["quantity"] if kind == "goods" else None,
                        unit=row["unit"] if kind == "goods" else "",
                        valuation=row["valuation"] if kind == "goods" else None,
                        campaign=job.params.get("campaign", ""),
                    )
                except ValidationError as exc:
                    raise ValidationError(
                        [
                            f"{plan.filename}: "
                            + _("dòng %(row)s: %(why)s") % {"row": row["row"], "why": "; ".join(exc.messages)}
                        ]
                    ) from exc
                written += 1
                total += donation.value
        audit_record(
            actor=actor,
            action="funds.donation_import",
            kind=AuditEvent.Kind.BULK,
            obj=fund,
            org_unit=commune,
            changes={"file": plan.filename, "donations": written, "donors": created_donors, "total": total},
        )
        return {"donations": written, "donors": created_donors, "total": total}

    def summarise(self, plan):
        cash = sum(r["amount"] or 0 for r in plan.rows)
        goods = sum(r["valuation"] or 0 for r in plan.rows if r["goods"])
        return {
            "total_cash": cash,
            "total_goods": goods,
            "first_rows": [
                {"row": r["row"], "name": r["name"] or str(_("Ẩn danh")), "amount": r["amount"], "goods": r["goods"]}
                for r in plan.rows[:MAX_LISTED]
            ],
        }

    def result_text(self, result):
        return _("Đã ghi %(n)s khoản đóng góp, tổng %(total)s.") % {
            "n": result["donations"],
            "total": format_vnd(result["total"]),
        }
