"""One clock: instants in UTC, dates in China. A job firing at 01:00 北京时间 works with that
day's date although the UTC date is still the day before."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.ops.scheduler import JobContext


def test_dates_are_china_s(session: Session) -> None:
    one_am_beijing = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert clock.china_date(one_am_beijing) == date(2026, 12, 1)
    assert JobContext(session, one_am_beijing).today == date(2026, 12, 1)
    assert clock.china_time(one_am_beijing).hour == 1
    assert clock.now().tzinfo is UTC
