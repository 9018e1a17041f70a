"""One clock: instants in UTC, dates in China. A job firing at 01:00 北京时间 works with that
day's date although the UTC date is still the day before."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.ops.scheduler import JobContext

from ..sources import ROOT, python_modules


def test_dates_are_china_s(session: Session) -> None:
    one_am_beijing = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert clock.china_date(one_am_beijing) == date(2026, 12, 1)
    assert JobContext(session, one_am_beijing).today == date(2026, 12, 1)
    assert clock.china_time(one_am_beijing).hour == 1
    assert clock.now().tzinfo is UTC


def test_no_module_reads_the_server_s_own_date() -> None:
    """Every date comes from the one clock: `date.today` (the server's zone, UTC in production)
    gave referrals dated a day apart from the forms' defaults in the evening."""
    offenders = []
    for path in python_modules().values():
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("today", "utcnow")
                and isinstance(node.value, ast.Name)
                and node.value.id in ("date", "datetime")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
