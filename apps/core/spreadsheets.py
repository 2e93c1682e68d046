"""Reading the spreadsheets officials have: .xlsx, .xls, .ods through python-calamine, .csv through the
standard library (UTF-8 with or without BOM, else Windows-1258). Every cell comes back as text, NFC; text typed
in the old TCVN3 or VNI fonts is recognised and converted (see apps.core.legacy_text)."""

import codecs
import csv
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from apps.core import legacy_text, sheetguard
from apps.core.text import fold, nfc

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also every password-protected Office file
ZIP_MAGIC = b"PK\x03\x04"
SAMPLE = 200  # non-ASCII text cells looked at to recognise a legacy font
LEGACY_FONTS = {legacy_text.TCVN3: ("TCVN3", ".VnTime"), legacy_text.VNI: ("VNI", "VNI-Times")}
CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
CP1258_UNDEFINED = (0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E)
WORKBOOK_EXTENSIONS = {"xlsx", "xlsm", "xls", "ods"}
SHARED = 100_000  # cell values remembered at once, so that a value repeated on every row is one string


@dataclass
class RowError:
    """A bad cell of an imported sheet, named the way the user finds it: row number, column title, value."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s, cột “%(column)s”, giá trị “%(value)s”: %(message)s") % self.__dict__


class SpreadsheetError(ValueError):
    """A file that cannot be read at all; the message names the file and says why, in Vietnamese."""


@dataclass
class Sheet:
    filename: str
    rows: list[list[str]]  # row 0 is the sheet's first row; cells as NFC text
    legacy_encoding: str | None = None  # "tcvn3" or "vni": the text was typed in that old font and was converted
    notes: list[str] = field(default_factory=list)  # what the user should know about how the file was read

    @property
    def legacy_note(self) -> str:
        """For the user, when the text was converted: which old font the file was typed in; else ""."""
        if not self.legacy_encoding:
            return ""
        encoding, font = LEGACY_FONTS[self.legacy_encoding]
        note = _("Tệp %(file)s được gõ bằng bảng mã %(encoding)s (phông %(font)s); chữ đã được chuyển sang Unicode.")
        return note % {"file": self.filename, "encoding": encoding, "font": font}


class _Rows:
    """Cell values turned into rows of NFC text as they stream in, so that only one copy of the sheet is ever
    held in Python. Equal values share one string (a roster repeats its school, commune and "Nam"/"Nữ" on every
    row). The values remembered are forgotten every SHARED new ones (codes and phone numbers never repeat, and
    would otherwise crowd out the values that do). Once the first SAMPLE non-ASCII text cells are in, they decide
    whether the text was typed in a legacy font; if so the rows read so far are converted in place and every later
    row as it arrives."""

    def __init__(self, filename: str = ""):
        self.filename = filename
        self.max_rows = settings.IMPORT_MAX_ROWS + sheetguard.ROW_MARGIN
        self.rows: list[list[str]] = []
        self.encoding: str | None = None
        self._sample: list[str] | None = []  # None once decided
        self._shared: dict = {None: "", "": ""}  # empty cells cost a lookup, not a call

    def add(self, values, lead: int = 0) -> None:
        if len(self.rows) >= self.max_rows:  # stop reading as soon as the file is over the limit
            raise SpreadsheetError(
                _("Tệp %(file)s có hơn %(max)s dòng: quá giới hạn, đã dừng đọc.")
                % {"file": self.filename, "max": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
            )
        shared, new = self._shared, self._new
        row = [text if (text := shared.get(value)) is not None else new(value) for value in values]
        if lead > 0:
            row[0:0] = [""] * lead
        self.rows.append(row)
        if self._sample is not None:
            self._sample.extend(cell for cell in row if not cell.isascii())
            if len(self._sample) >= SAMPLE:
                self.decide()

    def decide(self) -> None:
        if self._sample is None:
            return
        self.encoding = legacy_text.detect(self._sample[:SAMPLE])
        self._sample = None
        if self.encoding:
            converted = {}  # the rows so far hold unconverted text; later ones are converted by _text
            for row in self.rows:
                for index, cell in enumerate(row):
                    if not cell.isascii():
                        if cell not in converted:
                            converted[cell] = legacy_text.convert(cell, self.encoding)
                        row[index] = converted[cell]
            self._shared = {key: legacy_text.convert(text, self.encoding) for key, text in self._shared.items()}

    def _new(self, value) -> str:
        """The text of a value not remembered."""
        shared = self._shared
        keep = len(shared) < SHARED
        if not keep and self._sample is None:  # the encoding is decided: what is remembered can be let go
            shared.clear()
            shared[None] = shared[""] = ""
            keep = True
        if type(value) is str:  # most cells: no further checks
            text = nfc(value)
            if self.encoding and not text.isascii():
                text = legacy_text.convert(text, self.encoding)
            if keep:
                shared[value] = text
            return text
        if value is None:
            return ""
        text = _cell_text(value)
        # 0 and 1 are kept out: as dict keys they are False and True, whose text is "False" and "True".
        if keep and not (value == 0 or value == 1):
            shared[value] = text
        return text


def _cell_text(value) -> str:
    if type(value) is str:  # most cells: checked first
        return nfc(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # calamine reads integers as floats (42.0)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def read_sheet(filename: str, data: bytes) -> Sheet:
    """The first sheet of a workbook (or the CSV), with merged header cells filled from their top-left cell.
    Text typed in a TCVN3 or VNI font comes back as Unicode, and `legacy_encoding` says which it was."""
    if not data:
        raise SpreadsheetError(_("Tệp %(file)s rỗng.") % {"file": filename})
    try:
        if data.startswith(ZIP_MAGIC) and sheetguard.prescan_xlsx(filename, data):  # an .xlsx within the limits
            return _read_workbook(filename, data)
        if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):  # anything else: in a child, memory capped
            return sheetguard.read_in_child(_read_workbook, filename, data)
    except sheetguard.TooLarge as exc:
        raise SpreadsheetError(str(exc)) from exc
    sheet = _read_csv(filename, data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in WORKBOOK_EXTENSIONS:  # a CSV saved under a workbook's name (common with "Save as" from tools)
        sheet.notes.append(
            _("Tệp %(file)s mang đuôi .%(ext)s nhưng thực ra là tệp văn bản (CSV): đã được đọc như tệp văn bản.")
            % {"file": filename, "ext": extension}
        )
    return sheet


def _read_workbook(filename: str, data: bytes) -> Sheet:
    from python_calamine import CalamineWorkbook

    reader = _Rows(filename)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        end, merged = sheet.end, getattr(sheet, "merged_cell_ranges", None) or []
        # iter_rows starts at the sheet's first used column (and, depending on the calamine version, row), while
        # merged ranges count from A1: pad back to A1 so that both agree, as to_python(skip_empty_area=False) did.
        width = end[1] + 1 if end else 0
        for row in sheet.iter_rows():  # a damaged sheet may fail half-way through its rows too
            reader.add(row, lead=width - len(row))
    except (SpreadsheetError, MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own error types for each format, and its panics (a BaseException)
        if data.startswith(OLE_MAGIC) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data:
            raise SpreadsheetError(
                _("Tệp %(file)s được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.") % {"file": filename}
            ) from exc
        raise SpreadsheetError(
            _("Không đọc được tệp %(file)s như một bảng tính (%(error)s).") % {"file": filename, "error": exc}
        ) from exc
    reader.decide()
    text = reader.rows
    if end and len(text) < end[0] + 1:
        text[0:0] = [[""] * width for _ in range(end[0] + 1 - len(text))]
    for (r0, c0), (r1, c1) in merged:
        value = text[r0][c0] if r0 < len(text) and c0 < len(text[r0]) else ""
        for r in range(r0, min(r1 + 1, len(text))):
            for c in range(c0, min(c1 + 1, len(text[r]))):
                if not text[r][c]:
                    text[r][c] = value
    return Sheet(filename, text, reader.encoding)


def _read_csv(filename: str, data: bytes) -> Sheet:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("Tệp %(file)s không phải bảng tính hay CSV.") % {"file": filename})
    encoding = _csv_encoding(data)
    if encoding is None:
        raise SpreadsheetError(_("Không nhận ra bảng mã của tệp %(file)s.") % {"file": filename})
    try:
        dialect = csv.Sniffer().sniff(data[:16384].decode(encoding, errors="ignore")[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Decoded as it is read, so that the text of the whole file is never held beside its rows.
    reader = _Rows(filename)
    rows = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""), dialect)
    try:
        for row in rows:
            reader.add(row)
    except csv.Error as exc:  # most often a cell over the csv module's field limit: a quote never closed
        values = {"file": filename, "row": rows.line_num, "max": f"{csv.field_size_limit():,}".replace(",", ".")}
        if "field larger" in str(exc):
            message = _("Tệp %(file)s, dòng %(row)s: có ô dài quá %(max)s ký tự (thường do dấu ngoặc kép không đóng).")
        else:
            message = _("Tệp %(file)s, dòng %(row)s: không đọc được như tệp CSV.")
        raise SpreadsheetError(message % values) from exc
    reader.decide()
    return Sheet(filename, reader.rows, reader.encoding)


def _csv_encoding(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) when the whole file is UTF-8. Otherwise Windows-1258, unless the bytes are
    TCVN3 or VNI text: a file typed in those fonts was saved in the Western code page (Windows-1252), which keeps
    their codes as they are, where Windows-1258 would turn some of them into combining marks. None when the
    bytes fit none of these."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        view = memoryview(data)
        for start in range(0, len(data), 1 << 20):  # checked piece by piece, not decoded whole
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    western = "latin-1" if any(bytes([b]) in data for b in CP1252_UNDEFINED) else "cp1252"
    if legacy_text.detect(data[:65536].decode(western).splitlines()):
        return western
    return None if any(bytes([b]) in data for b in CP1258_UNDEFINED) else "cp1258"


@dataclass
class Header:
    """Where a table's header is: rows `first` to `last` (0-based, one to three rows), the column each field is
    read from, and each column's title as the user reads it ("Thông tin cha mẹ / Số điện thoại")."""

    first: int
    last: int
    columns: dict[str, int]
    titles: list[str]


