"""No oracle completes a masked number: what a masked page shows leaves at least 10⁴ numbers,
and every exact answer about a number to someone who may not unmask it is counted (per user, an
hour, in the database every app server shares) and audited on the graduate's 操作记录."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory, take_afterwards
from matchsvc.graduates import lookups
from matchsvc.graduates.service import register_graduate
from matchsvc.imports.engine import run_import
from matchsvc.imports.graduates import GraduateImporter
from matchsvc.models import HQ_CODE, AuditEvent, Graduate, Role, Throttle, User
from matchsvc.orgs.service import get_org
from matchsvc.validators import id_check_char

from ..conftest import app_config, graduate_input, make_id, seeded_engine
from ..helpers import csrf, employer, login
from ..imports.sheets import GRADUATE_HEADER, graduate_row, xlsx
from .test_desk import form_data

PASSWORD = "Passw0rd!"
TARGET_ID = make_id("420106", "19950617", "274")  # kept in 武汉, studies in 广州
TARGET_PHONE = "13987651234"
TARGET_NAME = "欧阳目标"
REFUSED = "已达上限"
_MASKED_ID = re.compile(r"\b(\d{6}[\d*]{11}[\dX*])")
_SEX_AGE = re.compile(r"性别 / 年龄</dt><dd>(男|女) / (\d+) 岁")
_MASKED_PHONE = re.compile(r"\b(1\d{2}[\d*]{4}\d{4})\b")


def id_candidates(masked: str, sex: str, age: int, today: date) -> list[str]:
    """Every valid ID number agreeing with what the page shows: the visible characters of the
    masked number, the sex and the age today (the attacker's enumeration)."""
    visible = {i: c for i, c in enumerate(masked) if c != "*"}
    out = []
    latest = date(today.year - age, today.month, min(today.day, 28))
    day = date(today.year - age - 1, today.month, min(today.day, 28)) + timedelta(days=1)
    while day <= latest:
        born = day.strftime("%Y%m%d")
        if all(visible.get(6 + i, c) == c for i, c in enumerate(born)):
            for seq in range(1000):
                s = f"{seq:03d}"
                if (int(s[2]) % 2 == 1) != (sex == "男"):
                    continue
                if not all(visible.get(14 + i, c) == c for i, c in enumerate(s)):
                    continue
                first17 = masked[:6] + born + s
                if 17 in visible and id_check_char(first17) != visible[17]:
                    continue
                out.append(first17 + id_check_char(first17))
        day += timedelta(days=1)
    return out


def test_the_enumeration_finds_few_numbers_behind_the_old_mask() -> None:
    """The attacker's counting itself: the old mask (region + last four) left about 33."""
    today = clock.today()
    age = today.year - 1995 - (1 if (today.month, today.day) < (6, 17) else 0)
    old_mask = TARGET_ID[:6] + "*" * 8 + TARGET_ID[-4:]
    found = id_candidates(old_mask, "女", age, today)  # sequence 274: even, a woman
    assert TARGET_ID in found and len(found) < 100


@pytest.fixture
def world(session: Session, hq_actor: Actor) -> Graduate:
    for name, role, org in (
        ("hq", Role.HQ, None),
        ("gz", Role.OFFICER, "440100"),  # the school's region: sees the graduate, masked
        ("gz2", Role.OFFICER, "440100"),
        ("wh", Role.OFFICER, "420100"),  # keeps the archive: may unmask
    ):
        create_user(session, hq_actor, role=role, username=name, password=PASSWORD, org_code=org)
    firm = employer(session, 7)
    create_user(
        session,
        hq_actor,
        role=Role.EMPLOYER,
        username="firm",
        password=PASSWORD,
        employer_uscc=firm.uscc,
    )
    target = register_graduate(
        session,
        hq_actor,
        graduate_input(TARGET_ID, "420100", "440100", name=TARGET_NAME, phone=TARGET_PHONE),
    )
    session.commit()
    return target


def _user_id(session: Session, username: str) -> int:
    return session.scalar(select(User.id).where(User.username == username)) or 0


def _counted(session: Session, username: str) -> int:
    """The user's lookups counted in this window, as the shared throttle row holds them."""
    session.flush()
    session.expire_all()
    from matchsvc.auth import throttle

    key = throttle._key(lookups._rule(), (_user_id(session, username),))
    row = session.scalar(select(Throttle).where(Throttle.key == key))
    if row is None:
        return 0
    return lookups.limit() if row.blocked_until else row.failures


def _lookups_on(session: Session, graduate: Graduate) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "lookup",
                AuditEvent.entity_type == "graduate",
                AuditEvent.entity_id == graduate.id,
            )
        )
    )


