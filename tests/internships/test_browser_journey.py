"""A Playwright journey (Debian's Chromium) of a 就业见习 agreement: the 广州 officer opens a
graduate's archive, signs them up for a base's 见习岗位, records the agreement, is refused going
on the post without insurance (the error beside the form, the agreement unchanged), records the
insurance and the start; the base's month then lists the intern with the claim, and the
花名册 downloads. Screenshots: test-artifacts/screenshots/internship-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from matchsvc import clock
from matchsvc.bench.server import running_server
from matchsvc.db import make_engine, make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.internships.service import approve_base
from matchsvc.models import Approver, PositionKind

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
def server(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> Iterator[tuple[str, int, int]]:
    url = databases.new(backend)
    _prepare(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        gz = officer_actor(s, "440100")
        e = employer(s, 99)
        post(s, e, "人事见习", [], kind=PositionKind.INTERNSHIP, headcount=5)
        b = approve_base(
            s, gz, e, Approver.HRSS, "穗人社函〔2026〕3号", TODAY - timedelta(days=200),
            TODAY + timedelta(days=300),
        )  # fmt: skip
        g = register_graduate(
            s, gz, graduate_input(make_id("440106", seq="992"), "440100", "440100", name="吴见习")
        )
        s.commit()
        ids = g.id, b.id
    engine.dispose()
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base, *ids


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"internship-{name}.png"), full_page=True)


def _step(page, action: str):  # type: ignore[no-untyped-def]
    return page.locator(f"form:has(input[name=action][value={action}])")


def test_an_intern_from_sign_up_to_the_months_roster(server: tuple[str, int, int]) -> None:
    base, gid, bid = server
    start = TODAY - timedelta(days=20)
    end = clock.add_months(start, 6) - timedelta(days=1)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        _login(page, base, "gz")
        page.goto(f"{base}/graduates/{gid}")
        page.click(f"main a[href='/internships/graduates/{gid}']")
        assert "尚未报名就业见习" in page.inner_text("main")
        page.select_option("#position_id", label="人事见习（单位99）")
        page.fill("#applied_on", (start - timedelta(days=10)).isoformat())
        page.click("button:has-text('报名')")
        assert "已报名：人事见习" in page.inner_text("main")

        page.click("summary:has-text('签订见习协议')")
        sign = _step(page, "sign")
        sign.locator("[name=signed_on]").fill((start - timedelta(days=3)).isoformat())
        sign.locator("[name=starts_on]").fill(start.isoformat())
        sign.locator("[name=months]").fill("6")
        sign.locator("[name=allowance]").fill("1900")
        _shot(page, "sign")
        sign.locator("button").click()
        assert "已签订见习协议" in page.inner_text("main")

        page.click("summary:has-text('上岗')")
        go = _step(page, "start")
        go.locator("[name=on]").fill(start.isoformat())
        go.locator("button").click()
        main = page.inner_text("main")
        assert "尚未登记人身意外伤害保险，不能上岗" in main and "已签协议" in main
        _shot(page, "refused")

        page.click("summary:has-text('登记人身意外伤害保险')")
        cover = _step(page, "insure")
        cover.locator("[name=policy_no]").fill("PICC-2026-77")
        cover.locator("[name=insurer]").fill("人保财险")
        cover.locator("[name=insured_from]").fill(start.isoformat())
        cover.locator("[name=insured_until]").fill(end.isoformat())
        cover.locator("button").click()
        page.click("summary:has-text('上岗')")
        go = _step(page, "start")
        go.locator("[name=on]").fill(start.isoformat())
        go.locator("button").click()
        main = page.inner_text("main")
        assert "已上岗" in main and "PICC-2026-77（人保财险）" in main and "在岗" in main
        _shot(page, "on-post")

        page.goto(f"{base}/internships/")
        page.click("a:has-text('单位99')")
        page.fill("#month", f"{start:%Y-%m}")
        page.click("button:has-text('查看')")
        main = page.inner_text("main")
        assert "吴见习" in main and "本省尚未设定见习补贴标准" in main
        _shot(page, "base")
        with page.expect_download() as got:
            page.click("a:has-text('下载花名册')")
        assert got.value.suggested_filename.startswith("见习人员花名册-单位99")
        assert got.value.path().read_bytes()[:2] == b"PK"
    assert bid > 0
