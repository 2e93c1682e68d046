"""The roll-up of a campaign's reports as the receiving body compiles it ("báo cáo kết quả thực hiện về Phòng GDĐT
để tổng hợp"): one row per commune or school, late ones first (STT, unit, deadline, sent on, late, the figures,
hotline published, notes), then the total of the submitted reports; numbers and dates as typed cells."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import exports
from apps.plans.campaign_selectors import Rollup
from apps.plans.models_campaigns import FIGURE_CODES, FIGURES


def headers() -> list[str]:
    return [
        _("STT"),
        _("Đơn vị"),
        _("Hạn báo cáo"),
        _("Ngày gửi"),
        _("Quá hạn"),
        *[str(label) for _code, label, _unit in FIGURES],
        _("Chưa công bố số điện thoại đường dây nóng"),
        _("Giải trình"),
    ]


def _notes(report) -> str:
    labels = {code: str(label) for code, label, _unit in FIGURES}
    return "; ".join(f"{labels[code]}: {text}" for code, text in sorted(report.notes.items()) if text)


def screen_rows(rollup: Rollup) -> list[list]:
    """The rows of the roll-up, typed: int figures (None when the unit has not sent its report), dates, flags."""
    rows = []
    for n, line in enumerate(rollup.lines, start=1):
        r = line.report
        sent = r.status == r.Status.SUBMITTED
        rows.append(
            [
                n,
                line.name,
                r.due_on,
                timezone.localdate(r.submitted_at) if sent else None,
                line.late,
                *[line.values[code] if sent else None for code in FIGURE_CODES],
                line.no_hotline,
                _notes(r),
            ]
        )
    return rows


def total_row(rollup: Rollup) -> list:
    label = _("Tổng cộng (%(n)s đơn vị đã gửi)") % {"n": rollup.submitted}
    return ["", label, None, None, None, *[rollup.totals[code] for code in FIGURE_CODES], None, ""]


def rollup_response(rollup: Rollup, *, user):
    campaign = rollup.campaign
    title = _("Tổng hợp kết quả %(campaign)s — %(body)s, ngày %(day)s") % {
        "campaign": campaign.title,
        "body": campaign.compiler,
        "day": f"{rollup.on:%d/%m/%Y}",
    }
    return exports.xlsx_response(
        filename=exports.export_filename("tong-hop-chien-dich", campaign.pk, rollup.on.isoformat()),
        title=title,
        headers=headers(),
        rows=[*screen_rows(rollup), total_row(rollup)],
        user=user,
        personal=False,
    )