def _search(client: FlaskClient, q: str) -> str:
    response = client.get("/graduates/", query_string={"q": q})
    return response.get_data(as_text=True) if response.status_code == 200 else ""


@pytest.mark.parametrize("username", ["hq", "gz", "firm"])
def test_the_masked_page_and_exact_searches_complete_no_number(
    client: FlaskClient, session: Session, world: Graduate, username: str
) -> None:
    """The attack of issue 21, replayed: read the masked page, enumerate what it leaves, then
    type candidates into the list's search until the number is confirmed."""
    login(client, username, PASSWORD)
    page = client.get(f"/graduates/{world.id}")
    today = clock.today()
    if username == "firm":  # an employer sees no archive and no list at all
        assert page.status_code in (302, 403, 404)
        assert TARGET_NAME not in page.get_data(as_text=True)
        candidates = [TARGET_ID]
    else:
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and TARGET_NAME in html
        assert TARGET_ID not in html and TARGET_ID[-4:] not in html.replace(TARGET_PHONE, "")
        masked = _MASKED_ID.search(html)
        sex_age = _SEX_AGE.search(html)
        assert masked and sex_age
        candidates = id_candidates(masked.group(1), sex_age.group(1), int(sex_age.group(2)), today)
        assert TARGET_ID in candidates  # the page told the truth …
        assert len(candidates) >= 10_000  # … and leaves at least 10⁴ numbers
        phone = _MASKED_PHONE.search(html)
        assert phone and phone.group(1).count("*") >= 4  # 10⁴ phones at least
    # the attacker tries wrong candidates first, the right one only once the allowance is spent
    wrong = [c for c in candidates if c != TARGET_ID][: lookups.limit()]
    attempts = [*wrong, TARGET_ID]
    confirmed = [q for q in attempts if TARGET_NAME in _search(client, q)]
    assert confirmed == []
    if username != "firm":
        assert _counted(session, username) == lookups.limit()
        refused = _search(client, TARGET_ID)
        assert REFUSED in refused and TARGET_NAME not in refused
        # the last four, never shown to them, answer nothing either (nor the phone)
        assert TARGET_NAME not in _search(client, TARGET_ID[-4:])
    for q in (TARGET_PHONE, TARGET_PHONE[-4:]):
        assert TARGET_NAME not in _search(client, q)


def test_an_exact_answer_is_audited_where_the_keeper_sees_it(
    client: FlaskClient, session: Session, world: Graduate
) -> None:
    login(client, "hq", PASSWORD)
    assert TARGET_NAME in _search(client, TARGET_ID)  # HQ may still find them, once counted …
    assert _counted(session, "hq") == 1
    [event] = _lookups_on(session, world)
    assert event.user_id == _user_id(session, "hq")
    assert event.details["place"] == "search" and not event.details["keeper"]
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "wh", PASSWORD)
    history = client.get(f"/graduates/{world.id}").get_data(as_text=True)
    assert "按号码查到本档案" in history and "在“毕业生查询”中按完整身份证号查到本档案" in history


def test_the_keeper_is_not_limited_but_audited(
    client: FlaskClient, session: Session, world: Graduate
) -> None:
    login(client, "wh", PASSWORD)
    for _ in range(lookups.limit() + 2):
        assert TARGET_NAME in _search(client, TARGET_ID)
    assert TARGET_NAME in _search(client, TARGET_ID[-4:])  # the keeper's own last four
    assert _counted(session, "wh") == 0
    events = _lookups_on(session, world)
    assert len(events) == lookups.limit() + 3 and all(e.details["keeper"] for e in events)


