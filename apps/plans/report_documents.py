"""A periodic report as a state-layout Word document (`apps.core.statedoc`: the reporter's header, the period, the
narrative sections, the figures' table, the roll-up's missing and late reports) and its figures as typed rows for
an XLSX (numbers as numbers, the rate as a percentage)."""

from decimal import Decimal

from apps.core import statedoc
from apps.core.exports import Percent

HEADERS = ("Chỉ tiêu", "Nguồn số liệu", "Tử số", "Mẫu số", "Tỷ lệ")
SOURCES = {"indicators": "Chỉ số", "funds": "Quỹ", "cases": "Hồ sơ bỏ học", "rollup": "Tổng hợp"}


def rate(figure: dict) -> Decimal | None:
    n, d = figure.get("numerator"), figure.get("denominator")
    if n is None or not d:
        return None
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.001"))


def rows(report) -> list[list]:
    """One row per figure: label, source, numerator, denominator (ints), the rate (a percentage, or empty)."""
    out = []
    for f in report.figures:
        r = rate(f)
        out.append(
            [
                f["label"],
                SOURCES.get(f.get("source", ""), f.get("source", "")),
                f.get("numerator"),
                f.get("denominator"),
                Percent(r) if r is not None else None,
            ]
        )
    return out


def _number(value) -> str:
    return "" if value is None else f"{value:,}".replace(",", ".")


def summary(report) -> str:
    return f"{report.schedule.title} {report.period_label}" + (
        f" (lần {report.revision})" if report.revision > 1 else ""
    )


def document(report, *, body=None, number_line: str = "", on=None, title: str = "") -> statedoc.Document:
    """The report as a document: headed by the reporter's issuing `body` with its number line when it is issued
    in the register (`report_services.report_submit`), otherwise (a draft, or a reporter with no issuing body)
    by the reporter's name, unnumbered, as it always was."""
    schedule = report.schedule
    reporter = schedule.reporter
    commune = schedule.commune
    table = statedoc.Table(
        columns=["TT", *HEADERS],
        rows=[
            [
                str(i),
                f["label"],
                SOURCES.get(f.get("source", ""), ""),
                _number(f.get("numerator")),
                _number(f.get("denominator")),
                (f"{rate(f):.1f}%".replace(".", ",") if rate(f) is not None else ""),
            ]
            for i, f in enumerate(report.figures, start=1)
        ],
    )
    sections = [
        statedoc.Section(s["heading"] or "…", paragraphs=[p for p in s["text"].splitlines() if p.strip()])
        for s in report.sections
    ]
    sections.append(statedoc.Section("SỐ LIỆU", tables=[table]))
    counted = report.rollup or {}
    if counted.get("missing") or counted.get("late"):
        sections.append(
            statedoc.Section(
                "ĐƠN VỊ CHƯA BÁO CÁO, BÁO CÁO TRỄ HẠN",
                paragraphs=[f"Chưa có báo cáo được duyệt: {m['reporter']} ({m['period']})" for m in counted["missing"]]
                + [f"Trễ hạn: {m['reporter']} ({m['period']}, hạn {m['deadline']})" for m in counted["late"]],
            )
        )
    if body is not None:
        header = statedoc.Header(body=body.name, parent=body.parent_name, number=number_line, place=body.place, on=on)
    else:
        on = report.submitted_at.date() if report.submitted_at else report.period_end
        header = statedoc.Header(body=str(reporter).upper(), place=commune.name.split(" ", 1)[-1], on=on)
    return statedoc.Document(
        header=header,
        title="BÁO CÁO",
        summary=title or summary(report),
        addressee=f"Kính gửi: {schedule.receiver}",
        sections=sections,
        signature=statedoc.Signature("THỦ TRƯỞNG ĐƠN VỊ", ""),
        recipients=[statedoc.Recipient(str(schedule.receiver), "để báo cáo"), "Lưu: VT."],
    )


def docx(report) -> bytes:
    return statedoc.render(document(report))
