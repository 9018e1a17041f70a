"""The open positions held in memory, per database, kept current at the cost of what changed.

A full `PositionIndex` of the country's open posts takes seconds to read and build (200,000 posts:
about 15 s), so it is built once — when `serve`'s worker starts (`warm`), or on first use — and
every use compares a cheap fingerprint (the latest change, the newest post, the hires, approved
employers, the day; read once per session until it writes) with the one it was built at. When only some posts changed (edited,
published, closed, a seat filled), those are read again into a small index of their own (the
delta) and hidden in the full one: a recommendation is the best of the two, merged exactly
(`LiveIndex.merged`). A new day, an employer approved or withdrawn, posts gone from the table, or
a delta past `DELTA_MAX` posts rebuild the whole. So an edited post shows on the next request,
without the seconds of a rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from ..models import Employer, EmployerStatus, Position, Referral, ReferralState
from .engine.index import PositionIndex
from .engine.profiles import PositionProfile
from .engine.score import GraduateArrays
from .engine.search import top
from .loader import hires_by_position, load_positions

#: Posts changed since the full index was built, beyond which it is built again.
DELTA_MAX = 5_000


@dataclass(frozen=True)
class Fingerprint:
    """What the market's index was built at: the latest change and the newest post, the hires,
    the approved employers, the day. `count` (how many posts) is read only when one of those
    moved: counting 200,000 rows costs more than the rest of a warm page, and the service never
    deletes a post — a post rolled back after a build moves `top`, and the day's rebuild catches
    one deleted by hand."""

    latest: datetime | None
    top: int
    hires: int
    employers: int
    today: date
    count: int | None = field(default=None, compare=False)


#: A session's fingerprint, read once until it writes (a page asks for several lists).
_MEMO = "matchsvc.live.fingerprint"


def fingerprint(session: Session, today: date) -> Fingerprint:
    """The market's fingerprint as this session sees it, without the count (`counted` adds it)."""
    memo = session.info.get(_MEMO)
    pending = bool(session.new or session.dirty or session.deleted)
    if isinstance(memo, Fingerprint) and memo.today == today and not pending:
        return memo
    latest, top = session.execute(
        select(func.max(Position.updated_at), func.max(Position.id))
    ).one()
    hires = session.scalar(select(func.count()).where(Referral.state == ReferralState.HIRED))
    employers = session.scalar(
        select(func.count()).where(Employer.status == EmployerStatus.APPROVED)
    )
    fp = Fingerprint(latest, top or 0, hires or 0, employers or 0, today)
    session.info[_MEMO] = fp
    return fp


def counted(session: Session, fp: Fingerprint) -> Fingerprint:
    """The fingerprint with its count of posts."""
    if fp.count is not None:
        return fp
    return replace(fp, count=session.scalar(select(func.count(Position.id))) or 0)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session, *_args: object) -> None:
    """A session that wrote, committed or rolled back reads the fingerprint again."""
    session.info.pop(_MEMO, None)


@dataclass
class LiveIndex:
    """The full index, and the posts changed since it was built (`delta`, `hidden` in `base`)."""

    base: PositionIndex
    delta: PositionIndex | None = None
    hidden: frozenset[int] = frozenset()

    @property
    def current(self) -> bool:
        """Nothing changed since the full index was built: it alone is the market."""
        return self.delta is None and not self.hidden

    def parts(self, exclude: Iterable[int]) -> list[tuple[PositionIndex, set[int]]]:
        """Each index with the ids to leave out of it (the caller's, and the hidden posts)."""
        exclude = set(exclude)
        out = [(self.base, exclude | self.hidden)]
        if self.delta is not None:
            out.append((self.delta, exclude))
        return out

    @staticmethod
    def merged(candidates: list[PositionProfile]) -> PositionIndex:
        """An index of the candidates each part ranked best: the top N of the union of the parts
        is the top N of their top Ns, scored by the same arrays, so ranking it again is exact."""
        return PositionIndex(candidates)


