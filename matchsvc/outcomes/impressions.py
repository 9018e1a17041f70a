"""Recording what the matcher showed: every list of recommendations or candidates, and every
placement plan shown, becomes one `Impression` row (ids, ranks, fits, components, rules and the
matcher's version; no personal data beyond ids). The same list shown again the same day for the
same subject on the same surface is one row with a count (a reloaded page, a plan looked at
again), which keeps a province's day of use small. One lookup and one INSERT or UPDATE per list;
the pages hand it to `web.later`, which writes it in a transaction of its own once the response
has been sent, so a page never waits for it and a request that failed leaves no row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..majors.catalogue import EDITIONS
from ..matching.engine import policy
from ..matching.engine.placement import Plan
from ..models import Impression, Surface

DEFAULT_RETENTION_YEARS = 2


class Shown(Protocol):
    """What every listed item carries: its fit, its components and the rules applied."""

    fit: float
    components: dict[str, float]
    rules: list[str]


@cache
def matcher_version() -> str:
    """A short hash of every number policy.py ranks by and the catalogues' editions: two
    impressions with the same version were ranked by the same matcher."""
    numbers = {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name, value in vars(policy).items()
        if name.isupper() and isinstance(value, int | float | str | dict | tuple | frozenset)
    }
    editions = [(e.name, e.file, e.level) for e in EDITIONS]
    blob = json.dumps([numbers, editions], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _columns(items: Sequence[Shown]) -> dict[str, Any]:
    return {
        "fits": [round(i.fit * 10) for i in items],
        "components": bytes(
            min(max(round(i.components.get(c, 0.0) * 100), 0), 255)
            for i in items
            for c in policy.COMPONENTS
        ),
        "rules": [list(i.rules) for i in items],
    }


def _hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)


def _insert(
    session: Session,
    actor: Actor | None,
    surface: Surface,
    values: dict[str, Any],
    on: date | None = None,
) -> None:
    """One row for the list, or one more `times` on today's row of the same list for the same
    subject (a page reloaded, the same plan looked at again: the same list, not a new one)."""
    version = matcher_version()
    blob = json.dumps([version, values], sort_keys=True, separators=(",", ":"), default=_hex)
    digest = hashlib.sha256(blob.encode()).hexdigest()[:16]
    today = on or clock.today()
    same = (
        Impression.shown_on == today,
        Impression.surface == surface,
        Impression.digest == digest,
        *(
            getattr(Impression, key) == values[key]
            for key in ("graduate_id", "position_id", "org_id")
            if key in values
        ),
    )
    found = session.scalar(select(Impression.id).where(*same).limit(1))
    if found is not None:
        session.execute(
            update(Impression).where(Impression.id == found).values(times=Impression.times + 1)
        )
        return
    session.execute(
        insert(Impression).values(
            shown_at=clock.now() if on is None else datetime.combine(on, time(10), clock.CHINA),
            shown_on=today,
            viewer_id=actor.user_id if actor is not None else None,
            surface=surface,
            version=version,
            digest=digest,
            **values,
        )
    )


class Listed(Shown, Protocol):
    id: int


def shown_to(
    session: Session,
    actor: Actor | None,
    surface: Surface,
    graduate_id: int,
    kind: str | None,
    items: Sequence[Listed],
    on: date | None = None,
) -> None:
    """A graduate's list of posts (or training offers, by `kind`) as shown (today, or on the
    day given: the demo's story); nothing if empty."""
    if not items:
        return
    values = {"kind": kind, "graduate_id": graduate_id, "items": [i.id for i in items]}
    _insert(session, actor, surface, values | _columns(items), on)


class Ranked(Shown, Protocol):
    graduate_id: int


def candidates_shown(
    session: Session,
    actor: Actor | None,
    surface: Surface,
    position_id: int,
    items: Sequence[Ranked],
) -> None:
    """A post's candidates as shown (to an officer, an employer or the API)."""
    if not items:
        return
    values = {"position_id": position_id, "items": [c.graduate_id for c in items]}
    _insert(session, actor, surface, values | _columns(items))


def plan_shown(session: Session, actor: Actor | None, org_id: int, plan: Plan) -> None:
    """A placement plan as shown: each line a post (`items`) for a graduate (`pairs`), at the
    rank the graduate gave it (the line's `choice`, kept in the rules column as "choice:N")."""
    if not plan.lines:
        return
    lines = plan.lines
    values = {
        "org_id": org_id,
        "items": [line.position_id for line in lines],
        "pairs": [line.graduate_id for line in lines],
    } | _columns(lines)
    values["rules"] = [[f"choice:{line.choice}", *line.rules] for line in lines]
    _insert(session, actor, Surface.PLAN, values)


def choice_of(rules: Iterable[str]) -> int | None:
    for rule in rules:
        if rule.startswith("choice:"):
            return int(rule.removeprefix("choice:"))
    return None


def purge(session: Session, years: int | None, today: date) -> int:
    """Delete impressions shown more than `years` (MATCHSVC_IMPRESSION_YEARS, 2) years ago."""
    keep = years if years is not None else DEFAULT_RETENTION_YEARS
    cutoff = today - timedelta(days=round(365.25 * keep))
    result = session.execute(delete(Impression).where(Impression.shown_on < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
