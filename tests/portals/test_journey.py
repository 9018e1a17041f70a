"""The users' pages end to end in Chromium (Playwright) against `matchsvc serve`, with a real
SMTP server on localhost: an officer's refused service form keeps what was typed; a graduate
turns on e-mail notices, browses the positions of the wished region, opens one and applies; the
employer moves the application to 面试 with a time and place; the mail arrives and the graduate
reads the notice; 录用 counts in item 13 for the graduate's home org. Screenshots of each step
land in test-artifacts/screenshots/journey-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from matchsvc.actors import Actor
from matchsvc.db import make_engine, make_session_factory
from matchsvc.employers.service import PositionInput, create_position
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Employer, PositionKind
from matchsvc.notices.senders import Senders
from matchsvc.notices.service import send_due
from matchsvc.orgs.service import get_org

from ..conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    FreshDatabases,
    Inbox,
    graduate_input,
    make_id,
    portal_account,
)
from ..helpers import TODAY
from .test_browser import PASSWORD, SHOTS, _item13, _login, _prepare, chromium, pytestmark

__all__ = ["pytestmark"]

GRADUATE_ID = make_id("440106", born="20010612", seq="778")
MAIL = "lin.xiao@example.org"


def _more(url: str) -> None:
    """Besides the browser test's world: a graduate of 广州 with an account, and a post of two."""
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        hq = Actor.command_line(get_org(s, "000000"))
        register_graduate(
            s,
            hq,
            graduate_input(
                GRADUATE_ID,
                "440100",
                "440100",
                name="林晓",
                wish_regions=["440100"],
                graduation_year=TODAY.year,
                phone="13922223333",
            ),
        )
        portal_account(s, hq, "linxiao", PASSWORD, graduate_id_number=GRADUATE_ID)
        metro = s.query(Employer).one()
        create_position(
            s,
            hq,
            metro,
            PositionInput(
                kind=PositionKind.JOB,
                title="地铁站务员",
                work_region_code="440106",
                headcount=2,
                published_on=TODAY - timedelta(days=2),
                closes_on=TODAY + timedelta(days=30),
                majors=[],
                description="负责车站客运服务，倒班",
            ),
        )
        s.commit()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def world(  # type: ignore[no-untyped-def]
    request, databases: FreshDatabases, tmp_path: Path, smtp: tuple[Inbox, int]
) -> Iterator[tuple[str, str, Inbox, dict[str, Any]]]:
    url = databases.new(request.param)
    _prepare(url)
    _more(url)
    inbox, port = smtp
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_TLS": "none"}
    env = {
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        **{f"MATCHSVC_{k}": str(v) for k, v in mail.items()},
    }
    from matchsvc.bench.server import running_server

    with running_server(url, tmp_path, env=env, capture=True) as served:
        yield served.base, url, inbox, mail


