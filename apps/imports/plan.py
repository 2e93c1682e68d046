"""What every importer shares: the table reader (header found, the user's column mapping applied, body rows),
the first pass over a file (`check_file`: each row parsed, then the checks across rows), the typed plan of
rows, the typed question, the preview summary and the rejected-rows workbook."""

import csv
import io
import operator
import re
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.spreadsheets import RowError, SpreadsheetError, find_table, read_sheet
from apps.core.text import exact_key, fold

PREVIEW_ROWS = 5  # rows under the header kept to show each column's values
# The end of a table: where it was made and when, and the titles of those who sign it (never read as a row).
_SIGNATURE = re.compile(
    r"^(.* )?ngay( \S+)? thang( \S+)? nam \d{4}$"
    r"|^(kt |tm |q |tl |p )?(hieu truong|pho hieu truong|nguoi lap bieu|nguoi lap|nguoi lap bang|nguoi ky"
    r"|thu truong don vi|xac nhan cua .*|giao vien chu nhiem|chu tich|pho chu tich|can bo pho cap)$"
)
# A sub-total or total row, read with its diacritics: "Cộng", "Cộng: 35 học sinh", "Tổng số", "Tổng cộng 312" —
# never a name ("Công", "Tống Văn A").
_TOTAL = re.compile(r"^(cộng|tổng cộng|tổng số|tổng|cộng trường|cộng toàn trường)(\s*:?\s*\d.*| học sinh.*| trẻ.*)?$")
MAX_LISTED = 1000  # errors and questions kept on the job for the preview (the workbook has every rejected row)


@dataclass
class Question:
    """Something only a person can decide, in one shape for every kind: `key` names it in the answers
    ("address:<text>", "match:<row>", "hamlet:<text>"), `candidates` are (value, label) pairs."""

    key: str
    prompt: str
    candidates: list[tuple[str, str]]
    allow_new: bool = False  # "none of these: a new one" is an answer too

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "prompt": self.prompt,
            "candidates": [list(c) for c in self.candidates],
            "allow_new": self.allow_new,
        }


@dataclass
class Plan:
    """The first pass over a file: every valid row (typed by the kind), every error, the questions to answer.
    Nothing is written while a plan is made."""

    filename: str
    header_row: int | None = None  # 1-based, as the user sees it in the sheet; None: no header row found
    header_rows: int = 1  # how many rows the header spans (a two-row export: 2)
    mapping: dict[str, str] = field(default_factory=dict)  # field → the header it was read from
    columns: dict[str, int] = field(default_factory=dict)  # field → column number (0-based)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the header row as written
    first_cells: list[list[str]] = field(default_factory=list)  # the first rows under the header, as written
    rejected: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)  # row → (cells, reasons)
    legacy_encoding: str | None = None  # "tcvn3" or "vni" when the file's text was converted
    notes: list[str] = field(default_factory=list)  # what the user should know ("the file is text, not .xlsx")
    target_missing: bool = False  # the file says in none of its columns what it is for: chosen on the preview

    def reject(self, row: int, cells, errors) -> None:
        """A row refused: its errors listed, the row kept once (with every reason) for the workbook."""
        self.errors.extend(errors)
        kept, reasons = self.rejected.get(row, (None, []))
        reasons = reasons + [f"{e.column}: {e.message}" for e in errors]
        self.rejected[row] = (list(cells) if cells else (kept or []), reasons)

    def typed_questions(self) -> list[Question]:
        return []


def read_vocabulary(path) -> dict[str, set[str]]:
    """A kind's header vocabulary, kept as data (a CSV of field, header): field → the folded headers naming it."""
    words: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words.setdefault(row["field"], set()).add(fold(row["header"].replace("(*)", "")))
    return words


def _fold_cell(row: list[str], col: int) -> str:
    return fold(row[col].replace("(*)", "")) if col < len(row) else ""


_NUMBER = re.compile(r"^\(?(\d{1,3}|[A-Za-z])\)?$")


