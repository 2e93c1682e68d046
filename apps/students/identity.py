"""Identity facts of a child: the 12-digit personal ID and the 54 ethnic groups."""

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.text import fold

ETHNICITIES = Path(__file__).parent / "data" / "ethnicities.csv"


def personal_id_facts(personal_id: str) -> tuple[int, str]:
    """(birth year, sex) that a personal ID states: province (3 digits) + century/sex digit + year (2) + 6."""
    digit, yy = int(personal_id[3]), int(personal_id[4:6])
    return 1900 + (digit // 2) * 100 + yy, "M" if digit % 2 == 0 else "F"


def clean_personal_id(value: str, *, birth_year: int, sex: str) -> str | None:
    """The 12-digit personal ID, or None when blank; its century/sex digit and birth-year digits must agree
    with the record. Its province prefix is the pre-2025 province of birth registration and is not checked."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        return None
    if value.isdigit() and len(value) < 12:
        value = value.zfill(12)  # spreadsheets drop leading zeros
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(
            {"personal_id": _("Số định danh cá nhân “%(v)s” phải gồm đúng 12 chữ số.") % {"v": value}}
        )
    year, id_sex = personal_id_facts(value)
    if year != birth_year:
        raise ValidationError(
            {
                "personal_id": _("Số định danh %(v)s ghi năm sinh %(a)s, nhưng hồ sơ ghi năm sinh %(b)s.")
                % {"v": value, "a": year, "b": birth_year}
            }
        )
    if id_sex != sex:
        labels = {"M": _("nam"), "F": _("nữ")}
        raise ValidationError(
            {
                "personal_id": _("Số định danh %(v)s ghi giới tính %(a)s, nhưng hồ sơ ghi giới tính %(b)s.")
                % {"v": value, "a": labels[id_sex], "b": labels.get(sex, sex)}
            }
        )
    return value


@cache
def ethnicity_table() -> tuple[dict[str, str], dict[str, str]]:
    """({code: name}, {folded name or alias: code}) from the data file."""
    names, lookup = {}, {}
    with ETHNICITIES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names[row["code"]] = row["name"]
            for spelling in [row["name"], *filter(None, row["aliases"].split(";"))]:
                lookup[fold(spelling).replace(" ", "")] = row["code"]
    return names, lookup


def ethnicity_choices() -> list[tuple[str, str]]:
    return sorted(ethnicity_table()[0].items())


def ethnicity_code(text: str) -> str | None:
    """'H'Mông', 'Mông', 'Ca Dong' → their code; None when unknown."""
    return ethnicity_table()[1].get(fold(text).replace(" ", ""))
