"""Reading the values officials type into roster spreadsheets. Each reader returns a clean value or raises
ValueError with a message (in Vietnamese) that the importer puts beside the row, column and value."""

import datetime
import re
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import fold, nfc
from apps.students.identity import ethnicity_code
from apps.students.models import Grade

YES = {"x", "co", "1", "c", "yes", "true", "dung"}
NO = {"", "0", "khong", "k", "no", "false"}
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_GRADE_IN_CLASS = re.compile(r"^(\d{1,2})(?:\D|$)")
PRESCHOOL_CLASSES = {
    "la": Grade.KINDER_5,
    "choi": Grade.KINDER_4,
    "mam": Grade.KINDER_3,
    "be": Grade.KINDER_3,
    "nho": Grade.KINDER_4,
    "lon": Grade.KINDER_5,
    "nha tre": Grade.CRECHE_25_36,
}


def flag(text: str) -> bool:
    """'x', 'X', 'có', '1' are yes; blank, '0', 'không' are no."""
    if not text:
        return False
    key = fold(text)
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(_("không hiểu “%(v)s” (ghi x hoặc để trống)") % {"v": text})


def birth(text: str, *, today: datetime.date | None = None) -> tuple[datetime.date | None, int]:
    """(date or None, year) from 'dd/mm/yyyy', 'd/m/yy', '2019-05-04' or a year alone; never in the future."""
    return _birth(text, today or timezone.localdate())


@lru_cache(maxsize=1 << 16)  # a school year's children share a few thousand birth dates
def _birth(text: str, today: datetime.date) -> tuple[datetime.date | None, int]:
    text = nfc(text)
    if not text:
        raise ValueError(_("thiếu ngày sinh"))
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        day = None
    elif re.fullmatch(r"\d{5}", text):  # a date cell that lost its format: Excel's day serial (1900 system)
        day = EXCEL_EPOCH + datetime.timedelta(days=int(text))
        year = day.year
    elif iso := _ISO.match(text):
        day = _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), text)
        year = day.year
    elif parts := _DATE.match(text):
        d, m, y = (int(p) for p in parts.groups())
        if y < 100:  # two-digit years: the latest year not in the future
            y += 2000 if 2000 + y <= today.year else 1900
        day = _date(y, m, d, text)
        year = y
    else:
        raise ValueError(_("ngày sinh “%(v)s” không đúng dạng ngày/tháng/năm") % {"v": text})
    if year > today.year or (day and day > today):
        raise ValueError(_("ngày sinh “%(v)s” ở tương lai") % {"v": text})
    if year < today.year - 30:
        raise ValueError(_("năm sinh %(y)s không phải của trẻ em, học sinh") % {"y": year})
    return day, year


def _date(y: int, m: int, d: int, text: str) -> datetime.date:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        raise ValueError(_("ngày sinh “%(v)s” không có thật") % {"v": text}) from None


def sex(text: str) -> str:
    key = fold(text)
    if key in {"nam", "m", "trai"}:
        return "M"
    if key in {"nu", "f", "gai"}:
        return "F"
    raise ValueError(_("giới tính “%(v)s” phải là Nam hoặc Nữ") % {"v": text})


def ethnicity(text: str) -> str:
    if not text.strip():
        return "01"
    code = ethnicity_code(text)
    if code is None:
        raise ValueError(_("dân tộc “%(v)s” không có trong danh mục 54 dân tộc") % {"v": text})
    return code


def grade(class_name: str, grade_text: str = "") -> str:
    """The grade from a 'Khối' column or from the class name: '6/2' → 6, '10A1' → 10, 'Lá 1' → kindergarten 5."""
    for text in (grade_text, class_name):
        key = fold(text)
        if not key:
            continue
        if key.isdigit() and 1 <= int(key) <= 12:
            return key
        if number := _GRADE_IN_CLASS.match(key):
            value = int(number.group(1))
            if 1 <= value <= 12:
                return str(value)
        for word, code in PRESCHOOL_CLASSES.items():
            if key.startswith(word):
                return code
    raise ValueError(_("không đọc được khối lớp từ “%(v)s”") % {"v": class_name or grade_text})


def code(text: str, *, length: int | None = None) -> str:
    """An identifier typed into a spreadsheet: digits that lost their leading zeros get them back."""
    text = nfc(text).replace(" ", "")
    if length and text.isdigit() and len(text) < length:
        text = text.zfill(length)
    return text


def day(text: str, *, today: datetime.date | None = None) -> datetime.date:
    """A whole date that has already come (a survey date): 'dd/mm/yyyy', 'd/m/yy', '2025-09-15' or a date cell."""
    today = today or timezone.localdate()
    text = nfc(text)
    try:
        if iso := _ISO.match(text):
            value = datetime.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif re.fullmatch(r"\d{5}", text):
            value = EXCEL_EPOCH + datetime.timedelta(days=int(text))
        elif parts := _DATE.match(text):
            d, m, y = (int(p) for p in parts.groups())
            value = datetime.date(y + 2000 if y < 100 else y, m, d)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(_("“%(v)s” không phải một ngày (ngày/tháng/năm)") % {"v": text}) from None
    if value > today:
        raise ValueError(_("ngày “%(v)s” ở tương lai") % {"v": text})
    return value