def _numbering(cells: list[str]) -> bool:
    """A row that numbers the columns: 1, 2, 3… (or (1), (2)…, A, B, C…) across the row. Checked on the raw
    cells and stopped at the first that is not such a number (a data row stops at its second cell)."""
    if len(cells) < 3 or not all(_NUMBER.match(cell.strip()) for cell in cells):
        return False
    marks = [cell.strip().strip("()").lower() for cell in cells]
    if all(m.isdigit() for m in marks):
        return [int(m) for m in marks] == list(range(int(marks[0]), int(marks[0]) + len(marks)))
    return "".join(marks) == "abcdefghijklmnopqrstuvwxyz"[: len(marks)]


class TableReader:
    """Reads one file's table: the header row found by a kind's vocabulary, the user's changes to the column
    mapping applied, then the body rows as (row number, cells)."""

    def __init__(self, plan: Plan, *, vocabulary: dict[str, set[str]], labels: dict):
        self.plan = plan
        self.vocabulary = vocabulary
        self.labels = labels
        self.columns: dict[str, int] = {}
        self.title: list[str] = []
        self.width = 0

    def open(self, data: bytes, required: tuple[set[str], ...], columns: dict | None = None):
        """The body rows as (row number, cells), or None after recording why the file cannot be read."""
        plan = self.plan
        try:
            sheet = read_sheet(plan.filename, data)
        except SpreadsheetError as exc:
            plan.errors.append(str(exc))
            return None
        plan.legacy_encoding = sheet.legacy_encoding
        plan.notes.extend(sheet.notes)
        try:  # every alternative on each row: the earliest row naming one wins
            found = find_table(sheet, self.vocabulary, required, labels=self.labels)
        except SpreadsheetError as exc:
            plan.errors.append(str(exc))
            return None
        self.columns = found.columns
        self.title = found.titles
        for name, column in (columns or {}).items():  # the user's changes in the preview
            if name in self.labels:
                self.columns = {f: c for f, c in self.columns.items() if c != column and f != name}
                if column is not None and 0 <= int(column) < len(self.title):
                    self.columns[name] = int(column)
        plan.header = self.title  # kept even when a column is missing: the user fixes the mapping on the preview
        plan.header_row = found.first + 1
        plan.header_rows = found.last - found.first + 1
        plan.columns = dict(self.columns)
        plan.mapping = {
            f: self.title[c] for f, c in sorted(self.columns.items(), key=lambda item: item[1]) if f != "row_number"
        }
        if not any(fields <= set(self.columns) for fields in required):
            missing = ", ".join(f"“{self.labels[f]}”" for f in sorted(required[0]))
            plan.errors.append(_("Tệp %(file)s: cần có cột %(fields)s.") % {"file": plan.filename, "fields": missing})
            return None
        header_rows = [sheet.rows[n] for n in range(found.first, found.last + 1)]
        self.width = len(self.title)
        body = list(self.body(sheet.rows, found.last + 1, header_rows))
        del sheet
        plan.first_cells = [r for _n, r in body[:PREVIEW_ROWS]]
        if len(body) > settings.IMPORT_MAX_ROWS:
            plan.errors.append(
                _("Tệp %(file)s có %(n)s dòng, quá giới hạn %(max)s dòng.")
                % {"file": plan.filename, "n": len(body), "max": settings.IMPORT_MAX_ROWS}
            )
            plan.header_row = None
            return None
        return body

    def body(self, rows: list[list[str]], start: int, header: list[list[str]]):
        """(row number, cells) of the table's rows: blank rows, the header repeated on every printed page, rows
        numbering the columns ("1 2 3…", "(1) (2)…") and sub-total rows ("Cộng", "Tổng số") left out. A signature
        block ("…, ngày 05 tháng 9 năm 2025", "HIỆU TRƯỞNG", "Người lập biểu"), wherever its text sits, ends the
        table until the header is printed again (a list printed class by class); whatever was left unread under
        a signature is said in the plan's notes, never dropped in silence."""
        mapped = sorted(set(self.columns.values()))
        repeated = [[_fold_cell(r, c) for c in mapped] for r in header]
        first_titles = {r[mapped[0]] for r in header if mapped and mapped[0] < len(r)}
        signed, unread = False, []
        for number, row in enumerate(rows[start:], start=start + 1):
            filled = [cell for cell in row if cell]
            if not filled:
                continue
            if mapped and mapped[0] < len(row) and row[mapped[0]] in first_titles:  # the header, printed again
                if [_fold_cell(row, c) for c in mapped] in repeated:
                    signed = False
                    continue
            if len(filled) <= 3:  # short rows: signatures, totals, page numbers (folded only for these)
                texts = [fold(cell) for cell in filled]
                if any(_SIGNATURE.match(text) for text in texts):
                    signed = True
                    continue
                first = exact_key(filled[0])
                if _TOTAL.match(first) or (len(texts) == 1 and texts[0].isdigit() and not self.name_of(row)):
                    continue
            elif not filled[0][0].isdigit() and _TOTAL.match(exact_key(filled[0])):
                continue
            if signed:  # the names of those who sign, or rows a person should look at
                unread.append(number)
                continue
            if _numbering(filled):
                continue
            # Every row as wide as the header, plus one empty cell that fields without a column read (`getter`).
            width = self.width
            if len(row) != width + 1:
                del row[width:]
                row.extend([""] * (width + 1 - len(row)))
            yield number, row
        if len(unread) > 3:  # more than the names under a signature: say so
            self.plan.notes.append(
                _("Tệp %(file)s: %(n)s dòng dưới phần chữ ký (từ dòng %(first)s đến %(last)s) không được đọc.")
                % {"file": self.plan.filename, "n": len(unread), "first": unread[0], "last": unread[-1]}
            )

    def name_of(self, row) -> str:
        """The cell that says who or what a row is (a kind's main column), to tell a row from stray text."""
        return next(
            (self.cell(row, f) for f in ("full_name", "last_middle_name", "given_name", "name") if f in self.columns),
            "",
        )

    def getter(self, names: tuple[str, ...]):
        """A function giving the cells of `names` from a body row in one call (a field without a column reads the
        empty cell every body row ends with)."""
        indexes = [self.columns.get(name, self.width) for name in names]
        return operator.itemgetter(*indexes) if len(indexes) > 1 else (lambda row: (row[indexes[0]],))

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)  # cells come stripped (`read_sheet` gives NFC text with single spaces)
        return row[index] if index is not None and index < len(row) else ""

    def column(self, name: str) -> str:
        """The column a field was read from, as the file names it (or the field's name when there is none)."""
        return self.title[self.columns[name]] if name in self.columns else str(self.labels.get(name, name))


