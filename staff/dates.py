"""Small date helpers shared by the staff rules (no dateutil needed)."""

import calendar
import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def full_years_and_months(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Whole years and months from `start` to `end` (0, 0 when end precedes start)."""
    if end < start:
        return 0, 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and add_months(start, months) > end:
        months -= 1
    return months // 12, months % 12


# Public holidays of the Russian labour calendar (Labour Code art. 112) outside the New Year break.
HOLIDAYS = {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, not in the New Year break (1–8 January), not a public holiday. (Transfers of
    days off, which the government sets each year, are not known here.)"""
    return (
        day.weekday() < 5 and not (day.month == 1 and day.day <= 8) and (day.month, day.day) not in HOLIDAYS
    )


def working_day(day: datetime.date, *, backward: bool = False) -> datetime.date:
    """`day` if it is a working day, else the next one (or the previous one, `backward`)."""
    step = datetime.timedelta(days=-1 if backward else 1)
    while not is_working_day(day):
        day += step
    return day
