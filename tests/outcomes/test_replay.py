"""The replay: each hire ranked again on the day before it, over the posts open then — published
before that day, not yet closed, whatever their status now — with the current matcher; and the
gate: on the demo (whose hires come from the graduates' and employers' own choices, not the
matcher), the replayed hire@10 of the shipped policy may not fall more than 2 points below the
stored baseline (tests/outcomes/replay_baseline.json, changed only on purpose)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.cli import main
from matchsvc.db import make_engine, make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import HQ_CODE, Position, PositionStatus, ReferralState
from matchsvc.orgs.service import get_org
from matchsvc.outcomes.replay import replay
from matchsvc.referrals.service import record_step, refer

from ..conftest import FreshDatabases, app_config, graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post

BASELINE = Path(__file__).with_name("replay_baseline.json")


def _input(seq: str, name: str):  # type: ignore[no-untyped-def]
    return graduate_input(
        make_id("440106", seq=seq), "440100", "440100", name=name, major_text="软件工程",
        wish_regions=["440100"], registered_on=TODAY - timedelta(days=30),
    )  # fmt: skip


def test_a_hire_is_ranked_again_over_the_posts_open_the_day_before(session: Session, app) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 91)
    early = TODAY - timedelta(days=10)
    software = post(session, e, "软件开发工程师", ["软件工程"], headcount=1, published_on=early)
    post(session, e, "护士", ["护理学"], published_on=early)
    late = post(session, e, "Java开发", ["软件工程"], published_on=TODAY - timedelta(days=2))
    a, b = (
        register_graduate(session, gz, _input(seq, name))
        for seq, name in (("911", "甲"), ("912", "乙"))
    )
    hire_day = TODAY - timedelta(days=2)
    for g, p in ((a, software), (b, late)):
        r = refer(session, gz, g.id, p.id, hire_day)
        record_step(session, gz, r, ReferralState.HIRED, hire_day)
    session.refresh(software)
    assert software.status == PositionStatus.FILLED  # filled now, open the day before

    result = replay(session, officer_actor(session, "440000"), app.config)
    assert (result.hires, result.days) == (2, 1)
    # 甲's post ranks first among the posts open then; 乙's was published on the day before the
    # hire, so it was not open at the start of that day: never shown
    assert result.replayed.hire_at == {1: 0.5, 5: 0.5, 10: 0.5, 20: 0.5}
    assert result.replayed.mrr == pytest.approx(0.5)
    assert result.recorded.shown == 0  # nothing was recorded as shown in this test


@pytest.mark.system
def test_the_replay_gate_on_the_demo(databases: FreshDatabases, backend: str) -> None:
    url = databases.new(backend)
    app = create_app(app_config(url))
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["demo"]).exit_code == 0
    printed = runner.invoke(main, ["bench", "replay"])
    assert printed.exit_code == 0, printed.output
    assert "当前重放" in printed.output and "实际展示" in printed.output
    engine = make_engine(url)
    with app.app_context(), make_session_factory(engine)() as session:
        hq = Actor.command_line(get_org(session, HQ_CODE))
        result = replay(session, hq, app.config)
        assert session.scalar(select(Position.id).limit(1)) is not None
    engine.dispose()
    app.extensions["matchsvc.db"]["engine"].dispose()
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    replayed = 100 * result.replayed.hire_at[10]
    assert result.hires >= 40, "the demo's story should give the replay enough hires to measure"
    assert replayed >= baseline["hire_at_10"] - 2, (
        f"replayed hire@10 {replayed:.1f}% fell more than 2 points below the baseline "
        f"{baseline['hire_at_10']}% ({baseline['why']})"
    )


def test_the_replay_benchmark_builds_a_province_and_prints_its_figures(app) -> None:  # type: ignore[no-untyped-def]
    printed = app.test_cli_runner().invoke(main, ["bench", "replay", "--graduates", "400"])
    assert printed.exit_code == 0, printed.output
    made = re.search(r"400 名毕业生，(\d+) 次录用", printed.output)
    assert made is not None and 30 <= int(made.group(1)) <= 40  # a tenth, where seats are left
    assert f"录用（本系统岗位）{made.group(1)} 人" in printed.output  # every one replayed
    replayed = next(line for line in printed.output.splitlines() if line.startswith("当前重放"))
    assert replayed.count("%") == 4 and "重放用时" in printed.output