@dataclass
class Run:
    """One check of one file by one kind: who asked for it, the plan being made, the kind's parameters (a school
    year, a school, a commune: already checked against the actor's rights), the answers given on the preview, and
    the kind's reader (which also keeps what the kind remembers from row to row)."""

    actor: object
    plan: Plan
    params: dict
    decisions: dict
    reader: TableReader | None = None


def check_file(
    importer, *, actor, filename: str, data: bytes, params: dict, decisions=None, columns=None, progress=None
) -> Plan:
    """The first pass of every kind (an `apps.imports.registry.Importer`), writing nothing: the table read with
    the kind's reader and required fields, then each body row given to `importer.parse_row`, which returns the
    typed row (None for a row that is none: a note under the table, a hamlet already known) and reports each bad
    cell through `error(field, value, message)`; a row with errors is rejected once with every reason. Then
    `importer.check` runs the checks across rows (matching, duplicates, statuses). `progress(done, total)` is
    called now and then. Returns the plan."""
    plan = importer.new_plan(filename=filename, params=params)
    run = Run(actor=actor, plan=plan, params=params, decisions=decisions or {})
    reader = run.reader = importer.reader(run)
    parse = importer.parse_row
    body = reader.open(data, importer.required, columns)
    if body is None or not importer.ready(run):
        return plan
    total = len(body)
    for index, (number, row) in enumerate(body):
        body[index] = None  # each row's text is let go once read: the sheet is never held twice
        if progress is not None and index % 1000 == 0:
            progress(index, total)
        errors = []

        def error(name, value, message, errors=errors, number=number):
            errors.append(RowError(number, reader.column(name), value, message))

        record = parse(run, number, row, error)
        if errors:
            plan.reject(number, row, errors)
        elif record is not None:
            plan.rows.append(record)
    del body
    importer.check(run)
    if progress is not None:
        progress(total, total)
    return plan


