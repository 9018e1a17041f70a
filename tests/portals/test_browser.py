"""The whole service in a real browser: Debian's Chromium driven by Playwright against
`matchsvc serve` on localhost. An officer registers a graduate and refers them; the employer sees
the referral and hires; the graduate activates, logs in and sees the position filled and their
status changed; HQ sees item 13 move. Screenshots of each role's main page land in
test-artifacts/screenshots/ (and the graduate's at 360 px wide)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.bench.server import running_server
from matchsvc.db import make_session_factory
from matchsvc.employers.service import PositionInput, create_position, register_employer
from matchsvc.models import Campaign, Degree, EmployerKind, PositionKind, Role
from matchsvc.orgs.service import get_org

from ..conftest import ARTIFACTS, TEST_DATA_KEY, TEST_SECRET, FreshDatabases, make_id, seeded_engine
from ..helpers import AID as HELPERS_AID
from ..helpers import TODAY, uscc

CHROMIUM = os.environ.get("MATCHSVC_CHROMIUM", "/usr/bin/chromium")
SHOTS = ARTIFACTS / "screenshots"
PASSWORD = "Passw0rd!"
ID_NUMBER = make_id("440106", born="20010305", seq="456")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
#: Every browser test's marks: a system test, skipped with the reason where Chromium is absent.
BROWSER = [
    pytest.mark.system,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)),
        reason=f"no Chromium at {CHROMIUM} (install Debian's chromium package; .ci/run does)",
    ),
]
pytestmark = BROWSER


def _prepare(url: str) -> None:
    engine = seeded_engine(url)
    factory = make_session_factory(engine)
    with factory() as s:
        hq = Actor.command_line(get_org(s, "000000"))
        s.add(
            Campaign(
                year=TODAY.year,
                starts_on=TODAY - timedelta(days=60),
                ends_on=TODAY + timedelta(days=30),
                cutoff_on=TODAY + timedelta(days=30),
                report_due_on=TODAY + timedelta(days=40),
            )
        )
        create_user(s, hq, role=Role.HQ, username="boss", password=PASSWORD)
        create_user(s, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100")
        employer = register_employer(
            s,
            hq,
            name="广州地铁集团有限公司",
            uscc=uscc(4401),
            kind=EmployerKind.SOE,
            org_code="440100",
            approve=True,
        )
        create_position(
            s,
            hq,
            employer,
            PositionInput(
                kind=PositionKind.JOB,
                title="信号系统工程师",
                work_region_code="440100",
                headcount=1,
                published_on=TODAY - timedelta(days=5),
                closes_on=TODAY + timedelta(days=60),
                majors=["计算机科学与技术", "自动化"],
                min_degree=Degree.BENKE,
                description="Python PLC",
            ),
        )
        create_user(
            s,
            hq,
            role=Role.EMPLOYER,
            username="metro_hr",
            password=PASSWORD,
            employer_uscc=employer.uscc,
        )
        s.commit()
    engine.dispose()


@pytest.fixture
def server(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[str]:
    url = databases.new(backend)
    _prepare(url)
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base


def _login(page, base: str, user: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")


def _item13(page, base: str, org: str = "") -> int:  # type: ignore[no-untyped-def]
    """Item 13A as the statistics API gives it (the country's, or one org's subtree)."""
    page.goto(f"{base}/api/v1/stats?campaign={TODAY.year}" + (f"&org={org}" if org else ""))
    return int(json.loads(page.inner_text("body"))["items"]["13A"])


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; screenshots go to SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def test_officer_refers_employer_hires_graduate_sees_it_hq_counts_it(server: str) -> None:
    with chromium() as browser:
        hq = browser.new_page()
        _login(hq, server, "boss")
        before = _item13(hq, server)

        # the officer registers a graduate …
        officer = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(officer, server, "gz")
        officer.goto(f"{server}/graduates/new")
        officer.fill("#name", "林晓")
        officer.fill("#id_number", ID_NUMBER)
        officer.fill("#phone", "13922220000")
        officer.select_option("#home_org", "440100")
        officer.fill("#school_name", "华南理工大学")
        officer.select_option("#school_region", "440100")
        officer.fill("#major_text", "计科")
        officer.select_option("#degree", "benke")
        officer.fill("#graduation_year", str(TODAY.year))
        # a place chosen, not typed: province, then the city the script fills in
        officer.select_option("#wish_regions-0-1", "440000")
        officer.wait_for_selector("#wish_regions-0-2 option[value='440100']", state="attached")
        officer.select_option("#wish_regions-0-2", "440100")
        officer.fill("#skills", "Python")
        officer.click("main button[type=submit]")
        officer.wait_for_load_state()
        assert re.search(r"/graduates/\d+$", officer.url), officer.inner_text("main")
        graduate_url = officer.url
        # … opens the recommendations and refers them to the SOE's post
        officer.click("text=推荐岗位与培训")
        assert officer.is_visible("text=信号系统工程师")
        officer.locator("li", has_text="信号系统工程师").locator(
            "button", has_text="推荐到该岗位"
        ).click()
        assert officer.is_visible("text=已推荐")
        officer.goto(graduate_url)
        officer.click("text=生成激活码")
        code = officer.inner_text(".code")
        officer.goto(f"{server}/graduates/")
        officer.screenshot(path=str(SHOTS / "officer.png"), full_page=True)

        # the employer sees the referral and hires
        employer = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(employer, server, "metro_hr")
        employer.screenshot(path=str(SHOTS / "employer.png"), full_page=True)
        employer.click("text=信号系统工程师")
        row = employer.locator("tr", has_text="13922220000")
        assert row.is_visible()
        row.locator("a", has_text="安排面试").click()  # the step on its own page
        employer.fill("#interview_at", f"{TODAY + timedelta(days=2)}T10:00")
        employer.fill("#place", "广州地铁大厦 5 楼")
        employer.click("main button:has-text('记录')")
        row = employer.locator("tr", has_text="13922220000")
        row.get_by_role("link", name="录用", exact=True).click()
        employer.click("main button:has-text('记录')")
        assert "林晓" in employer.inner_text("main")  # the confirmation names the graduate
        employer.click("button:has-text('确认录用')")  # irreversible: asked first
        assert employer.is_visible("text=已记录：林晓 录用")

        # the graduate activates, logs in with the ID number, sees the filled post and the status
        graduate = browser.new_page(viewport={"width": 360, "height": 780})
        graduate.goto(f"{server}/activate")
        graduate.fill("#id_number", ID_NUMBER)
        graduate.fill("#code", code)
        graduate.fill("#password", PASSWORD)
        graduate.check("#privacy")  # the privacy notice, accepted
        graduate.click("main button[type=submit]")
        _login(graduate, server, ID_NUMBER)
        graduate.wait_for_url(re.compile(r"/me$"))
        body = graduate.inner_text("main")
        assert "已就业" in body
        assert "信号系统工程师" in body and "已招满" in body
        graduate.screenshot(path=str(SHOTS / "graduate-360.png"), full_page=True)

        # HQ sees item 13 move
        after = _item13(hq, server)
        assert after == before + 1
        hq.goto(f"{server}/stats/dashboard")
        hq.screenshot(path=str(SHOTS / "hq.png"), full_page=True)
    for name in ("officer", "employer", "graduate-360", "hq"):
        assert (SHOTS / f"{name}.png").stat().st_size > 5000


@pytest.fixture
def report_server(databases: FreshDatabases, backend: str, tmp_path: Path) -> Iterator[str]:
    """The browser journey of the statistics report: a province officer and HQ."""
    url = databases.new(backend)
    _prepare(url)
    engine = seeded_engine(url)
    with make_session_factory(engine)() as s:
        hq = Actor.command_line(get_org(s, "000000"))
        create_user(s, hq, role=Role.OFFICER, username="gd", password=PASSWORD, org_code="440000")
        s.commit()
    engine.dispose()
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base


AID = {**HELPERS_AID, "01A": "101"}  # a wrong sum first


def test_province_reports_hq_reads_and_chases_and_an_xls_import_gives_its_errors(
    report_server: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    base = report_server
    xls = Path(__file__).parents[1] / "imports" / "files" / "graduates-one-bad-row.xls"
    with chromium() as browser:
        hq, gd = browser.new_page(), browser.new_page(viewport={"width": 1280, "height": 900})
        _login(hq, base, "boss")
        _login(gd, base, "gd")
        # HQ chases 广东, which sees it on its pages
        hq.goto(f"{base}/stats/provinces")
        chase = hq.locator("form[action*='/stats/provinces/440000/chase']")
        chase.locator("input[name=message]").fill("请于本周内上报")
        chase.locator("button").click()
        gd.goto(f"{base}/stats/")
        assert "全总催报" in gd.content() and "请于本周内上报" in gd.content()
        # 01-05 with a wrong sum: refused beside its field, what was typed kept
        for key, value in AID.items():
            gd.fill(f"#aid-{key}", value)
        gd.click("#save-draft")
        error = gd.locator("tr.has-error").first
        assert "应等于" in error.inner_text() and gd.input_value("#aid-01B") == "40"
        gd.fill("#aid-01A", "100")
        gd.click("#save-draft")
        assert "已保存草稿" in gd.content()
        gd.fill("#reporter", "王干事")
        gd.fill("#phone", "020-83123456")
        gd.fill("#summary", "今年全省共帮扶困难职工家庭高校毕业生二十名。")
        gd.check("#confirm")
        gd.click("#submit-report")
        assert "已上报" in gd.content() and "全总催报" not in gd.content()
        gd.screenshot(path=str(SHOTS / "province-report.png"), full_page=True)
        # HQ reads the 总结报告
        hq.goto(f"{base}/stats/provinces/440000")
        assert "今年全省共帮扶困难职工家庭高校毕业生二十名。" in hq.content()
        # an .xls with one bad row: the error list downloads as a workbook
        officer = browser.new_page()
        _login(officer, base, "gz")
        officer.goto(f"{base}/imports/")
        officer.select_option("#kind", "graduates")
        officer.set_input_files("#file", str(xls))
        officer.click("main form button[type=submit]")
        assert "整个文件未导入" in officer.content()
        with officer.expect_download() as download:
            officer.click("a[download]")
        saved = tmp_path / "errors.xlsx"
        download.value.save_as(saved)
        sheet = load_workbook(saved).active
        assert sheet is not None
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
        assert rows[0] == ["行", "姓名/名称", "列", "填写内容", "原因"]
        assert rows[1][0] == 3 and rows[1][2] == "身份证号"
