"""Reading the spreadsheets officials have: .xlsx, .xls, .ods through python-calamine, .csv through the
standard library (UTF-8 with or without BOM, else Windows-1258). Every cell comes back as text, NFC."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.text import fold, nfc

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also every password-protected Office file
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(ValueError):
    """A file that cannot be read at all; the message names the file and says why, in Vietnamese."""


@dataclass
class Sheet:
    filename: str
    rows: list[list[str]]  # row 0 is the sheet's first row; cells as NFC text


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # calamine reads integers as floats (42.0)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def read_sheet(filename: str, data: bytes) -> Sheet:
    """The first sheet of a workbook (or the CSV), with merged header cells filled from their top-left cell."""
    if not data:
        raise SpreadsheetError(_("Tệp %(file)s rỗng.") % {"file": filename})
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return _read_workbook(filename, data)
    return _read_csv(filename, data)


def _read_workbook(filename: str, data: bytes) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for each format
        if data.startswith(OLE_MAGIC) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data:
            raise SpreadsheetError(
                _("Tệp %(file)s được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.") % {"file": filename}
            ) from exc
        raise SpreadsheetError(
            _("Không đọc được tệp %(file)s như một bảng tính (%(error)s).") % {"file": filename, "error": exc}
        ) from exc
    text = [[_cell_text(v) for v in row] for row in rows]
    for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or []:
        value = text[r0][c0] if r0 < len(text) and c0 < len(text[r0]) else ""
        for r in range(r0, min(r1 + 1, len(text))):
            for c in range(c0, min(c1 + 1, len(text[r]))):
                if not text[r][c]:
                    text[r][c] = value
    return Sheet(filename, text)


def _read_csv(filename: str, data: bytes) -> Sheet:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("Tệp %(file)s không phải bảng tính hay CSV.") % {"file": filename})
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise SpreadsheetError(_("Không nhận ra bảng mã của tệp %(file)s.") % {"file": filename})
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Sheet(filename, [[nfc(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)])


def find_header(sheet: Sheet, vocabulary: dict[str, set[str]], required: set[str], scan: int = 20, labels=None):
    """Locate the header row: the first of the top `scan` rows naming every required field.

    `vocabulary` maps a field to the folded headers that name it; `labels` gives each field's name for the
    user. Returns (row index, {field: column}).
    """
    for index, row in enumerate(sheet.rows[:scan]):
        columns = {}
        for col, cell in enumerate(row):
            key = fold(cell.replace("(*)", ""))
            for field, names in vocabulary.items():
                if key in names and field not in columns:
                    columns[field] = col
        if required <= set(columns):
            return index, columns
    raise SpreadsheetError(
        _("Không tìm thấy dòng tiêu đề trong tệp %(file)s: cần có cột %(fields)s.")
        % {"file": sheet.filename, "fields": ", ".join(f"“{(labels or {}).get(f, f)}”" for f in sorted(required))}
    )
