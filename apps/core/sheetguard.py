"""Guarding the spreadsheet readers against hostile or broken files, before anything allocates.

python-calamine allocates the whole grid a sheet spans and cannot say how big that is beforehand; on a 1.6 KB
.xlsx whose two cells sit at A1 and XFD1048576 it aborts the process (no Python exception). So an .xlsx is
pre-scanned here, in-process and streaming (zipfile, a byte-level scan of the sheet's XML): the declared
dimension, the cells really present, the uncompressed sizes, each against a limit from the settings, and the
refusal names the limit and the far cell. .xls and .ods (binary and ODF formats with no cheap pre-scan) are read
in a forked child under an address-space limit: a file that still blows up kills the child, not the worker."""

import faulthandler
import functools
import io
import os
import pickle
import posixpath
import re
import resource
import select
import signal
import time
import warnings
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1 << 20
# The first sheet is scanned a quarter of a megabyte at a time: the scan's lists of tags found grow with the chunk
# (a megabyte of tags without positions, deflated to a few kilobytes, made about 30 MB of matches at once).
SCAN_CHUNK = 1 << 18
CHILD_SECONDS = 300  # longest a forked reader may take (CPU, and wall-clock time before it is killed)
ROW_MARGIN = 2000  # title rows, headers repeated on every printed page, notes and signatures around the data
# Read as calamine reads them: any namespace prefix, the attribute anywhere in the tag, either quote.
_PREFIX = rb"<(?:[\w.-]+:)?"
_COLUMN = re.compile(_PREFIX + rb"c\b[^>]*?\sr\s*=\s*[\"']([A-Za-z]{1,4})[0-9]")
_ROW = re.compile(_PREFIX + rb"row\b[^>]*?\sr\s*=\s*[\"']([0-9]{1,9})")
_CELL_ROW = re.compile(_PREFIX + rb"c\b[^>]*?\sr\s*=\s*[\"'][A-Za-z]{1,4}([0-9]{1,12})")
_CELL_TAG = re.compile(_PREFIX + rb"c\b")
_ROW_TAG = re.compile(_PREFIX + rb"row\b")
_DIMENSION = re.compile(
    _PREFIX + rb"dimension\b[^>]*?\sref\s*=\s*[\"']([A-Za-z]{1,4})?([0-9]{1,9})?:?([A-Za-z]{1,4})?([0-9]{1,9})?"
)
_SHEET = re.compile(_PREFIX + rb"sheet\b[^>]*?\br:id\s*=\s*[\"']([^\"']+)")
_REL = re.compile(_PREFIX + rb"Relationship\b[^>]*?>")
_TARGET = re.compile(rb"Target\s*=\s*[\"']([^\"']+)")
# A row's number, a cell past column Z, or a tag as the usual writers never write one: a cell or a row with no
# position first (`<c s="1">`; `<col>` and `<rowBreaks>` are not such tags) or with a namespace prefix.
_USUAL = re.compile(
    rb'<(?:c(?: r="([A-Z]{2,4})[0-9]|(?! r="|o))|row(?: r="([0-9]{1,9})"|(?! r="|B))|[\w.-]+:(?:c|row)\b)'
)


class TooLarge(ValueError):
    """A file over one of the import limits; the message names the file and the limit, in Vietnamese."""


