"""The national standard schools' workbooks (`apps.core.exports`): every school's status, target and gap worst
first; the gap of one school; the roadmap by year with its totals by funding source."""

from django.utils.translation import gettext as _

from apps.core.exports import export_filename, xlsx_response
from apps.standards import selectors
from apps.standards.models import Source


def status_workbook(user, unit=None):
    rows = []
    for n, r in enumerate(selectors.schools_status(user, unit), start=1):
        result, target, rec = r["result"], r["target"], r["recognition"]
        rows.append(
            [
                n,
                r["school"].name,
                r["school"].managed_by.name,
                result.level_text if result else _("Chưa tự đánh giá"),
                (_("Mức độ %(n)s năm %(y)s") % {"n": target.level, "y": target.year}) if target else "",
                r["gap"],
                (f"{rec.get_kind_display()} {rec.level} · {rec.number}") if rec else "",
                rec.valid_until if rec else None,
            ]
        )
    return xlsx_response(
        filename=export_filename("truong-chuan", unit.name if unit else ""),
        title=_("Tình hình xây dựng trường chuẩn quốc gia"),
        headers=[
            _("TT"),
            _("Trường"),
            _("Đơn vị quản lý"),
            _("Mức đánh giá"),
            _("Mục tiêu"),
            _("Số chỉ báo chưa đạt"),
            _("Quyết định công nhận"),
            _("Hết hạn"),
        ],
        rows=rows,
        user=user,
        personal=False,
    )


def roadmap_workbook(user, unit=None):
    data = selectors.roadmap(user, unit)
    sources = list(Source.values)
    rows = []
    for year, block in data["years"].items():
        for item in block["items"]:
            rows.append(
                [
                    year,
                    item.school.name,
                    item.get_kind_display(),
                    item.name,
                    item.investor,
                    item.get_status_display(),
                    item.percent,
                    item.budget,
                ]
                + [item.funded[s] for s in sources]
                + [item.remaining]
            )
        rows.append(
            [year, _("Cộng năm %(y)s") % {"y": year}, "", "", "", "", None, sum(i.budget for i in block["items"])]
            + [block["totals"][s] for s in sources]
            + [None]
        )
    rows.append(
        ["", _("Tổng cộng"), "", "", "", "", None, sum(i.budget for b in data["years"].values() for i in b["items"])]
        + [data["totals"][s] for s in sources]
        + [None]
    )
    return xlsx_response(
        filename=export_filename("lo-trinh-xay-dung", unit.name if unit else ""),
        title=_("Lộ trình xây dựng cơ sở vật chất trường chuẩn quốc gia"),
        headers=[
            _("Năm"),
            _("Trường"),
            _("Hạng mục"),
            _("Tên công trình"),
            _("Chủ đầu tư"),
            _("Trạng thái"),
            _("Tiến độ (%)"),
            _("Tổng mức đầu tư (₫)"),
        ]
        + [str(label) for _v, label in Source.choices]
        + [_("Còn thiếu (₫)")],
        rows=rows,
        user=user,
        personal=False,
    )
