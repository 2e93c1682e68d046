"""Excel exports: typed cells and never a formula, a file name after what the file holds, and a stamp saying who
exported it, when, and whether it holds personal data."""

import datetime
import io
import re
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import fold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# A percentage is stored as its fraction (97.5 % → 0.975) under this format, as Excel itself does: the sheet shows
# "97.5%" and a sum, an average or a chart reads the true value.
PERCENT_FORMAT = "0.0%"

_NOT_NAME = re.compile(r"[^a-z0-9]+")


class Percent:
    """A percentage as people say it: `Percent(Decimal("97.5"))` is 97.5 %, written as the number 0.975 shown
    with the format "0.0%"."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal | int | float):
        self.value = Decimal(str(value))

    def fraction(self) -> float:
        return float(self.value / 100)

    def __repr__(self) -> str:
        return f"Percent({self.value!r})"


def export_filename(*parts, ext: str = "xlsx") -> str:
    """A file name after what the file holds, in ASCII (only a-z, 0-9 and "-"), so it survives every browser and
    Content-Disposition: export_filename("Học sinh", "48095002", "2025-2026") → "hoc-sinh-48095002-2025-2026.xlsx"."""
    words = [_NOT_NAME.sub("-", fold(str(p))).strip("-") for p in parts if p not in (None, "")]
    name = "-".join(w for w in words if w) or "xuat"
    ext = _NOT_NAME.sub("", fold(ext))
    return f"{name}.{ext}" if ext else name


def _safe_filename(filename: str) -> str:
    """The name with anything but a-z, 0-9, "-" and "." made a "-": nothing can break out of the header's quotes."""
    stem, dot, ext = filename.rpartition(".")
    return export_filename(stem, ext=ext) if dot else export_filename(filename, ext="")


def _write(sheet, row: int, col: int, value, formats) -> int:
    """Write one cell by the type of its value; returns the width of the text shown."""
    if type(value) is str:  # most cells, first: a long export writes tens of thousands of them
        if value:
            sheet.write_string(row, col, value)
        return len(value)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):  # before int: a bool is an int
        if value:
            sheet.write_string(row, col, _("Có"))
        return 2 if value else 0
    if isinstance(value, Percent):
        sheet.write_number(row, col, value.fraction(), formats["percent"])
        return len(f"{value.value:.1f}%")
    if isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, float(value))
        return len(str(value))
    if isinstance(value, datetime.datetime):  # before date: a datetime is a date
        if timezone.is_aware(value):  # Excel knows no time zones: the local time, as the user reads it
            value = timezone.make_naive(value)
        sheet.write_datetime(row, col, value, formats["datetime"])
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, formats["date"])
        return len("dd/mm/yyyy")
    # Text, and anything else as its text: always a string cell, so that a code keeps its leading zeros and a name
    # beginning with "=" is never a formula.
    text = str(value)
    sheet.write_string(row, col, text)
    return len(text)


def xlsx_response(*, filename: str, title: str, headers: list[str], rows, user, personal: bool) -> HttpResponse:
    """A one-sheet workbook: the title, the stamp, the headers and the rows (one value per header, written by type).
    `personal`: the file holds personal records (stamped as such) or only aggregates (counts, no one's record)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBE4", "border": 1, "text_wrap": True})
    formats = {
        "date": book.add_format({"num_format": DATE_FORMAT}),
        "datetime": book.add_format({"num_format": DATETIME_FORMAT}),
        "percent": book.add_format({"num_format": PERCENT_FORMAT}),
    }
    sheet.write_string(0, 0, title, bold)
    stamp = {"user": user.get_username(), "time": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    if personal:
        note = _("Xuất bởi %(user)s lúc %(time)s. Có dữ liệu cá nhân: không chia sẻ ngoài phạm vi công việc.")
    else:
        note = _("Xuất bởi %(user)s lúc %(time)s. Số liệu tổng hợp, không có dữ liệu cá nhân.")
    sheet.write_string(1, 0, note % stamp)
    for col, header in enumerate(headers):
        sheet.write_string(3, col, str(header), head)
    widths = [len(str(h)) for h in headers]
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            shown = _write(sheet, 3 + count, col, value, formats)
            if col < len(widths):
                widths[col] = max(widths[col], shown)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 8), 50))
    sheet.autofilter(3, 0, 3 + count, len(headers) - 1)
    sheet.freeze_panes(4, 0)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(filename)}"'
    return response