def column_number(letters: bytes | str) -> int:
    """A, B, …, Z, AA … XFD as 1, 2, …, 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells_below(far_row: int) -> re.Pattern:
    """The row numbers of usual cells (`<c r="B12"`) written with more digits than `far_row`, or as many digits and
    a greater first one: cells placed further down than the rows around them. calamine places a cell by its own
    reference, not its row's (a cell at A999999999 inside `<row r="1">` spans a billion rows); in a file as the
    writers make them no cell matches, so the scan costs less than the count of the cells, and a cell that slips
    through is at most twice as far down as the rows really there."""
    digits = str(far_row)
    return _cells_beyond(len(digits), int(digits[0]))


@functools.cache
def _cells_beyond(length: int, first: int) -> re.Pattern:
    beyond = rb"[0-9]{%d,}" % (length + 1)
    if first != 9:
        beyond += rb"|[%d-9][0-9]{%d}" % (first + 1, length - 1)
    return re.compile(rb'<c r="[A-Z]{1,4}(' + beyond + rb')"')


def limits() -> tuple[int, int, int, int]:
    """(rows, columns, cells, uncompressed bytes) a sheet may span."""
    return (
        settings.IMPORT_MAX_ROWS + ROW_MARGIN,
        settings.IMPORT_MAX_COLUMNS,
        settings.IMPORT_MAX_CELLS,
        settings.IMPORT_MAX_UNCOMPRESSED_MB * 2**20,
    )


def _refuse_grid(filename: str, rows: int, columns: int, where: str) -> None:
    max_rows, max_columns, max_cells, _bytes = limits()
    values = {
        "file": filename,
        "where": where,
        "rows": f"{rows:,}".replace(",", "."),
        "cols": f"{columns:,}".replace(",", "."),
    }
    if rows > max_rows:
        values["max"] = f"{max_rows - ROW_MARGIN:,}".replace(",", ".")
        raise TooLarge(_("Tệp %(file)s có %(where)s ở dòng %(rows)s: quá giới hạn %(max)s dòng.") % values)
    if columns > max_columns:
        values["max"] = max_columns
        raise TooLarge(_("Tệp %(file)s có %(where)s ở cột thứ %(cols)s: quá giới hạn %(max)s cột.") % values)
    if rows * columns > max_cells:
        values["max"] = f"{max_cells:,}".replace(",", ".")
        raise TooLarge(
            _("Tệp %(file)s trải trên %(rows)s dòng × %(cols)s cột (tới %(where)s): quá giới hạn %(max)s ô.") % values
        )


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The member holding the workbook's first sheet (the one calamine reads), or "" when the file has no such
    sheet (not an Office Open XML workbook: an .ods, an .xlsb…)."""
    names = set(archive.namelist())
    try:
        with archive.open("xl/workbook.xml") as fh:
            workbook = fh.read(4 * CHUNK)
        with archive.open("xl/_rels/workbook.xml.rels") as fh:
            rels = fh.read(4 * CHUNK)
        first = _SHEET.search(workbook).group(1)
        for rel in _REL.findall(rels):
            if re.search(rb"Id\s*=\s*[\"']" + re.escape(first) + rb"[\"']", rel):
                target = _TARGET.search(rel).group(1).decode()
                path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else "xl/" + target)
                return path if path in names and path.endswith(".xml") else ""
    except (KeyError, AttributeError):
        pass
    return ""


# What a damaged archive raises while a member is inflated: a bad CRC or header, a broken deflate stream, a member
# cut short, a compression method zipfile does not know.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)


