"""The archive's lifecycle: an online application goes 初审 → 入户调查 → 公示 → 建档; a service makes
it 帮扶中; 脱困, 撤档, 注销 with coded reasons; reopening keeps the history; each step's rules
refuse with every error at once and change nothing; the statistics read the state as of the
cutoff; the 年度复核 sample is reproducible; an archive 撤档 ten years ago is anonymised."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.archives import application, review
from matchsvc.archives import service as archives
from matchsvc.archives.service import Step
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.errors import Conflict, DomainError, Invalid
from matchsvc.followups import service as followups
from matchsvc.graduates.retention import ANONYMOUS, anonymise_closed
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import loader
from matchsvc.models import (
    ArchiveEvent,
    ArchiveReason,
    ArchiveState,
    AuditEvent,
    EmploymentStatus,
    Graduate,
    ReviewOutcome,
    Role,
    ServiceKind,
)
from matchsvc.orgs.service import get_org
from matchsvc.stats.campaigns import create_campaign
from matchsvc.stats.compute import compute_table
from matchsvc.worklist import service as worklist

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, notice_texts

S = ArchiveState


def _apply(session: Session, monkeypatch: pytest.MonkeyPatch, seq: str, days_ago: int) -> Graduate:
    """An online application made `days_ago` days ago (the clock set back for it)."""
    monkeypatch.setattr(clock, "today", lambda: TODAY - timedelta(days=days_ago))
    try:
        data = graduate_input(
            make_id("440106", seq=seq), "440100", "440100", name=f"申请{seq}", phone="13800138000"
        )
        application.apply_online(session, data, consent=True)
    finally:
        monkeypatch.undo()
    found = session.scalar(select(Graduate).where(Graduate.name == f"申请{seq}"))
    assert found is not None
    return found


def _registered(session: Session, seq: str, days_ago: int, home: str = "440100") -> Graduate:
    return register_graduate(
        session,
        officer_actor(session, home),
        graduate_input(
            make_id("440106", seq=seq), home, home, name=f"档案{seq}",
            registered_on=TODAY - timedelta(days=days_ago),
        ),
    )  # fmt: skip


def _ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_an_online_application_goes_through_each_step_to_an_archive(
    session: Session, monkeypatch: pytest.MonkeyPatch, hq_actor: Actor
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    officer = officer_actor(session, "440100")
    g = _apply(session, monkeypatch, "901", 30)
    assert g.archive_state == S.APPLIED and g.registered_on == _ago(30)
    assert any("新的线上建档申请" in t for t in notice_texts(session, "gz"))
    offered = select(Graduate.id).where(Graduate.id == g.id, loader.looking_for_work())
    assert session.scalar(offered) is None  # no recommendations before 建档
    assert not g.is_looking

    with pytest.raises(DomainError, match="不能"):  # no jumping to 建档
        archives.take(session, officer, g, Step(S.OPENED, _ago(29)))
    archives.take(session, officer, g, Step(S.REVIEWED, _ago(28), note="材料齐全"))
    with pytest.raises(DomainError, match="不能早于上一步"):
        archives.take(session, officer, g, Step(S.VISITED, _ago(29), visitors="李四"))

    # a visit without who, the conclusion or the consent: all three errors at once
    with pytest.raises(Invalid) as refused:
        archives.take(session, officer, g, Step(S.VISITED, _ago(25)))
    assert {f for f, _ in refused.value.problems} == {"visitors", "confirmed", "consent"}
    assert g.archive_state == S.REVIEWED
    archives.take(
        session, officer, g, Step(S.VISITED, _ago(25), visitors="李四、王五", confirmed=True, consent=True)
    )  # fmt: skip

    with pytest.raises(DomainError, match="不少于 5 天"):
        archives.take(session, officer, g, Step(S.PUBLICISED, _ago(20), ends_on=_ago(18)))
    archives.take(session, officer, g, Step(S.PUBLICISED, _ago(20), ends_on=_ago(14)))
    assert g.publicity_ends_on == _ago(14)
    with pytest.raises(DomainError, match="期满后方可建档"):
        archives.take(session, officer, g, Step(S.OPENED, _ago(15)))
    with pytest.raises(DomainError, match="异议成立"):
        archives.take(
            session, officer, g, Step(S.OPENED, _ago(14), objections="邻居反映已购房", objection_upheld=True)
        )  # fmt: skip
    archives.take(session, officer, g, Step(S.OPENED, _ago(14), objections="无"))
    assert g.archive_state == S.OPENED and g.registered_on == _ago(14)
    assert session.scalar(offered) == g.id  # now the matcher takes them up

    # the first service makes it 帮扶中
    record_service(
        session, officer, g, kind=ServiceKind.POLICY, on=_ago(10), org=get_org(session, "440100")
    )
    assert g.archive_state == S.ASSISTING and g.archive_since == _ago(10)

    with pytest.raises(DomainError, match="请选择原因"):
        archives.take(session, officer, g, Step(S.RECOVERED, _ago(5)))
    archives.take(session, officer, g, Step(S.RECOVERED, _ago(5), ArchiveReason.HARDSHIP_ENDED))
    assert session.scalar(offered) is None
    archives.take(session, officer, g, Step(S.CLOSED, _ago(3)))
    with pytest.raises(DomainError, match="记录服务"):  # a closed archive gets no services
        record_service(
            session, officer, g, kind=ServiceKind.POLICY, on=_ago(2), org=get_org(session, "440100")
        )
    with pytest.raises(DomainError, match="请选择原因"):  # 撤档 is no reason to reopen
        archives.take(session, officer, g, Step(S.ASSISTING, _ago(1), ArchiveReason.DIED))
    archives.take(session, officer, g, Step(S.ASSISTING, _ago(1), ArchiveReason.RELAPSE))
    assert g.archive_state == S.ASSISTING and session.scalar(offered) == g.id

    history = [(e.state, e.on_date) for e in archives.events(session, g)]
    assert [s for s, _ in history] == [
        S.APPLIED, S.REVIEWED, S.VISITED, S.PUBLICISED, S.OPENED, S.ASSISTING, S.RECOVERED,
        S.CLOSED, S.ASSISTING,
    ]  # fmt: skip
    assert g.verified_on == _ago(1)
    actions = set(
        session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity_type == "graduate", AuditEvent.entity_id == g.id
            )
        )
    )
    assert {"archive_reviewed", "archive_visited", "archive_opened", "archive_reopened"} <= actions


def test_the_online_answer_is_the_same_for_a_known_number(
    session: Session, monkeypatch: pytest.MonkeyPatch, hq_actor: Actor
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="wh", password=PASSWORD, org_code="420100"
    )
    known = _registered(session, "902", 40, home="420100")
    before = session.scalar(select(func.count()).select_from(Graduate))
    data = graduate_input(
        make_id("440106", seq="902"), "440100", "440100", name="别人", phone="13900139000"
    )
    again = application.apply_online(session, data, consent=True)
    fresh = application.apply_online(
        session,
        graduate_input(make_id("440106", seq="903"), "440100", "440100", phone="13900139000"),
        consent=True,
    )
    assert again == fresh  # the applicant learns nothing about who has an archive
    assert session.scalar(select(func.count()).select_from(Graduate)) == before + 1
    assert any("再次提交了线上申请" in t for t in notice_texts(session, "wh"))
    assert session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "archive_applied_again", AuditEvent.entity_id == known.id
        )
    )
    with pytest.raises(DomainError, match="同意"):
        application.apply_online(session, data, consent=False)


def test_the_statistics_read_the_archive_as_of_the_cutoff(
    session: Session, monkeypatch: pytest.MonkeyPatch, hq_actor: Actor
) -> None:
    campaign = create_campaign(
        session, hq_actor, 2099, starts_on=_ago(100), ends_on=_ago(20), cutoff_on=_ago(20),
        report_due_on=_ago(15),
    )  # fmt: skip
    assert campaign is not None
    gz = get_org(session, "440100")
    officer = officer_actor(session, "440100")
    base = compute_table(session, campaign, gz)["items"]["06A"]

    _registered(session, "911", 60)  # entered by an officer: 建档 on registration
    cancelled = _registered(session, "912", 60)
    archives.take(
        session, officer, cancelled, Step(S.CANCELLED, _ago(30), ArchiveReason.MOVED_AWAY)
    )
    later = _registered(session, "913", 60)
    archives.take(session, officer, later, Step(S.CANCELLED, _ago(10), ArchiveReason.DUPLICATE))
    pending = _apply(session, monkeypatch, "914", 50)  # still an application at the cutoff
    archives.take(session, officer, pending, Step(S.REVIEWED, _ago(45)))

    table = compute_table(session, campaign, gz)["items"]
    assert table["06A"] == base + 2  # 911 and 913 (cancelled only after the cutoff)
    # reopening the one cancelled before the cutoff, now, changes nothing of that table
    archives.take(session, officer, cancelled, Step(S.ASSISTING, _ago(2), ArchiveReason.RELAPSE))
    assert compute_table(session, campaign, gz)["items"]["06A"] == base + 2
    # and a table as of today counts what is open today: 911 and 912 (913 is cancelled)
    assert compute_table(session, campaign, gz, TODAY)["items"]["06A"] == base + 2
    assert compute_table(session, campaign, gz, _ago(31))["items"]["06A"] == base + 3


def test_what_cannot_be_reopened(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    officer = officer_actor(session, "440100")
    died = _registered(session, "921", 30)
    archives.take(session, officer, died, Step(S.CANCELLED, _ago(5), ArchiveReason.DIED))
    assert S.ASSISTING not in archives.next_steps(session, died)
    refused = _apply(session, monkeypatch, "922", 20)
    archives.take(session, officer, refused, Step(S.CANCELLED, _ago(19), ArchiveReason.INELIGIBLE))
    assert archives.next_steps(session, refused) == []  # never opened: apply again
    with pytest.raises(DomainError):
        archives.take(session, officer, refused, Step(S.ASSISTING, _ago(1), ArchiveReason.RELAPSE))
    with pytest.raises(DomainError, match="晚于今天"):
        archives.take(
            session, officer, _registered(session, "923", 30),
            Step(S.RECOVERED, TODAY + timedelta(days=1), ArchiveReason.STABLE_JOB),
        )  # fmt: skip


def test_a_follow_up_left_wanting_help_reopens_a_recovered_archive(session: Session) -> None:
    officer = officer_actor(session, "440100")
    g = _registered(session, "931", 120)
    record_service(
        session, officer, g, kind=ServiceKind.EMPLOYED, on=_ago(40), org=get_org(session, "440100"),
        workplace="广州地铁",
    )  # fmt: skip
    archives.take(session, officer, g, Step(S.RECOVERED, _ago(35), ArchiveReason.STABLE_JOB))
    first = followups.hires_of(session, g)[0].follow_ups[0]
    followups.answer(
        session,
        officer,
        first.id,
        followups.Answer(
            answered_on=TODAY, still_employed=False, left_reason="合同到期", wants_help=True
        ),
    )
    assert g.archive_state == S.ASSISTING and g.status == EmploymentStatus.UNEMPLOYED
    last = archives.events(session, g)[-1]
    assert last.reason == ArchiveReason.LEFT_JOB and g.is_looking


def test_the_annual_review_draws_a_reproducible_sample(session: Session) -> None:
    officer = officer_actor(session, "440100")
    drawn_before = [_registered(session, f"94{i}", 200) for i in range(10)]
    archives.take(
        session, officer, drawn_before[0], Step(S.CANCELLED, _ago(3), ArchiveReason.MOVED_AWAY)
    )
    province = officer_actor(session, "440000")
    with pytest.raises(DomainError, match="省级总工会"):
        review.draw(session, officer, 2026)
    made = review.draw(session, province, 2026)
    ids = [i.graduate_id for i in made.items]
    active = session.scalar(
        select(func.count()).where(
            Graduate.archive_state.in_([S.OPENED, S.ASSISTING]),
            Graduate.home_org_id.in_(select(Graduate.home_org_id).where(Graduate.id.in_(ids))),
        )
    )
    assert active and len(ids) >= 3 and drawn_before[0].id not in ids  # active archives only
    every = [
        g.id
        for g in session.scalars(
            select(Graduate).where(Graduate.archive_state.in_([S.OPENED, S.ASSISTING]))
        )
        if g.home_org.path.startswith(get_org(session, "440000").path)
    ]
    assert ids == review.sample(every, 30, made.seed)  # the same seed draws the same archives
    assert review.sample(every, 30, "另一个种子") != ids or len(every) < 4
    with pytest.raises(Conflict):
        review.draw(session, province, 2026)

    g = session.get(Graduate, ids[0])
    assert g is not None
    pending = review.pending_count(session, officer)
    with pytest.raises(DomainError, match="请说明变化"):
        review.record_outcome(session, officer, made, g, ReviewOutcome.CHANGED, TODAY)
    review.record_outcome(session, officer, made, g, ReviewOutcome.CONFIRMED, TODAY)
    assert g.verified_on == TODAY and review.pending_count(session, officer) == pending - 1
    assert review.progress(session, made).done == 1


def test_archives_closed_ten_years_ago_are_anonymised(session: Session) -> None:
    officer = officer_actor(session, "440100")
    old, recent = _registered(session, "951", 30), _registered(session, "952", 30)
    for g in (old, recent):
        archives.take(session, officer, g, Step(S.RECOVERED, _ago(20), ArchiveReason.STABLE_JOB))
        archives.take(session, officer, g, Step(S.CLOSED, _ago(10)))
    old.archive_since = date(TODAY.year - 11, 3, 1)
    recent.archive_since = date(TODAY.year - 9, 3, 1)
    assert anonymise_closed(session, 10, TODAY) == 1
    assert old.name == ANONYMOUS and recent.name == "档案952"
    assert session.scalar(select(func.count()).where(ArchiveEvent.graduate_id == old.id)) == 2


def test_the_work_list_groups_each_step_within_reach(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = officer_actor(session, "440100")
    applied = _apply(session, monkeypatch, "961", 12)
    noticed = _apply(session, monkeypatch, "962", 12)
    archives.take(session, officer, noticed, Step(S.REVIEWED, _ago(11)))
    archives.take(
        session, officer, noticed, Step(S.VISITED, _ago(10), visitors="李四", confirmed=True, consent=True)
    )  # fmt: skip
    archives.take(session, officer, noticed, Step(S.PUBLICISED, _ago(9), ends_on=_ago(5)))
    groups = {g.key: g for g in worklist.groups(session, officer, on=TODAY)}
    assert applied in groups["applied"].lines and groups["applied"].count >= 1
    assert noticed in groups["publicity"].lines and groups["publicity"].overdue >= 1
    assert worklist.total(list(groups.values())) >= 2
    elsewhere = {g.key: g for g in worklist.groups(session, officer_actor(session, "420100"))}
    assert applied not in elsewhere["applied"].lines and noticed not in elsewhere["publicity"].lines
