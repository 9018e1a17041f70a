"""The open positions held in memory (matching/live.py): after a post is edited, published,
filled or closed, the next recommendation reads only what changed into a small index beside the
full one — the full index is not rebuilt — and the list is exactly the one a fresh full build
gives: the same posts, order, fits and reasons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from matchsvc.graduates.service import register_graduate
from matchsvc.matching import live, service
from matchsvc.matching.engine.policy import Policy
from matchsvc.models import Graduate, PositionMajor, PositionStatus, Referral, ReferralState

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post


def _policy() -> Policy:
    return Policy(today=TODAY, campaign_year=TODAY.year)


def _shown(session: Session, gz, grad: Graduate) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    recs = service.recommend_for(session, gz, grad.id, _policy())
    return [(r.id, r.fit, r.rules, r.reason, r.title) for r in recs]


def _fresh(session: Session, gz, grad: Graduate) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    live._cache.entries.clear()  # what a full build from the database gives
    return _shown(session, gz, grad)


def test_changes_ride_on_a_delta_and_rank_as_a_full_build(session: Session) -> None:
    gz = officer_actor(session, "440100")
    employers = [employer(session, n) for n in range(1, 6)]
    titles = ["软件开发工程师", "会计", "数据分析", "运维工程师", "测试工程师", "行政专员"]
    majors = [["软件工程"], ["会计学"], ["计算机类"], [], ["软件工程"], []]
    posts = [
        post(session, employers[n % 5], f"{t}{n}", majors[n % 6], description="Python")
        for n, t in enumerate(titles * 4)
    ]
    grad = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="611"), "440100", "440100", name="李明",
                       wish_regions=["440100"], skills="Python", graduation_year=TODAY.year,
                       registered_on=TODAY - timedelta(days=10)),
    )  # fmt: skip
    first = _shown(session, gz, grad)
    assert first == _fresh(session, gz, grad)
    base = live.live_index(session, TODAY).base

    # an edit lifts a post that was not shown: a 会计 post now asks for 软件工程
    hidden = next(p for p in posts if p.id not in {r[0] for r in first})
    hidden.title = "软件开发（已修改）"
    hidden.majors = [PositionMajor(text="软件工程")]
    # another is filled by a hire, a third closed, and a new one published
    filled = next(p for p in posts if p.id == first[0][0])
    session.add(
        Referral(graduate_id=grad.id, position_id=filled.id, org_id=gz.org_id,
                 state=ReferralState.HIRED)
    )  # fmt: skip
    closed = next(p for p in posts if p.id == first[1][0])
    closed.status = PositionStatus.CLOSED
    new = post(session, employers[0], "Python 开发（新）", ["软件工程"], description="Python")
    session.flush()

    after = _shown(session, gz, grad)
    now = live.live_index(session, TODAY)
    assert now.base is base and now.delta is not None  # no rebuild: the changes ride beside
    assert {filled.id, closed.id, hidden.id, new.id} <= now.hidden
    ids = [r[0] for r in after]
    assert hidden.id in ids and new.id in ids and filled.id not in ids and closed.id not in ids
    assert next(r for r in after if r[0] == hidden.id)[4] == "软件开发（已修改）"
    assert after == _fresh(session, gz, grad)  # exactly what a full build ranks


def test_a_new_day_or_many_changes_rebuild(session: Session) -> None:
    e = employer(session, 1)
    posts = [post(session, e, f"岗位{n}", []) for n in range(3)]
    base = live.live_index(session, TODAY).base
    assert live.live_index(session, TODAY).current
    assert live.live_index(session, TODAY + timedelta(days=1)).base is not base
    again = live.live_index(session, TODAY).base
    old, live.DELTA_MAX = live.DELTA_MAX, 1
    try:
        for p in posts:
            p.title += "改"
        session.flush()
        rebuilt = live.live_index(session, TODAY)
        assert rebuilt.base is not again and rebuilt.current
    finally:
        live.DELTA_MAX = old


def test_posts_of_a_rolled_back_build_are_not_kept(session: Session) -> None:
    """A full index built while a transaction saw rows it then rolled back is not patched: the
    count the new ids do not explain makes it build again (no ghost post is recommended)."""
    e = employer(session, 1)
    post(session, e, "留下的岗位", [])
    nested = session.begin_nested()
    ghost = post(session, e, "回滚的岗位", [])
    ghost_id = ghost.id
    assert ghost_id in live.live_index(session, TODAY).base.position_of
    nested.rollback()
    post(session, e, "新岗位", [])
    session.flush()
    assert ghost_id not in live.live_index(session, TODAY).base.position_of or (
        ghost_id in live.live_index(session, TODAY).hidden
    )


def test_a_page_reads_the_fingerprint_once_and_never_counts_an_unchanged_market(
    session: Session,
) -> None:
    """The fingerprint is read once per session until it writes, and the count of posts (a scan
    of the table) only when something moved; an edit in the same session is still seen."""
    gz = officer_actor(session, "440100")
    e = employer(session, 7)
    posts = [post(session, e, f"软件开发{n}", ["软件工程"]) for n in range(3)]
    grad = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="612"), "440100", "440100",
                       graduation_year=TODAY.year, registered_on=TODAY - timedelta(days=3)),
    )  # fmt: skip
    session.commit()
    _fresh(session, gz, grad)  # built (and counted) once
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", seen)
    try:
        session.commit()  # a new request's transaction
        for _ in range(3):  # a page's lists
            live.live_index(session, TODAY)
        reads = [s for s in statements if "max(position.updated_at)" in s]
        counts = [s for s in statements if "count(position.id)" in s]
        assert len(reads) == 1 and counts == []
        posts[0].title = "软件开发（已修改）"  # pending in this session: read again, and counted
        changed = live.live_index(session, TODAY)
        assert posts[0].id in changed.hidden
        assert len([s for s in statements if "max(position.updated_at)" in s]) == 2
        assert len([s for s in statements if "count(position.id)" in s]) == 1
    finally:
        event.remove(bind, "before_cursor_execute", seen)
