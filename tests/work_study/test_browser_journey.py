"""A Playwright journey (Debian's Chromium) of 勤工俭学: the 广州 officer opens a student's archive
(在校生), sees only the summer post among the recommendations and refers the student; the
employer records 录用 on the post's page; the student's archive then holds a 勤工俭学 service (not
实现就业) and the officer's 勤工俭学 page counts the placement. Screenshots:
test-artifacts/screenshots/work-study-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from matchsvc.bench.server import running_server
from matchsvc.db import make_engine, make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Employer, PositionKind

from ..conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    FreshDatabases,
    graduate_input,
    make_id,
    officer_actor,
)
from ..helpers import TODAY, post
from ..portals.test_browser import BROWSER, SHOTS, _login, _prepare, chromium

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = BROWSER
SUMMER = TODAY.year + 1


@pytest.fixture
def server(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[tuple[str, int]]:
    url = databases.new(backend)
    _prepare(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        metro = s.scalars(select(Employer)).one()
        post(
            s, metro, "暑期站务助理", [], kind=PositionKind.WORK_STUDY, headcount=2,
            work_starts_on=date(SUMMER, 7, 6), work_ends_on=date(SUMMER, 8, 14),
            hours_per_week=20, pay_per_hour=Decimal("23.00"),
        )  # fmt: skip
        g = register_graduate(
            s, officer_actor(s, "440100"),
            graduate_input(make_id("440106", born="20050601", seq="781"), "440100", "440100",
                           name="暑期学生", graduation_year=SUMMER + 1, student=True,
                           registered_on=TODAY, major_text="交通运输", wish_regions=["440100"]),
        )  # fmt: skip
        s.commit()
        gid = g.id
    engine.dispose()
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base, gid


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"work-study-{name}.png"), full_page=True)


def test_a_student_referred_hired_and_counted(server: tuple[str, int]) -> None:
    base, gid = server
    with chromium() as browser:
        officer = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(officer, base, "gz")
        officer.goto(f"{base}/graduates/{gid}")
        assert "在校生，预计毕业" in officer.inner_text("main")
        officer.click("main a:has-text('推荐岗位与培训')")
        main = officer.inner_text("main")
        assert "勤工俭学岗位" in main and "暑期站务助理" in main
        assert "信号系统工程师" not in main  # no job for a student
        _shot(officer, "recommended")
        officer.click("li:has-text('暑期站务助理') button:has-text('推荐到该岗位')")
        assert "已推荐" in officer.inner_text("main")

        hr = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(hr, base, "metro_hr")
        hr.click("a:has-text('暑期站务助理')")
        assert "每周 20 小时，23.00 元/小时" in hr.inner_text("main")
        hr.click("a.button:has-text('录用')")
        hr.click("main button[type=submit]")
        _shot(hr, "hired")

        officer.goto(f"{base}/graduates/{gid}")
        archive = officer.inner_text("main")
        assert "勤工俭学" in archive
        officer.goto(f"{base}/work-study/?year={TODAY.year}")
        table = officer.inner_text("main table")
        assert "广州市总工会" in table
        _shot(officer, "report")
