"""Money in đồng (₫) and quantities of goods.

Amounts are whole đồng in Python `int` (a `BigIntegerField` in the database): the đồng has no subunit in use, so a
float or a Decimal never carries money. Quantities of goods (kilograms of rice, sets of books) are
`Decimal(12, 2)`. Vietnamese writes thousands with dots ("1.234.567 ₫") and decimals with a comma ("2,5 kg");
people also type spaces or, copying from English software, commas between thousands. The parsers accept what
people type and refuse, naming what is wrong, anything they cannot read without guessing.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CURRENCY = "₫"
QUANTITY_PLACES = Decimal("0.01")
MAX_AMOUNT = 10**15  # a thousand thousand billion đồng: far above any gift, far below a BIGINT

_UNITS = re.compile(r"(₫|vnđ|vnd|đồng|đ)\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def format_vnd(amount: int | None, *, symbol: bool = True) -> str:
    """1234567 → "1.234.567 ₫"; -5000 → "-5.000 ₫"; None → "" (nothing entered)."""
    if amount is None:
        return ""
    text = f"{abs(int(amount)):,}".replace(",", ".")
    if amount < 0:
        text = "-" + text
    return f"{text} {CURRENCY}" if symbol else text


def format_quantity(quantity: Decimal | int | None) -> str:
    """Decimal("1234.50") → "1.234,5"; Decimal("12.00") → "12" (Vietnamese separators, no useless zeros)."""
    if quantity is None:
        return ""
    value = Decimal(quantity).quantize(QUANTITY_PLACES)
    whole, _dot, fraction = f"{abs(value):,.2f}".partition(".")
    whole = whole.replace(",", ".")
    fraction = fraction.rstrip("0")
    text = f"{whole},{fraction}" if fraction else whole
    return "-" + text if value < 0 else text


def parse_vnd(value) -> int:
    """An amount of đồng from what a person typed or a spreadsheet held: "1.234.567", "1 234 567 ₫", "1,234,567",
    "500000đ", 500000, 500000.0. Refuses (ValueError, in Vietnamese) fractions of a đồng, negative amounts and
    text that is not a number."""
    if isinstance(value, bool):
        raise ValueError(_("Số tiền không hợp lệ."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, (float, Decimal)):
        if value != int(value):
            raise ValueError(_("Số tiền phải là số đồng nguyên, không có phần lẻ."))
        amount = int(value)
    else:
        text = _UNITS.sub("", str(value or "").strip()).strip()
        if not text:
            raise ValueError(_("Chưa nhập số tiền."))
        negative = text.startswith("-")
        text = text.lstrip("-").strip()
        if text.isdigit():
            digits = text
        elif _GROUPED.match(text) and len({c for c in text if not c.isdigit()}) == 1:
            digits = re.sub(r"\D", "", text)
        elif re.fullmatch(r"\d+[.,]0+", text):  # "500000,00" or "500000.00" from an accounting sheet
            digits = re.split(r"[.,]", text)[0]
        else:
            raise ValueError(
                _("“%(value)s” không phải số tiền: nhập số đồng, ví dụ 1.500.000.") % {"value": str(value).strip()}
            )
        amount = -int(digits) if negative else int(digits)
    if amount < 0:
        raise ValueError(_("Số tiền không được âm."))
    if amount >= MAX_AMOUNT:
        raise ValueError(_("Số tiền quá lớn."))
    return amount


def parse_quantity(value) -> Decimal:
    """A quantity of goods, two decimals at most: "2,5" → 2.50; "1.234,5" → 1234.50; "1.500" → 1500 (dots group
    thousands); "1.5" → 1.50 (a dot not followed by three digits is a decimal point); 12 → 12.00."""
    if isinstance(value, bool):
        raise ValueError(_("Số lượng không hợp lệ."))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = re.sub(r"\s", "", str(value or ""))
        if not text:
            raise ValueError(_("Chưa nhập số lượng."))
        if "," in text and "." in text:  # the last one is the decimal mark
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            grouping = "." if decimal_mark == "," else ","
            text = text.replace(grouping, "").replace(decimal_mark, ".")
        elif "," in text:
            text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
        elif text.count(".") > 1 or _GROUPED.match(text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” không phải số lượng.") % {"value": str(value).strip()}) from None
    if not number.is_finite():
        raise ValueError(_("Số lượng không hợp lệ."))
    if number <= 0:
        raise ValueError(_("Số lượng phải lớn hơn 0."))
    if number >= Decimal("1e10"):  # before quantizing: a huge number (1e30) cannot be quantized to two places
        raise ValueError(_("Số lượng quá lớn."))
    if number != number.quantize(QUANTITY_PLACES):
        raise ValueError(_("Số lượng có nhiều nhất hai chữ số thập phân."))
    return number.quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
