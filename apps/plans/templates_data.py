"""The templates new plans start from: one TOML file per kind in `kinds/` (Vietnamese), filled with this year's
dates, the owner's name, commune and principal, and its organisations (a template's party "organisation:<kind>"
becomes the owner's organisation of that kind, when it has one)."""

import datetime
import tomllib
from functools import cache
from pathlib import Path

from apps.core import doctemplate

DIR = Path(__file__).parent / "kinds"


@cache
def template(kind: str) -> dict:
    path = DIR / f"{kind}.toml"
    if not path.exists():
        path = DIR / "other.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["plan"]


def school_year_bounds(on: datetime.date) -> tuple[int, int]:
    start = on.year if on.month >= 7 else on.year - 1
    return start, start + 1


def fill(value, context: dict):
    """`{placeholder}`s filled in strings, lists and tables, recursively (only the fixed placeholders)."""
    if isinstance(value, str):
        return doctemplate._PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [fill(v, context) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, context) for k, v in value.items()}
    return value


def month_range(months: str, start_year: int) -> tuple[datetime.date, datetime.date]:
    """ "10+11" in the school year starting `start_year` → (1/10/start, 1/11/start); January–June fall next year."""
    numbers = [int(m) for m in months.split("+")]

    def first(m):
        return datetime.date(start_year if m >= 7 else start_year + 1, m, 1)

    return first(numbers[0]), first(numbers[-1])
