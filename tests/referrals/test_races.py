"""Two people saving at once, for real: parallel requests against the production server
(gunicorn, two workers) on PostgreSQL. One hire of a referral however many times it is sent,
no more hires than seats, one referral of a graduate to a post, and never a 500."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.bench.server import Browser, running_server
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Position,
    Referral,
    ReferralState,
    ReferralStep,
    Role,
    ServiceKind,
    ServiceRecord,
    User,
)
from matchsvc.orgs.service import get_org
from matchsvc.referrals import service as referrals

from ..conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    FreshDatabases,
    graduate_input,
    make_id,
    seeded_engine,
)
from ..helpers import PASSWORD, TODAY, employer, post

pytestmark = pytest.mark.system


def _world(session: Session) -> dict[str, list[int]]:
    """One post with one seat and three referrals to it; another post and a graduate to refer."""
    hq = Actor.command_line(get_org(session, "000000"))
    officer = create_user(
        session, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    gz = Actor.for_user(officer)
    e = employer(session, 1)
    one_seat = post(session, e, "文员", [], headcount=1)
    other = post(session, e, "出纳", [], headcount=5)
    people = [
        register_graduate(
            session,
            hq,
            graduate_input(
                make_id("440106", seq=f"{300 + i}"),
                "440100",
                "440100",
                registered_on=TODAY - timedelta(days=30),
                graduation_year=TODAY.year,
            ),
        )
        for i in range(4)
    ]
    sent = [referrals.refer(session, gz, g.id, one_seat.id, TODAY).id for g in people[:3]]
    session.commit()
    return {
        "referrals": sent,
        "position": [one_seat.id, other.id],
        "loner": [people[3].id],
    }


def _at_once(requests: list[tuple[Browser, str, dict[str, str]]]) -> list[int]:
    """Send the POSTs together (each from its own signed-in connection); their statuses."""
    statuses = [0] * len(requests)
    start = threading.Barrier(len(requests))

    def send(i: int) -> None:
        browser, path, form = requests[i]
        start.wait()
        statuses[i] = browser.request("POST", path, form)[0]

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_parallel_saves_against_gunicorn_on_postgresql(
    databases: FreshDatabases, tmp_path: Path
) -> None:
    url = databases.postgres()
    engine = seeded_engine(url)
    try:
        _run(url, engine, tmp_path)
    finally:
        engine.dispose()


def _run(url: str, engine: Engine, tmp_path: Path) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        world = _world(session)
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, workers=2, env=env, capture=True) as served:
        browsers = [Browser(served.port) for _ in range(4)]
        for b in browsers:
            b.login("gz", PASSWORD)
        token = browsers[0].token("/officer/referrals")[1]
        first = world["referrals"][0]

        def hire(i: int, referral: int) -> tuple[Browser, str, dict[str, str]]:
            form = {"csrf_token": browsers[i].token("/officer/referrals")[1]}
            form |= {"state": "hired", "on": TODAY.isoformat(), "reason": "", "confirm": "yes"}
            return browsers[i], f"/employer/referrals/{referral}/step", form

        # four hires of one referral at once
        same = _at_once([hire(i, first) for i in range(4)])
        # the two other referrals hired at once, on a post whose only seat is now taken
        seats = _at_once([hire(i, r) for i, r in enumerate(world["referrals"][1:])])
        # four referrals of one graduate to one post at once
        refer_form = {
            "graduate_id": str(world["loner"][0]),
            "position_id": str(world["position"][1]),
            "back": "/officer/referrals",
        }
        refer = _at_once(
            [
                (
                    b,
                    "/matching/refer",
                    {"csrf_token": b.token("/officer/referrals")[1]} | refer_form,
                )
                for b in browsers
            ]
        )
        assert token
    statuses = same + seats + refer
    assert 500 not in statuses and 0 not in statuses, (statuses, served.output[-3000:])
    with factory() as session:
        hired_steps = session.scalar(
            select(func.count())
            .select_from(ReferralStep)
            .where(ReferralStep.referral_id == first, ReferralStep.state == ReferralState.HIRED)
        )
        hired = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(
                Referral.position_id == world["position"][0],
                Referral.state == ReferralState.HIRED,
            )
        )
        employed = session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.kind == ServiceKind.EMPLOYED)
        )
        referred = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.graduate_id == world["loner"][0])
        )
        position = session.get(Position, world["position"][0])
        assert session.scalar(select(func.count()).select_from(User)) == 1
    assert hired_steps == 1 and employed == 1  # item 13 counts the graduate once
    assert hired == 1 and position is not None and position.status.value == "filled"
    assert referred == 1
