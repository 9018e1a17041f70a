"""The replay ranks with the graduate's profile of the day before the hire, not today's: each
save keeps what the matcher reads, as it was (graduates.profile_history) — never personal data
— and an anonymised archive keeps none of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.graduates import profile_history
from matchsvc.graduates.retention import anonymise
from matchsvc.graduates.service import register_graduate, update_profile
from matchsvc.models import ProfileChange, ReferralState, Role
from matchsvc.outcomes.replay import replay
from matchsvc.portals.home import update_wishes
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post


def _edit(session: Session, actor, graduate, **values):  # type: ignore[no-untyped-def]
    base = {
        "name": graduate.name,
        "home_org_code": "440100",
        "school_region_code": "440100",
        "keep_phone": True,
        "hardships": list(graduate.hardship_categories),
        "wish_regions": list(graduate.wish_regions or []),
    }
    return update_profile(session, actor, graduate, base | values)


def test_the_replay_reads_the_profile_of_the_day_before_the_hire(session: Session, app) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 93)
    early = TODAY - timedelta(days=10)
    nursing = post(session, e, "护士", ["护理学"], published_on=early)
    software = post(session, e, "软件开发工程师", ["软件工程"], published_on=early)
    g = register_graduate(
        session,
        gz,
        graduate_input(
            make_id("440106", seq="931"), "440100", "440100", major_text="软件工程",
            wish_regions=["440100"], registered_on=TODAY - timedelta(days=30),
        ),
    )  # fmt: skip
    hire_day = TODAY - timedelta(days=2)
    r = refer(session, gz, g.id, software.id, hire_day)
    record_step(session, gz, r, ReferralState.HIRED, hire_day)
    # after the hire the graduate's major is corrected to another one: today's profile would
    # put the nursing post first and the software post nowhere near it
    assert _edit(session, gz, g, major_text="护理学", skills="护理") == ["major_text", "skills"]
    session.flush()
    past = profile_history.values_at(session, [g.id], clock.start_of(hire_day))[g.id]
    assert past["major_text"] == "软件工程" and past["major_code"] != g.major_code

    result = replay(session, officer_actor(session, "440000"), app.config)
    assert result.hires == 1
    assert result.replayed.hire_at[1] == 1.0  # ranked over the profile of that day
    assert nursing.id != software.id

    # a moment after the edit sees today's profile: nothing to replace
    assert profile_history.values_at(session, [g.id], clock.now()) == {}


def test_only_what_the_matcher_reads_is_kept_and_anonymising_forgets_it(session: Session) -> None:
    gz = officer_actor(session, "440100")
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq="932"), "440100", "440100")
    )
    before = clock.now() - timedelta(seconds=1)
    changed = _edit(
        session, gz, g, name="张三丰", skills="Python", certificates="CET-6", wish_work="开发"
    )
    assert set(changed) == {"name", "skills", "certificates", "wish_work"}
    session.flush()
    kept = session.scalars(select(ProfileChange).where(ProfileChange.graduate_id == g.id)).one()
    # the name changed too, but it is personal data: never kept
    assert set(kept.before) == {"skills", "certificates", "wish_work"}
    assert kept.before == {"skills": None, "certificates": None, "wish_work": None}
    then = profile_history.values_at(session, [g.id], before)[g.id]
    assert profile_history.replacements(then)["skills"] is None

    # a second save of skills only: the moment before both sees both as they were
    _edit(session, gz, g, skills="Java")
    session.flush()
    assert profile_history.values_at(session, [g.id], before)[g.id]["skills"] is None
    middle = session.scalars(
        select(ProfileChange.changed_at).order_by(ProfileChange.id.desc())
    ).first()
    assert middle is not None
    between = profile_history.values_at(session, [g.id], middle - timedelta(microseconds=1))
    # between the saves: skills were "Python" and certificates (unchanged since) "CET-6"
    assert profile_history.replacements(between[g.id])["skills"] == "Python CET-6"

    anonymise(session, [g])
    count = select(func.count()).select_from(ProfileChange)
    assert session.scalar(count.where(ProfileChange.graduate_id == g.id)) == 0


def test_the_graduates_own_wishes_are_kept_as_they_were(session: Session) -> None:
    gz = officer_actor(session, "440100")
    g = register_graduate(
        session,
        gz,
        graduate_input(make_id("440106", seq="933"), "440100", "440100", wish_regions=["440100"]),
    )
    me = Actor(role=Role.GRADUATE, label=g.name, graduate_id=g.id)
    assert update_wishes(session, me, {"wish_regions": ["420100"], "skills": "CAD"}) == [
        "wish_regions",
        "skills",
    ]
    then = profile_history.values_at(session, [g.id], clock.now() - timedelta(hours=1))[g.id]
    assert profile_history.replacements(then) == {"wish_regions": ("440100",), "skills": None}
