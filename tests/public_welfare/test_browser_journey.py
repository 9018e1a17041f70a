"""A Playwright journey (Debian's Chromium) of a 公益性岗位 period: the 广州 officer opens a
graduate's archive, places them on a public-welfare post, records the first 年度考核, then the
exit for another job; the 空岗报告 appears on 公益性岗位 and is marked filed. Screenshots:
test-artifacts/screenshots/welfare-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from matchsvc.bench.server import running_server
from matchsvc.db import make_engine, make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import PositionKind

from ..conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    FreshDatabases,
    graduate_input,
    make_id,
    officer_actor,
)
from ..helpers import TODAY, employer, post
from ..portals.test_browser import BROWSER, SHOTS, _login, _prepare, chromium

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = BROWSER


@pytest.fixture
def server(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[tuple[str, int]]:
    url = databases.new(backend)
    _prepare(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        gz = officer_actor(s, "440100")
        post(s, employer(s, 99), "社区服务公益岗", [], kind=PositionKind.PUBLIC_WELFARE)
        g = register_graduate(
            s, gz, graduate_input(make_id("440106", seq="991"), "440100", "440100", name="周公益")
        )
        s.commit()
        gid = g.id
    engine.dispose()
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base, gid


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"welfare-{name}.png"), full_page=True)


def test_a_public_welfare_period_from_placement_to_its_report(
    server: tuple[str, int],
) -> None:
    base, gid = server
    start = TODAY - timedelta(days=400)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(page, base, "gz")
        page.goto(f"{base}/graduates/{gid}")
        page.click(f"main a[href='/welfare/graduates/{gid}']")
        assert "尚未安置过公益性岗位" in page.inner_text("main")
        page.select_option("#position_id", label="社区服务公益岗（单位99）")
        page.fill("#starts_on", start.isoformat())
        _shot(page, "place")
        page.click("button:has-text('安置')")
        main = page.inner_text("main")
        assert "已安置" in main and f"{start} 上岗" in main

        page.click("summary:has-text('记录年度考核')")
        page.fill("#year", "1")
        page.check("input[name=outcome][value=pass]")
        page.click("button:has-text('保存考核')")
        assert "第 1 年考核" in page.inner_text("main")

        page.click("summary:has-text('办理退出')")
        page.select_option("#reason", "other_job")
        _shot(page, "exit")
        page.click("button:has-text('确认退出')")
        main = page.inner_text("main")
        assert "退出（另行就业）" in main and "空岗报告请于" in main

        page.goto(f"{base}/welfare/")
        assert "社区服务公益岗" in page.inner_text("main") and "待报送" in page.inner_text("main")
        page.click("button:has-text('已报送')")
        assert "已报送" in page.inner_text("main")
        _shot(page, "ledger")
