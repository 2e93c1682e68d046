"""Working days for the posting period of a sponsorship usage plan (Circular 16/2018: posted at least 15 working
days before it is carried out): Monday to Friday, minus the public holidays and days off in lieu of the
`CalendarDay` table, plus the make-up working days on a weekend it lists. The table is data (seeded for 2025–2027
from `data/holidays.csv`, editable in the admin: 2027 and the swapped days follow the usual pattern and are to be
checked against each year's official notice); a year it does not cover counts Monday–Friday only."""

import csv
import datetime
from pathlib import Path

POSTING_WORKING_DAYS = 15
HOLIDAYS_CSV = Path(__file__).parent / "data" / "holidays.csv"


def seeded_days() -> list[dict]:
    """The rows of `data/holidays.csv` (day, kind, name), for the data migration and the tests."""
    with HOLIDAYS_CSV.open(encoding="utf-8") as handle:
        return [
            {"day": datetime.date.fromisoformat(row["day"]), "kind": row["kind"], "name": row["name"]}
            for row in csv.DictReader(handle)
        ]


def _calendar(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    from apps.funds.models import CalendarDay

    return dict(CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "kind"))


def is_working_day(day: datetime.date, calendar: dict | None = None) -> bool:
    calendar = _calendar(day, day) if calendar is None else calendar
    kind = calendar.get(day)
    if kind == "holiday":
        return False
    if kind == "workday":
        return True
    return day.weekday() < 5


def executable_on(posted_on: datetime.date, working_days: int = POSTING_WORKING_DAYS) -> datetime.date:
    """The first day a plan posted on `posted_on` may be carried out: the day after the `working_days`-th
    working day counted from the day after posting (the posting day itself does not count)."""
    # 15 working days never span more than ~5 weeks, even across Tết: read the calendar once for a wide window.
    calendar = _calendar(posted_on, posted_on + datetime.timedelta(days=working_days * 3 + 30))
    day, counted = posted_on, 0
    while counted < working_days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, calendar):
            counted += 1
    return day + datetime.timedelta(days=1)