def prescan_xlsx(filename: str, data: bytes) -> bool:
    """Whether `data` is an Office Open XML workbook whose first sheet stays within the limits (then python-calamine
    may read it in-process). Refuses (TooLarge) one that spans, declares or inflates past them, naming the far cell;
    False for any other zip (an .ods, an .xlsb, a damaged file), which is read in a child process instead."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED:
        return False
    with archive:
        try:
            return _prescan(filename, archive)
        except TooLarge:
            raise
        except DAMAGED:  # a member that does not inflate: the reader in the child says the file is damaged
            return False


def _prescan(filename: str, archive: zipfile.ZipFile) -> bool:
    max_rows, max_columns, max_cells, max_bytes = limits()
    declared = sum(info.file_size for info in archive.infolist())
    if declared > max_bytes:
        raise TooLarge(
            _("Tệp %(file)s khi giải nén lên tới %(size)s MB: quá giới hạn %(max)s MB.")
            % {"file": filename, "size": declared // 2**20, "max": max_bytes // 2**20}
        )
    sheet = _first_sheet(archive)
    if not sheet:
        return False
    seen = far_row = far_col = rows = cells = declared_row = declared_col = 0
    tail = b""
    dimension_checked = False
    for name in [sheet, *(n for n in archive.namelist() if n != sheet)]:  # every member: a bomb hides anywhere
        with archive.open(name) as stream:  # decompressed as it is read: a zip bomb stops at the limit
            while chunk := stream.read(SCAN_CHUNK):
                seen += len(chunk)
                if seen > max_bytes:
                    raise TooLarge(
                        _("Tệp %(file)s khi giải nén vượt quá %(max)s MB.")
                        % {"file": filename, "max": max_bytes // 2**20}
                    )
                if name != sheet:
                    continue
                text = tail + chunk
                tail = text[-256:]
                if not dimension_checked and (match := _DIMENSION.search(text)):
                    dimension_checked = True
                    last_col, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
                    if last_col and last_row:
                        declared_row, declared_col = int(last_row), column_number(last_col.upper())
                        _refuse_grid(
                            filename,
                            int(last_row),
                            column_number(last_col.upper()),
                            _("vùng dữ liệu khai báo tới ô %(cell)s")
                            % {"cell": f"{last_col.decode().upper()}{int(last_row)}"},
                        )
                # Every tag as Excel, LibreOffice and the exporters write them, in one scan: each row's number,
                # the columns past Z, and any tag written otherwise (no position, a namespace prefix), which
                # sends the chunk to the scans below.
                marks = _USUAL.findall(text)
                if all(wide or row for wide, row in marks):
                    found = [row for _wide, row in marks if row]
                    found += _cells_below(max(far_row, *map(int, found)) if found else far_row).findall(text)
                    wide = {letters for letters, _row in marks if letters}  # usually none
                    chunk_rows, chunk_cells = chunk.count(b'<row r="'), chunk.count(b'<c r="')
                    columns = [column_number(letters) for letters in wide] or [26 if chunk_cells else 0]
                else:  # any attribute order, either quote, a namespace prefix: as calamine reads them
                    found = _ROW.findall(text) + _CELL_ROW.findall(text)
                    columns = [column_number(letters.upper()) for letters in set(_COLUMN.findall(text))]
                    # Cells and rows without a position take the next one: their number bounds the grid too.
                    chunk_rows = sum(1 for _tag in _ROW_TAG.finditer(chunk))  # counted, not listed
                    chunk_cells = sum(1 for _tag in _CELL_TAG.finditer(chunk))
                if found:
                    far_row = max(far_row, *map(int, found))
                if columns:
                    far_col = max(far_col, *columns)
                rows += chunk_rows
                cells += chunk_cells
                if far_row > max_rows or far_col > max_columns or rows > max_rows or cells > max_cells:
                    break
    if rows > max_rows or cells > max_cells:
        raise TooLarge(
            _("Tệp %(file)s có %(rows)s dòng, %(cells)s ô trong bảng: quá giới hạn.")
            % {"file": filename, "rows": f"{rows:,}".replace(",", "."), "cells": f"{cells:,}".replace(",", ".")}
        )
    if far_row or far_col:
        cell = f"{column_letters(max(far_col, 1))}{max(far_row, 1)}"
        _refuse_grid(filename, far_row, far_col, _("ô %(cell)s") % {"cell": cell})
    _refuse_sparse(filename, max(far_row, declared_row), max(far_col, declared_col), rows)
    return True


def _refuse_sparse(filename: str, far_row: int, far_col: int, rows: int) -> None:
    """A sheet reaching below IMPORT_SPARSE_ROWS with fewer than one row in IMPORT_SPARSE_RATIO present down to there:
    the reader would allocate the whole span for a handful of values (a forged file, or stray cells far below the
    table)."""
    if far_row <= settings.IMPORT_SPARSE_ROWS or rows * settings.IMPORT_SPARSE_RATIO >= far_row:
        return
    raise TooLarge(
        _(
            "Tệp %(file)s trải tới ô %(cell)s (dòng %(far)s) mà chỉ có %(rows)s dòng có dữ liệu: một bảng dài quá "
            "%(max)s dòng phải có dữ liệu ở ít nhất 1/%(ratio)s số dòng. Hãy xoá các dòng thừa ở cuối trang tính rồi "
            "tải lên lại."
        )
        % {
            "file": filename,
            "cell": f"{column_letters(max(far_col, 1))}{far_row}",
            "far": f"{far_row:,}".replace(",", "."),
            "rows": f"{rows:,}".replace(",", "."),
            "max": f"{settings.IMPORT_SPARSE_ROWS:,}".replace(",", "."),
            "ratio": settings.IMPORT_SPARSE_RATIO,
        }
    )


def address_space() -> int:
    """Bytes of address space the process uses now (Linux); 0 when it cannot be told."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def read_in_child(read, filename: str, data: bytes):
    """`read(filename, data)` run in a forked child under an address-space limit (IMPORT_MEMORY_MB) and a CPU
    limit; its result comes back pickled through a pipe. A child that dies (a reader that aborts, memory that runs
    out) is a TooLarge error; an exception it raises comes back as itself."""
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        # The child only reads the file and exits (os._exit): it takes no lock another thread may hold, and a child
        # that hangs all the same is killed after CHILD_SECONDS.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: no database, no Django teardown, only the read
        code = 0
        try:
            faulthandler.disable()  # a reader that aborts is this function's business: no dump on the worker's log
            os.close(reader)
            cap = address_space() + settings.IMPORT_MEMORY_MB * 2**20  # what the fork shares, plus the reader's own
            resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
            resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, resource.getrlimit(resource.RLIMIT_CPU)[1]))
            try:
                outcome = ("ok", read(filename, data))
            except Exception as exc:  # handed back to the parent, which raises it there
                outcome = ("error", exc)
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    payload, deadline = bytearray(), time.monotonic() + CHILD_SECONDS
    with os.fdopen(reader, "rb", buffering=0) as incoming:
        while True:
            ready, _w, _x = select.select([incoming], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                payload = bytearray()
                break
            chunk = incoming.read(CHUNK)
            if not chunk:
                break
            payload += chunk
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        raise TooLarge(
            _("Tệp %(file)s quá lớn hoặc hỏng: không đọc được trong giới hạn %(max)s MB bộ nhớ.")
            % {"file": filename, "max": settings.IMPORT_MEMORY_MB}
        )
    kind, value = pickle.loads(payload)
    if kind == "error" and isinstance(value, MemoryError):
        raise TooLarge(
            _("Tệp %(file)s quá lớn hoặc hỏng: không đọc được trong giới hạn %(max)s MB bộ nhớ.")
            % {"file": filename, "max": settings.IMPORT_MEMORY_MB}
        )
    if kind == "error":
        raise value
    return value