def _key(cell: str) -> str:
    return fold(cell.replace("(*)", ""))


def _fields_of(row: list[str], vocabulary: dict[str, set[str]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for col, cell in enumerate(row):
        key = _key(cell)
        for name, names in vocabulary.items():
            if key in names and name not in columns:
                columns[name] = col
    return columns


def _merged_down(above: list[str], row: list[str], mapped: dict[str, int], known: set[str]) -> bool:
    """Whether every column already read as a field is merged down into `row`: the same text (calamine fills a
    merge), empty (an .ods leaves it so), or a sub-heading of its own ("Ngày" under "Ngày sinh"). A data row has a
    name or a date under those columns."""
    if not any(row):
        return False
    for col in mapped.values():
        cell = row[col].strip() if col < len(row) else ""
        if cell and _key(cell) != _key(above[col] if col < len(above) else "") and _key(cell) not in known:
            return False
    return True


def find_table(sheet: Sheet, vocabulary: dict[str, set[str]], required, scan: int = 20, labels=None):
    """Locate the header: the first of the top `scan` rows naming every field of one of the `required` sets (a
    set, or a tuple of alternative sets such as full name | family and given names), and the one or two rows
    under it that continue it (a two-row export: single columns merged down over both rows, a group heading
    such as "Thông tin cha mẹ" merged across its sub-headings "Họ tên cha/mẹ", "Số điện thoại"). Each column is
    read as the field its lowest heading names, or its sub-heading and group heading together ("Họ tên" under
    "Cha" is "Họ tên cha"). Returns a `Header`."""
    alternatives = (required,) if isinstance(required, set) else tuple(required)
    wanted = set().union(*alternatives)
    known = set().union(*vocabulary.values())
    rows = sheet.rows

    def complete(columns):
        return any(fields <= set(columns) for fields in alternatives)

    for index, row in enumerate(rows[:scan]):
        columns = _fields_of(row, vocabulary)
        if not complete(columns):
            continue
        last = index
        for extra in (2, 1):  # the deepest header whose further rows continue it and lose no field
            more = rows[index + 1 : index + 1 + extra]
            if len(more) == extra and all(_merged_down(rows[index], r, columns, known) for r in more):
                found = _columns_of(rows[index : index + 1 + extra], vocabulary, wanted)
                if len(found) >= len(columns) and complete(found):
                    last, columns = index + extra, found
                    break
        titles = [" / ".join(parts) for parts in _headings(rows[index : last + 1])]
        return Header(index, last, columns, titles)
    names = sorted(alternatives[0])
    raise SpreadsheetError(
        _("Không tìm thấy dòng tiêu đề trong tệp %(file)s: cần có cột %(fields)s.")
        % {"file": sheet.filename, "fields": ", ".join(f"“{(labels or {}).get(f, f)}”" for f in names)}
    )


def _headings(header: list[list[str]]) -> list[list[str]]:
    """Each column's headings from the top row down: a group heading spread over the columns to its right up to
    the next heading on its row (an .ods carries no merges: the text sits in the leftmost cell only), and a
    heading merged down over several rows said once."""
    width = max(len(r) for r in header)
    group = [""] * len(header)
    out = []
    for col in range(width):
        cells = [(r[col].strip() if col < len(r) else "") for r in header]
        for level, cell in enumerate(cells):
            if cell:
                group[level] = cell
            elif not any(cells[level + 1 :]):
                group[level] = ""  # a column with nothing under this level is not in a group
        parts = []
        for level, cell in enumerate(cells):
            text = cell or (group[level] if any(cells[level + 1 :]) else "")
            if text and text not in parts:
                parts.append(text)
        out.append(parts)
    return out


def _columns_of(header: list[list[str]], vocabulary: dict[str, set[str]], wanted: set[str]) -> dict[str, int]:
    """{field: column} of a header of several rows: for each column, from the lowest heading up, the first text
    (a sub-heading with its group heading, or alone) that names a field not taken yet. A sub-heading naming one
    of the `wanted` fields (the child's own name) under a group heading that names no field ("Họ và tên" under
    "Mẹ") is the group's, never the child's."""
    by_key = {key: name for name, keys in vocabulary.items() for key in keys}
    columns: dict[str, int] = {}
    for col, parts in enumerate(_headings(header)):
        candidates = []
        for level in range(len(parts) - 1, -1, -1):
            groups = parts[:level]
            for upper in groups[::-1]:
                candidates += [f"{parts[level]} {upper}", f"{upper} {parts[level]}"]
            foreign = groups and not any(_key(g) in by_key for g in groups)
            if not (foreign and by_key.get(_key(parts[level])) in wanted):
                candidates.append(parts[level])
        for text in candidates:
            name = by_key.get(_key(text))
            if name and name not in columns:
                columns[name] = col
                break
    return columns
