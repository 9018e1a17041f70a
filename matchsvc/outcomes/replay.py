"""The replay: for each recorded hire, the state at the start of the day before it — the posts
open then (published before, not yet closed, seats less the hires made before) and the
graduate's profile, as looking — ranked with the current matcher; the hired post's rank gives a
replayed hire@k and MRR to set beside the recorded ones (what was really shown). A change to the
matcher that ranks past hires lower shows here before it ships.

The graduate's profile is the one of that day: today's, with each field the matcher reads and
has changed since (degree, major, graduation year, wishes, skills, certificates) as it was
before its first change after the start of that day (graduates.profile_history). The graduate
is taken as looking; hardships and the parent's employer are as they are now (they are not
kept in the history: personal data). A post the graduate declined is left out, except the one
they were hired for."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..graduates import profile_history
from ..matching import loader
from ..matching.engine.index import PositionIndex
from ..matching.engine.score import GraduateArrays
from ..matching.engine.search import top
from ..matching.service import make_policy
from ..models import Graduate
from . import funnel, metrics

#: How deep the replay ranks (the largest k of hire@k).
DEPTH = max(metrics.KS)


@dataclass
class Replay:
    recorded: metrics.Metrics
    replayed: metrics.Metrics
    hires: int
    days: int
    seconds: float


def replay(
    session: Session,
    actor: Actor,
    settings: Mapping[str, Any],
    *,
    campaign: int | None = None,
) -> Replay:
    """Every hire of the actor's graduates with a post (of one campaign year, when given),
    replayed on the day before it."""
    started = time.perf_counter()
    since = date(campaign, 1, 1) if campaign else None
    until = date(campaign, 12, 31) if campaign else None
    rows = [r for r in funnel.hires(session, actor, since, until) if r.position_id is not None]
    by_day: dict[date, list[funnel.HireRank]] = defaultdict(list)
    for r in rows:
        by_day[r.hired_on - timedelta(days=1)].append(r)
    replayed: list[funnel.HireRank] = []
    for day in sorted(by_day):
        replayed += _day(session, settings, day, by_day[day])
    return Replay(
        recorded=metrics.metrics(rows),
        replayed=metrics.metrics(replayed),
        hires=len(rows),
        days=len(by_day),
        seconds=time.perf_counter() - started,
    )


def _day(
    session: Session, settings: Mapping[str, Any], day: date, rows: list[funnel.HireRank]
) -> list[funnel.HireRank]:
    policy = make_policy(session, settings, day)
    index = PositionIndex(loader.load_positions(session, day, as_of=True))
    wanted = {r.graduate_id for r in rows}
    past = profile_history.values_at(session, wanted, clock.start_of(day))
    profiles = {
        p.id: replace(p, **profile_history.replacements(past.get(p.id, {})))
        for p in loader.graduate_profiles(session, Graduate.id.in_(wanted))
    }
    out = []
    for r in rows:
        profile = profiles.get(r.graduate_id)
        rank = None
        if profile is not None and r.position_id in index.position_of:
            then = replace(
                profile,
                looking=True,
                unemployed=True,
                declined=profile.declined - {r.position_id},
            )
            grads = GraduateArrays.build([then], policy)
            ranked = top(index, grads, 0, DEPTH, exclude=then.declined)
            ids = [index.posts.profiles[int(i)].id for i in ranked.index]
            rank = ids.index(r.position_id) + 1 if r.position_id in ids else None
        out.append(replace(r, best_rank=rank, candidate_rank=None))
    return out
