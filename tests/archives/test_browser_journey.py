"""A Playwright journey (Debian's Chromium) of the archive's lifecycle: a family applies on line
(no sign-in), the 广州 officer finds it on 今日待办 and takes it 初审 → 入户调查 → 公示 → 建档, each
step from the page the last one leads to; the work list then has nothing left of it. The server
runs with a one-day 公示 (MATCHSVC_PUBLICITY_DAYS=1) so that the journey ends the same day.
Screenshots: test-artifacts/screenshots/archive-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from matchsvc.bench.server import running_server

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, make_id
from ..portals.test_browser import BROWSER, SHOTS, _login, _prepare, chromium

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = BROWSER


@pytest.fixture
def server(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[str]:
    url = databases.new(backend)
    _prepare(url)
    env = {
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        "MATCHSVC_PUBLICITY_DAYS": "1",
    }
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"archive-{name}.png"), full_page=True)


def test_an_online_application_becomes_an_archive(server: str) -> None:
    with chromium() as browser:
        family = browser.new_page(viewport={"width": 390, "height": 844})
        family.goto(f"{server}/apply")
        family.fill("#name", "林晓雯")
        family.fill("#id_number", make_id("440106", born="20030512", seq="462"))
        family.fill("#phone", "13800138462")
        family.select_option("#home_org", "440100")
        family.fill("#school_name", "广东工业大学")
        family.select_option("#school_region", "440100")
        family.fill("#major_text", "会计学")
        family.fill("#graduation_year", "2026")
        family.check("input[name=hardships][value=dibao]")
        family.check("#consent")
        _shot(family, "apply")
        family.click("main button[type=submit]")
        assert "申请已提交" in family.inner_text("main")
        _shot(family, "applied")

        officer = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(officer, server, "gz")
        officer.goto(f"{server}/todo/")
        assert "建档申请待初审：1 份" in officer.inner_text("#lifecycle")
        _shot(officer, "todo")
        officer.click("#lifecycle a[href$='/archive/reviewed']")
        officer.click("main button[type=submit]")  # 初审通过, today
        assert "档案状态：初审" in officer.inner_text("main")

        officer.click("a:has-text('登记入户调查')")
        officer.click("main button[type=submit]")  # nothing filled: every error at once
        errors = officer.locator("p.error").all_inner_texts()
        assert len(errors) >= 3
        officer.fill("#visitors", "李干事、陈干事")
        officer.select_option("#confirmed", "yes")
        officer.check("#consent")
        _shot(officer, "visit")
        officer.click("main button[type=submit]")
        assert "档案状态：入户调查" in officer.inner_text("main")

        officer.click("a:has-text('开始公示')")
        officer.click("main button[type=submit]")  # a one-day 公示, ending today
        assert "档案状态：公示" in officer.inner_text("main")
        officer.click("a:has-text('公示期满，建档')")
        officer.fill("#objections", "公示期间无异议")
        officer.click("main button[type=submit]")
        main = officer.inner_text("main")
        assert "档案状态：建档" in main and "调查人员：李干事、陈干事" in main
        _shot(officer, "opened")

        officer.goto(f"{server}/todo/")
        lifecycle = officer.inner_text("#lifecycle")
        assert "建档申请待初审：0 份" in lifecycle and "公示中：0 份" in lifecycle
        assert "林晓雯" not in lifecycle