def summary(plan: Plan) -> dict:
    """What the preview of any kind shows: the header and how its columns are read, the first rows as written,
    the errors (the first MAX_LISTED; every rejected row is in the workbook) and the questions."""
    width = len(plan.header)
    questions = plan.typed_questions()
    return {
        "header_row": plan.header_row,
        "header": plan.header,
        "columns": plan.columns,
        "mapping": plan.mapping,
        "legacy_encoding": plan.legacy_encoding,
        "notes": plan.notes,
        "first_cells": [list(r[:width]) for r in plan.first_cells],
        "rows": len(plan.rows),
        "error_count": len(plan.errors),
        "errors": [str(e) for e in plan.errors[:MAX_LISTED]],
        "rejected_count": len(plan.rejected),
        "questions": [q.as_dict() for q in questions[:MAX_LISTED]],
        "question_count": len(questions),
        "target_missing": plan.target_missing,
    }


def read_answers(data, summary: dict, saved: dict) -> dict:
    """The answers given on the preview (`q-<n>`: one of the values the n-th question offers, or "new" where a
    new one is allowed), added to those given before: {question key: choice}."""
    answers = dict(saved)
    for n, question in enumerate(summary.get("questions", [])):
        choice = data.get(f"q-{n}", "")
        allowed = {str(value) for value, _label in question["candidates"]} | (
            {"new"} if question["allow_new"] else set()
        )
        if choice and choice in allowed:
            answers[question["key"]] = choice
    return answers


def read_mapping(data, summary: dict, labels: dict) -> dict:
    """{field: column number or None} from the preview's column selects (`col-<n>`): the fields the user moved,
    and those found by the headers that the user set aside. A field chosen for two columns is refused."""
    chosen: dict[str, int] = {}
    for index, title in enumerate(summary.get("header", [])):
        name = data.get(f"col-{index}", "")
        if name not in labels:
            continue
        if name in chosen:
            raise ValueError(
                _("“%(field)s” được chọn cho hai cột: %(a)s và %(b)s.")
                % {"field": labels[name], "a": summary["header"][chosen[name]], "b": title}
            )
        chosen[name] = index
    mapping = {name: None for name in summary.get("columns", {}) if name not in chosen}
    mapping.update(chosen)
    return mapping


def rejected_workbook(plan: Plan, data: bytes | None = None) -> bytes:
    """The rejected rows as they were written (each once, with every reason), under the file's own header, with
    a reason column: fix them there and import that workbook. Rows refused after reading (a status that cannot
    follow, a child ongoing elsewhere) get their cells from a second read of `data`. Cells are written as the text
    they were read as (a code keeps its leading zeros), never as formulas; only the row number is a number."""
    if data is not None and any(not cells for cells, _reasons in plan.rejected.values()):
        rows = read_sheet(plan.filename, data).rows
        for number, (cells, reasons) in list(plan.rejected.items()):
            if not cells and 0 < number <= len(rows):
                plan.rejected[number] = (rows[number - 1], reasons)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    width = len(plan.header)
    for col, text in enumerate([*plan.header, _("Lý do bị từ chối"), _("Dòng trong tệp gốc")]):
        sheet.write_string(0, col, str(text), bold)
    for index, number in enumerate(sorted(plan.rejected), start=1):
        cells, reasons = plan.rejected[number]
        cells = (list(cells) + [""] * width)[:width]
        for col, text in enumerate([*cells, "; ".join(reasons)]):
            if text not in (None, ""):
                sheet.write_string(index, col, str(text))
        sheet.write_number(index, width + 1, number)
    book.close()
    return buffer.getvalue()
