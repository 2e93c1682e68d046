"""Excel exports: every workbook says who exported it and when (it may hold personal data)."""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(*, filename: str, title: str, headers: list[str], rows, user) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBE4", "border": 1, "text_wrap": True})
    sheet.write(0, 0, title, bold)
    stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    sheet.write(
        1,
        0,
        _("Xuất bởi %(user)s lúc %(time)s. Có dữ liệu cá nhân: không chia sẻ ngoài phạm vi công việc.")
        % {"user": user.get_username(), "time": stamp},
    )
    sheet.write_row(3, 0, headers, head)
    widths = [len(h) for h in headers]
    count = 0
    for count, row in enumerate(rows, start=1):
        values = ["" if v is None else v for v in row]
        sheet.write_row(3 + count, 0, [str(v) for v in values])  # as text: codes keep their leading zeros
        widths = [max(w, len(str(v))) for w, v in zip(widths, values)]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 8), 50))
    sheet.autofilter(3, 0, 3 + count, len(headers) - 1)
    sheet.freeze_panes(4, 0)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
