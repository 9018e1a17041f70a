"""One clock for the whole service: instants are UTC, calendar dates are China's (北京时间).

A union officer's "today" is the date in Beijing, whatever the server's own time zone: a job that
runs at 01:00 北京时间 works with that day's date, not the UTC date (still yesterday at 01:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: 北京时间, the zone of every date users read and of the scheduled jobs.
CHINA = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current instant, timezone-aware UTC (as stored)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in China."""
    return datetime.now(CHINA).date()


def china_date(moment: datetime) -> date:
    """The date in China of an aware instant."""
    return moment.astimezone(CHINA).date()


def start_of(day: date) -> datetime:
    """The instant a Chinese calendar day begins (00:00 北京时间), in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=CHINA).astimezone(UTC)


def china_time(moment: datetime) -> datetime:
    """An aware instant as 北京时间, for display."""
    return moment.astimezone(CHINA)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day
    (31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(day.day, last))


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`; public holidays
    and their swapped weekends are not known here."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for n in range(1, rest + 1):
        if (start.toordinal() + n - 1) % 7 < 5:  # date.fromordinal(1) is a Monday
            count += 1
    return count


def working_days_before(end: date, n: int) -> date:
    """The latest date from which `end` is `n` working days later."""
    day = end
    while working_days_between(day, end) < n:
        day = date.fromordinal(day.toordinal() - 1)
    return day