def _send_outbox(url: str, settings: dict[str, Any]) -> int:
    """What the scheduler's notices_send job does each minute, done now."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            sent = send_due(s, Senders(settings))
            s.commit()
            return sent
    finally:
        engine.dispose()


def test_apply_interview_mail_and_hire(world) -> None:  # type: ignore[no-untyped-def]
    base, url, inbox, mail = world
    with chromium() as browser:
        hq = browser.new_page()
        _login(hq, base, "boss")
        before = _item13(hq, base, "440100")

        # the officer's service form, refused, keeps what was typed
        officer = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(officer, base, "gz")
        officer.goto(f"{base}/graduates/?q=lin xiao")
        officer.click("text=林晓")
        officer.select_option("#kind", "job_subsidy")
        officer.fill("#remark", "7月求职补贴")
        officer.click("button:has-text('记录服务')")
        body = officer.inner_text("main")
        assert "须填写金额" in body, body
        assert officer.input_value("#remark") == "7月求职补贴"
        officer.screenshot(path=str(SHOTS / "journey-service-refused.png"), full_page=True)
        officer.fill("#amount", "800")
        officer.click("button:has-text('记录服务')")
        assert "已记录：求职补贴" in officer.inner_text("main")
        archive = officer.url
        # the archive fits a phone's 360 px: nothing wider than the screen
        phone = browser.new_page(viewport={"width": 360, "height": 780})
        _login(phone, base, "gz")
        for path in (archive, f"{base}/graduates/"):
            phone.goto(path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
        phone.screenshot(path=str(SHOTS / "journey-officer-360.png"), full_page=True)

        # the graduate asks for e-mail notices, browses, opens a post and applies
        graduate = browser.new_page(viewport={"width": 360, "height": 780})
        _login(graduate, base, "linxiao")
        graduate.goto(f"{base}/account/notices")
        graduate.fill("#email", MAIL)
        graduate.check("#by_email")
        graduate.click("main button[type=submit]")
        assert "通知设置已保存" in graduate.inner_text("main")
        graduate.goto(f"{base}/me/positions")
        graduate.fill("#q", "站务")
        graduate.click("button:has-text('搜索')")
        assert "共 1 个" in graduate.inner_text("main")
        graduate.screenshot(path=str(SHOTS / "journey-graduate-browse.png"), full_page=True)
        graduate.click("text=地铁站务员")
        page = graduate.inner_text("main")
        assert "广州地铁集团有限公司" in page and "天河区" in page and "招聘人数" in page
        graduate.fill("#note", "有客运服务实习经历")
        graduate.click("button:has-text('我要应聘')")
        assert "已应聘" in graduate.inner_text("main")
        graduate.screenshot(path=str(SHOTS / "journey-graduate-applied.png"), full_page=True)

        # the employer moves it to 面试 with a time and a place
        employer = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(employer, base, "metro_hr")
        employer.click("text=地铁站务员")
        row = employer.locator("tr", has_text="本人应聘")
        assert "本人应聘" in row.inner_text()
        # a row carries its actions; the step has its page, the time a date-time picker
        row.locator("a", has_text="安排面试").click()
        employer.fill("#interview_at", f"{TODAY + timedelta(days=2)}T09:30")
        employer.fill("#place", "广州地铁大厦 5 楼人力资源部")
        employer.click("main button:has-text('记录')")
        assert re.search(r"已记录：\S+ 面试", employer.inner_text("main"))
        # candidates' reasons wrap inside the page's box
        wide = employer.evaluate(
            "[...document.querySelectorAll('.table-wrap')]"
            ".filter(w => w.scrollWidth > w.clientWidth + 1).length"
        )
        assert wide == 0
        employer.screenshot(path=str(SHOTS / "journey-employer-interview.png"), full_page=True)

        # the mail goes out and arrives; the graduate reads the notice
        assert _send_outbox(url, mail) >= 1
        got = [message_from_bytes(m.content, policy=default) for m in inbox.messages]
        interview = [m for m in got if m["Subject"] == "面试通知"]
        assert interview and interview[0]["To"] == MAIL
        text = interview[0].get_content()
        assert "09:30" in text and "广州地铁大厦 5 楼人力资源部" in text
        graduate.goto(f"{base}/notices")
        notices = graduate.inner_text("main")
        assert "面试通知" in notices and "广州地铁大厦" in notices
        graduate.screenshot(path=str(SHOTS / "journey-graduate-notice.png"), full_page=True)

        # 录用 counts for the graduate's home org (no referring officer)
        row = employer.locator("tr", has_text="本人应聘")
        row.get_by_role("link", name="录用", exact=True).click()
        employer.click("main button:has-text('记录')")
        assert "地铁站务员" in employer.inner_text("main")  # the confirmation names the post
        employer.click("button:has-text('确认录用')")
        assert re.search(r"已记录：\S+ 录用", employer.inner_text("main"))
        assert _item13(hq, base, "440100") == before + 1
    for name in ("service-refused", "graduate-browse", "graduate-applied", "employer-interview"):
        assert (SHOTS / f"journey-{name}.png").stat().st_size > 5000
