"""The employer's applicant rows (issue 26.7): one line of actions per row instead of a five-field
form; the step's own page offers only the steps allowed next (no 面试 after the interview) with
the chosen one first; the interview time is a date-time input that also reads "12月8日 14:00";
录用's confirmation names the graduate and the post, and warns of an interview not yet held."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import ReferralState, Role
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import INTERVIEW, PASSWORD, TODAY, csrf, employer, login, post


def _setup(session: Session, hq: Actor):  # type: ignore[no-untyped-def]
    e = employer(session, 91)
    create_user(
        session, hq, role=Role.EMPLOYER, username="hr91", password=PASSWORD, employer_uscc=e.uscc
    )
    p = post(session, e, "站务员", [])
    officer = officer_actor(session, "440100")
    refs = []
    for seq, name in (("901", "甲应聘"), ("902", "乙面试")):
        g = register_graduate(
            session,
            officer,
            graduate_input(make_id("440106", seq=seq), "440100", "440100", name=name),
        )
        refs.append(refer(session, officer, g.id, p.id, TODAY - timedelta(days=2)))
    record_step(session, officer, refs[1], ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    session.commit()
    return p, refs


def test_rows_carry_actions_not_forms(session: Session, hq_actor: Actor, client) -> None:  # type: ignore[no-untyped-def]
    p, (fresh, interviewed) = _setup(session, hq_actor)
    login(client, "hr91", PASSWORD)
    page = client.get(f"/employer/positions/{p.id}").get_data(as_text=True)
    assert 'name="interview_at"' not in page and 'name="reason"' not in page
    assert f"/employer/referrals/{fresh.id}/step?state=interview" in page
    assert f"/employer/referrals/{interviewed.id}/step?state=hired" in page
    assert f"/employer/referrals/{interviewed.id}/step?state=interview" not in page

    step = client.get(f"/employer/referrals/{interviewed.id}/step").get_data(as_text=True)
    options = re.findall(r'<option([^>]*)value="(\w+)"', step)
    assert [v for _, v in options] == ["hired", "rejected"]  # 面试 is behind them
    assert "selected" in options[0][0]
    assert 'type="datetime-local"' in step and "已安排面试" in step
    chosen = client.get(f"/employer/referrals/{fresh.id}/step?state=rejected").get_data(
        as_text=True
    )
    assert re.search(r'<option selected value="rejected"|<option value="rejected" selected', chosen)


def test_an_interview_time_as_people_write_it(session: Session, hq_actor: Actor, client) -> None:  # type: ignore[no-untyped-def]
    _, (fresh, _) = _setup(session, hq_actor)
    login(client, "hr91", PASSWORD)
    step = f"/employer/referrals/{fresh.id}/step"
    day = TODAY + timedelta(days=1)
    done = client.post(
        step,
        data={"csrf_token": csrf(client, step), "state": "interview", "on": TODAY.isoformat(),
              "interview_at": f"{day.month}月{day.day}日 14:00", "place": "3楼"},
    )  # fmt: skip
    assert done.status_code == 302
    session.expire_all()
    last = fresh.steps[-1]
    assert last.state == ReferralState.INTERVIEW and last.interview_at is not None
    assert clock.china_time(last.interview_at).strftime("%Y-%m-%d %H:%M") == f"{day} 14:00"


def test_the_hire_confirmation_names_who_and_warns_of_the_interview(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    _, (fresh, interviewed) = _setup(session, hq_actor)
    login(client, "hr91", PASSWORD)
    step = f"/employer/referrals/{interviewed.id}/step"
    asked = client.post(
        step, data={"csrf_token": csrf(client, step), "state": "hired", "on": TODAY.isoformat()}
    ).get_data(as_text=True)
    assert "乙面试" in asked and "站务员" in asked and "确认录用乙面试" in asked
    assert "尚未进行" in asked  # the interview is tomorrow
    plain = f"/employer/referrals/{fresh.id}/step"
    without = client.post(
        plain, data={"csrf_token": csrf(client, plain), "state": "hired", "on": TODAY.isoformat()}
    ).get_data(as_text=True)
    assert "甲应聘" in without and "尚未进行" not in without  # no interview was scheduled
