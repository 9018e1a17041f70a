"""A Playwright journey per role on the demo (Debian's Chromium), each page it passes kept as a
screenshot in test-artifacts/screenshots/role-*.png: the officer's day (今日待办, a follow-up
answered on the phone, registration after the cutoff, the placement plan with its org chooser and
per-graduate reasons), the employer's (counts that lead to the posts, a row's actions, the step's
page with its date-time picker, 录用's confirmation naming who), the graduate's at 360 px, and
HQ's (the overdue counts per province, retention per province); the menu on one line at 1366 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from matchsvc.app import create_app
from matchsvc.bench.server import running_server
from matchsvc.cli import main

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, app_config
from .test_browser import CHROMIUM, SHOTS, chromium

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no Chromium at {CHROMIUM} (install Debian's chromium package; .ci/run does)",
    ),
]


@pytest.fixture
def demo(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[str]:
    url = databases.new(backend)
    app = create_app(app_config(url))
    result = app.test_cli_runner().invoke(main, ["demo", "--graduates", "400"])
    app.extensions["matchsvc.db"]["engine"].dispose()
    assert result.exit_code == 0, result.output
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base


def _login(page, base: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"role-{name}.png"), full_page=True)


def test_each_role_walks_its_day(demo: str) -> None:
    with chromium() as browser:
        officer = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(officer, demo, "gz_officer", "Demo-gz-2012")
        officer.goto(f"{demo}/todo/")
        # the menu keeps to one line at 1366 px; the rest is under 更多
        assert officer.evaluate("document.querySelector('header.top nav').offsetHeight") < 40
        officer.click("details.more summary")
        assert officer.is_visible("details.more a:has-text('档案转移')")
        text = officer.inner_text("main")
        assert "就业回访到期" in text and "待反馈" in text and "一年未核实" in text
        _shot(officer, "officer-todo")
        officer.goto(f"{demo}/graduates/new")
        assert officer.is_visible("#registration-note")  # the 2012 cutoff has passed
        _shot(officer, "officer-register")
        officer.goto(f"{demo}/matching/placement")
        assert officer.locator("select#org").count() == 1
        unplaced = officer.locator("h2:has-text('未安置') + ul li").all_inner_texts()
        assert len(set(unplaced)) > 1  # not one sentence for everybody
        _shot(officer, "officer-placement")

        phone = browser.new_page(viewport={"width": 360, "height": 780})
        _login(phone, demo, "gz_officer", "Demo-gz-2012")
        phone.goto(f"{demo}/followups/")
        due = int(re.findall(r"待回访 (\d+) 人次", phone.inner_text("main"))[0])
        phone.locator("a", has_text="记录回访").first.click()
        phone.check("input[name=still_employed][value=no]")
        phone.fill("#left_reason", "试用期满未续用")
        phone.check("input[name=wants_help][value=yes]")
        _shot(phone, "officer-followup-360")
        wide = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide  # the form fits the phone
        phone.click("main button:has-text('保存回访')")
        said = phone.inner_text("main")
        assert "回访已记录" in said and "已恢复为未就业" in said  # left, wants help: reopened
        assert f"待回访 {due - 1} 人次" in said  # the work list cleared the line

        employer = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(employer, demo, "gzmetro_hr", "Demo-emp-2012")
        assert employer.locator("a[href='#positions']").count() >= 2  # the counts lead somewhere
        assert employer.is_visible("#licence input[type=file]")  # 营业执照 can be uploaded
        _shot(employer, "employer-home")
        employer.locator("#positions").scroll_into_view_if_needed()
        link = employer.locator("a[href*='#applicants']").first
        link.click()
        employer.wait_for_load_state()
        row = employer.locator(
            "#applicants + .table-wrap tr", has=employer.locator("a.button")
        ).first
        assert row.locator("input").count() == 0  # actions, not a form per row
        _shot(employer, "employer-position")
        row.get_by_role("link", name="录用", exact=True).click()
        assert employer.locator("#interview_at[type=datetime-local]").count() == 1
        _shot(employer, "employer-step")
        employer.click("main button:has-text('记录')")
        confirm = employer.inner_text("main")
        assert re.search(r"录用 \S+ 到岗位“", confirm)
        _shot(employer, "employer-confirm")

        graduate = browser.new_page(viewport={"width": 360, "height": 780})
        _login(graduate, demo, "grad_demo", "Demo-grad-2012")
        assert "/me" in graduate.url
        _shot(graduate, "graduate-360")
        mine = graduate.request.get(f"{demo}/me/data.json").json()
        assert "档案" in mine and mine["导出时间"].endswith("（北京时间）")  # in their words

        hq = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(hq, demo, "hq", "Demo-hq-2012")
        hq.goto(f"{demo}/todo/")
        assert hq.evaluate("document.querySelector('header.top nav').offsetHeight") < 40
        assert "下级组织逾期情况" in hq.inner_text("main") and "广东省总工会" in hq.inner_text(
            "main"
        )
        _shot(hq, "hq-todo")
        hq.goto(f"{demo}/stats/provinces/440000?campaign=2012")
        assert "（01）" in hq.inner_text("main")  # the province's items 01–05 too
        _shot(hq, "hq-province")
        hq.goto(f"{demo}/admin/jobs")
        assert "任务编号" not in hq.inner_text("main") and "没有可做之事" in hq.inner_text("main")
        _shot(hq, "hq-jobs")
        hq.goto(f"{demo}/followups/retention")
        assert "广东省总工会" in hq.inner_text("main")
        _shot(hq, "hq-retention")
    for name in (
        "officer-todo",
        "officer-followup-360",
        "employer-step",
        "graduate-360",
        "hq-todo",
    ):
        assert (SHOTS / f"role-{name}.png").stat().st_size > 5000