def test_registration_that_names_the_keeper_is_counted_though_refused(
    client: FlaskClient, session: Session, world: Graduate
) -> None:
    login(client, "gz", PASSWORD)
    data = form_data(client, name="试探", id_number=TARGET_ID)
    response = client.post("/graduates/new", data=data)
    assert response.status_code == 409 and "武汉市总工会" in response.get_data(as_text=True)
    assert session.scalar(select(Graduate).where(Graduate.name == "试探")) is None
    assert _counted(session, "gz") == 1  # the refusal rolled back; the count and audit stand
    assert [e.details["place"] for e in _lookups_on(session, world)] == ["register"]


def test_an_import_preview_that_names_the_keeper_counts_each_row(
    session: Session, world: Graduate
) -> None:
    user_id = _user_id(session, "gz")
    gz = session.get(User, user_id)
    assert gz is not None
    actor = Actor.for_user(gz)
    rows = [graduate_row(TARGET_ID), graduate_row(make_id("440106", seq="011"))]
    report = run_import(
        session, actor, GraduateImporter, xlsx(GRADUATE_HEADER, rows), "g.xlsx", dry_run=True
    )
    assert any("武汉市总工会" in e.reason for e in report.errors)
    for work in take_afterwards(session):
        work(session)
    assert _counted(session, "gz") == 1
    assert [e.details["place"] for e in _lookups_on(session, world)] == ["import"]


def test_a_service_import_counts_each_number_that_names_no_one(
    session: Session, world: Graduate
) -> None:
    """A service sheet names graduates by number: the rows that find no one rule numbers out,
    so a sheet of candidates is as many lookups as it has rows: misses, and hits on graduates the
    user may not unmask."""
    from matchsvc.imports.records import ServiceImporter

    gz = session.get(User, _user_id(session, "gz"))
    assert gz is not None
    candidates = [TARGET_ID[:14] + f"{n:03d}" for n in (270, 272, 276)]
    candidates = [c + id_check_char(c) for c in candidates]
    header = ["身份证号", "服务类别", "服务日期", "服务单位代码", "金额（元）", "备注"]
    rows = [[c, "创业指导", "2012-07-15", "440100", "", ""] for c in [*candidates, TARGET_ID]]
    report = run_import(
        session, Actor.for_user(gz), ServiceImporter, xlsx(header, rows), "s.xlsx", dry_run=True
    )
    assert report.error_count == 3, (
        report.errors
    )  # the target (studying in 广州) is found, the three are not
    for work in take_afterwards(session):
        work(session)
    # three misses and the one hit (a row that passes says the number is held in reach)
    assert _counted(session, "gz") == 4
    assert [e.details["place"] for e in _lookups_on(session, world)] == ["import"]


def test_the_allowance_holds_across_two_app_servers(fresh_url: str) -> None:
    engine = seeded_engine(fresh_url)
    with make_session_factory(engine)() as s:
        hq = Actor.command_line(get_org(s, HQ_CODE))
        create_user(s, hq, role=Role.HQ, username="hq", password=PASSWORD)
        register_graduate(s, hq, graduate_input(TARGET_ID, "420100", "440100", name=TARGET_NAME))
        s.commit()
    servers: list[Flask] = [create_app(app_config(fresh_url, LOOKUP_LIMIT=4)) for _ in range(2)]
    try:
        one, two = (app.test_client() for app in servers)
        for client in (one, two):
            login(client, "hq", PASSWORD)
        tries = [make_id("420106", "19950617", f"{n:03d}") for n in (11, 13, 15, 17)]
        for client, q in zip((one, two, one, two), tries, strict=True):
            page = _search(client, q)
            assert REFUSED not in page and TARGET_NAME not in page
        for client in (one, two):  # each server has answered two; neither answers a fifth
            page = _search(client, TARGET_ID)
            assert REFUSED in page and TARGET_NAME not in page
    finally:
        for app in servers:
            app.extensions["matchsvc.db"]["engine"].dispose()
        engine.dispose()
        lookups.configure(None)


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    from matchsvc.config import load_config

    assert load_config(tmp_path, {"MATCHSVC_LOOKUP_LIMIT": "7"})["LOOKUP_LIMIT"] == 7
    assert load_config(tmp_path, {})["LOOKUP_LIMIT"] == 20