@dataclass
class _Built:
    fp: Fingerprint
    index: PositionIndex
    hires: dict[int, int]
    live: dict[Fingerprint, LiveIndex] = field(default_factory=dict)


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, _Built] = {}


_cache = _Cache()


def _key(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _build(session: Session, today: date, fp: Fingerprint) -> _Built:
    fp = counted(session, fp)
    built = _Built(fp, PositionIndex(load_positions(session, today)), hires_by_position(session))
    with _cache.lock:
        _cache.entries[_key(session)] = built
    return built


def position_index(session: Session, today: date) -> PositionIndex:
    """The open positions as one full index, rebuilt whenever the fingerprint changes (the
    nightly recompute: it walks every post for every graduate)."""
    fp = fingerprint(session, today)
    with _cache.lock:
        built = _cache.entries.get(_key(session))
    if built is None or built.fp != fp:
        built = _build(session, today, fp)
    return built.index


def live_index(session: Session, today: date) -> LiveIndex:
    """The open positions for one graduate's request: the full index and what changed since."""
    fp = fingerprint(session, today)
    with _cache.lock:
        built = _cache.entries.get(_key(session))
    if built is not None and built.fp == fp:
        return LiveIndex(built.index)
    if built is not None and fp in built.live:
        return built.live[fp]
    fp = counted(session, fp)
    if built is None or _rebuild(built.fp, fp):
        return LiveIndex(_build(session, today, fp).index)
    changed, added = _changed(session, built)
    # posts gone (or a build that saw rows later rolled back) show as a count that the new ids
    # do not explain: the full index may hold posts that are not there, so it is built again
    assert built.fp.count is not None  # counted when built
    if len(changed) > DELTA_MAX or fp.count != built.fp.count + added:
        return LiveIndex(_build(session, today, fp).index)
    posts = load_positions(session, today, Position.id.in_(changed)) if changed else []
    live = LiveIndex(built.index, PositionIndex(posts) if posts else None, frozenset(changed))
    with _cache.lock:
        built.live = {fp: live}  # only the latest delta is kept
    return live


def _rebuild(was: Fingerprint, now: Fingerprint) -> bool:
    """A change a delta cannot hold: a new day (closing dates), employers approved or not, or
    fewer posts than were indexed."""
    assert was.count is not None and now.count is not None
    return was.today != now.today or was.employers != now.employers or now.count < was.count


def _changed(session: Session, built: _Built) -> tuple[set[int], int]:
    """The posts edited or added since the full index was built and those whose hires moved;
    and how many were added."""
    since: list[Any] = [Position.id > built.fp.top]
    if built.fp.latest is not None:
        since.append(Position.updated_at >= built.fp.latest)
    else:
        since.append(Position.updated_at.is_not(None))
    changed = set(session.scalars(select(Position.id).where(or_(*since))))
    added = sum(1 for pid in changed if pid > built.fp.top)
    hires = hires_by_position(session)
    for pid in hires.keys() | built.hires.keys():
        if hires.get(pid, 0) != built.hires.get(pid, 0):
            changed.add(pid)
    return changed, added


def for_graduate(
    live: LiveIndex, grads: GraduateArrays, limit: int, kinds: list[str], exclude: Iterable[int]
) -> PositionIndex:
    """The index one graduate's top `limit` is ranked in: the full one when nothing changed,
    else the merged candidates of the full index (changed posts hidden) and of the delta."""
    if live.current:
        return live.base
    candidates: list[PositionProfile] = []
    for index, leave_out in live.parts(exclude):
        ranked = top(index, grads, 0, limit, kinds=kinds, exclude=leave_out)
        candidates += [index.posts.profiles[int(i)] for i in ranked.index]
    return LiveIndex.merged(candidates)


def warm(session: Session, today: date) -> None:
    """Build the full index now (a `serve` worker before its first request)."""
    position_index(session, today)
