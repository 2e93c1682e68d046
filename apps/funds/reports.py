"""The funds' reports per fund and school year, as XLSX with typed cells (`apps.core.exports`): income by source
and kind, payouts by purpose, target against actual (money and goods at valuation), over the school year (the
year-end summary) or from its start to 31 December (seed 000's December review)."""

from django.utils.translation import gettext as _

from apps.core.exports import Percent, export_filename, xlsx_response
from apps.funds import selectors


def fund_report_rows(fund, *, year: int, period: str = "year") -> tuple[str, list[list]]:
    """(title, rows of [section, item, value in đồng, count]) for the fund's school year or December review."""
    if period == "december":
        starts, ends = selectors.december_review_bounds(fund, year)
        title = _("Sơ kết thu chi đến 31/12 — %(fund)s, năm học %(year)s")
    else:
        starts, ends = selectors.year_bounds(fund, year)
        title = _("Tổng kết năm — %(fund)s, năm học %(year)s")
    title = title % {"fund": fund.name, "year": f"{year}-{year + 1}"}
    raised = selectors.raised(fund, starts, ends)
    spent = selectors.spent(fund, starts, ends)
    target = selectors.target_amount(fund, year)
    rows = [[_("Kỳ báo cáo"), _("Từ ngày"), starts, None], [_("Kỳ báo cáo"), _("Đến ngày"), ends, None]]
    for row in selectors.income_by_source(fund, starts, ends):
        rows.append([_("Thu theo nguồn"), f"{row['source']} — {row['kind']}", row["value"], row["count"]])
    rows.append([_("Tổng hợp"), _("Tổng thu (tiền và hiện vật quy đổi)"), raised, None])
    for row in selectors.payouts_by_purpose(fund, starts, ends):
        rows.append([_("Chi theo mục đích"), row["label"], row["value"], row["students"] or None])
    rows.append([_("Tổng hợp"), _("Tổng chi"), spent, None])
    rows.append([_("Mục tiêu"), _("Mục tiêu vận động"), target, None])
    if target:
        rows.append([_("Mục tiêu"), _("Tỷ lệ đạt"), Percent(round(raised * 100 / target, 1)), None])
    return title, rows


def fund_report_response(*, fund, year: int, period: str, user):
    title, rows = fund_report_rows(fund, year=year, period=period)
    return xlsx_response(
        filename=export_filename("Bao cao quy", fund.code, f"{year}-{year + 1}", "12" if period == "december" else ""),
        title=title,
        headers=[_("Phần"), _("Nội dung"), _("Giá trị (đồng)"), _("Số lượt, số học sinh")],
        rows=rows,
        user=user,
        personal=False,
    )
