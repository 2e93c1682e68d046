"""The annex and the results table as workbooks laid out like the annex officials file (seed 003: "Phụ lục đăng ký
chỉ tiêu huy động học sinh đến trường và duy trì sĩ số"): one row per level and indicator, typed cells (rates as
percentages, counts as numbers, never a formula), through `apps.core.exports.xlsx_response`."""

from django.utils.translation import gettext as _

from apps.core.exports import Percent, export_filename, xlsx_response
from apps.indicators import registry
from apps.indicators import selectors as engine
from apps.targets import catalogue

ANNEX_HEADERS = (
    "STT",
    "Cấp học",
    "Chỉ tiêu",
    "Thực hiện năm học trước (%)",
    "Số trẻ trong độ tuổi",
    "Số huy động",
    "So sánh",
    "Chỉ tiêu đăng ký (%)",
    "Giải trình",
    "Trạng thái",
)


def annex_headers() -> list[str]:
    return [
        _("STT"),
        _("Cấp học"),
        _("Chỉ tiêu"),
        _("Thực hiện năm học trước (%)"),
        _("Số trẻ trong độ tuổi"),
        _("Số huy động"),
        _("So sánh"),
        _("Chỉ tiêu đăng ký (%)"),
        _("Giải trình"),
        _("Trạng thái"),
    ]


def _pct(value):
    return Percent(value) if value is not None else None


def annex_rows(annex) -> list[list]:
    status = annex.get_status_display()
    rows = []
    for n, line in enumerate(annex.lines.all(), start=1):
        rows.append(
            [
                n,
                str(catalogue.LEVEL_LABELS.get(line.level, "")),
                str(registry.get(line.indicator).label),
                _pct(line.last_year),
                line.census_count,
                line.mobilised_count,
                line.get_comparison_display(),
                _pct(line.value),
                line.justification,
                str(status),
            ]
        )
    return rows


def annex_workbook(annex, *, user):
    title = _(
        "Phụ lục đăng ký chỉ tiêu huy động học sinh đến trường và duy trì sĩ số năm học %(year)s — %(school)s"
    ) % {
        "year": annex.year.name,
        "school": annex.school.name,
    }
    return xlsx_response(
        filename=export_filename("phu-luc-chi-tieu", annex.school.moet_code, annex.year.name),
        title=title,
        headers=annex_headers(),
        rows=annex_rows(annex),
        user=user,
        personal=False,
    )


def results_headers() -> list[str]:
    return [
        _("STT"),
        _("Đơn vị"),
        _("Cấp học"),
        _("Chỉ tiêu"),
        _("So sánh"),
        _("Chỉ tiêu (%)"),
        _("Tử số"),
        _("Mẫu số"),
        _("Thực hiện (%)"),
        _("Còn thiếu"),
        _("Vượt mức"),
        _("Tính bằng"),
        _("Đạt"),
    ]


def results_rows(user, unit, year) -> list[list]:
    from apps.targets.dashboard import measure

    target = registry.Target(unit=unit)
    lines = measure([target, *engine.drill_targets(user, target)], year)
    rows, n = [], 0
    for line in lines:
        for m in [line.main, *line.units]:
            n += 1
            goal, gap = m.goal, m.gap
            rows.append(
                [
                    n,
                    m.target.name,
                    line.level_label,
                    str(line.indicator.label),
                    goal.get_comparison_display() if goal else None,
                    _pct(goal.value) if goal else None,
                    m.value.numerator,
                    m.value.denominator,
                    _pct(m.value.rate),
                    gap.short if gap and not gap.no_data else None,
                    gap.over if gap and not gap.no_data else None,
                    "₫" if line.indicator.unit == registry.Indicator.MONEY else _("em"),
                    (gap.met if gap and not gap.no_data else None),
                ]
            )
    return rows


def results_workbook(user, unit, year):
    return xlsx_response(
        filename=export_filename("ket-qua-chi-tieu", unit.code or unit.pk, year.name),
        title=_("Kết quả thực hiện chỉ tiêu năm học %(year)s — %(unit)s") % {"year": year.name, "unit": unit.name},
        headers=results_headers(),
        rows=results_rows(user, unit, year),
        user=user,
        personal=False,
    )
