"""The replay on the job queue: asked for on 推荐效果 by HQ or a province, run by the
`outcomes_replay` job — one unit per replay, in the scheduler process (the embedded default) or
on a worker (MATCHSVC_JOB_QUEUE=procrastinate, deferred at once) — since ranking every hire of
a country again takes minutes, not a request's seconds. The page shows the latest run of the
reader's org; its result keeps the figures only."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..errors import DomainError, NotFound
from ..models import HQ_CODE, Org, ReplayRun, ReplayState, Role, utcnow
from ..ops import requests
from . import metrics
from .replay import replay


@dataclasses.dataclass(frozen=True)
class Shown:
    """A finished replay's figures, as the page reads them."""

    hires: int
    days: int
    seconds: float
    recorded: metrics.Metrics
    replayed: metrics.Metrics


def queue(session: Session, actor: Actor, org: Org, campaign: int | None) -> tuple[ReplayRun, bool]:  # fmt: skip
    """Queue a replay of the org's hires (the one already waiting, if any); True if new."""
    own = (actor.is_national and org.code == HQ_CODE) or actor.org_id == org.id
    if not actor.is_province_or_national or not own:
        raise DomainError("只有全国总工会和省级工会可以回放本级的录用")
    waiting = session.scalar(
        select(ReplayRun).where(ReplayRun.org_id == org.id, ReplayRun.state == ReplayState.QUEUED)
    )
    if waiting is not None:
        return waiting, False
    run = ReplayRun(
        org_id=org.id, requested_by_id=actor.user_id, campaign=campaign, state=ReplayState.QUEUED
    )
    session.add(run)
    session.flush()
    return run, True


def latest(session: Session, org_id: int | None) -> ReplayRun | None:
    if org_id is None:
        return None
    return session.scalar(
        select(ReplayRun)
        .where(ReplayRun.org_id == org_id)
        .order_by(ReplayRun.created_at.desc(), ReplayRun.id.desc())
        .limit(1)
    )


def shown(run: ReplayRun | None) -> Shown | None:
    if run is None or run.state != ReplayState.DONE or run.result is None:
        return None
    data = run.result

    def read(m: Mapping[str, Any]) -> metrics.Metrics:
        return metrics.Metrics(**{**m, "hire_at": {int(k): v for k, v in m["hire_at"].items()}})

    return Shown(
        data["hires"], data["days"], data["seconds"], read(data["recorded"]), read(data["replayed"])
    )


def queued_units(session: Session) -> list[str]:
    """The replays waiting, oldest first, as the job's units (their ids)."""
    return requests.waiting_units(session, ReplayRun)


def run_one(
    session: Session, unit: str, now: datetime, *, settings: Mapping[str, Any] | None = None
) -> int:
    """Run one queued replay in this transaction (the job's); 1 if it ended now."""
    run_id = requests.unit_id(unit, "回放任务的单元应为回放编号")
    run = session.scalar(select(ReplayRun).where(ReplayRun.id == run_id).with_for_update())
    if run is None or run.state != ReplayState.QUEUED:
        return 0
    org = session.get(Org, run.org_id)
    if org is None:
        raise NotFound("没有该组织")
    actor = Actor(role=Role.HQ, label="定时任务", org_id=org.id, org_path=org.path)
    result = replay(session, actor, settings or {}, campaign=run.campaign)
    run.result = {
        "hires": result.hires,
        "days": result.days,
        "seconds": round(result.seconds, 2),
        "recorded": dataclasses.asdict(result.recorded),
        "replayed": dataclasses.asdict(result.replayed),
    }
    run.state, run.finished_at = ReplayState.DONE, utcnow()
    session.flush()
    logging.getLogger(__name__).info("replay %s: %s hires", run.id, result.hires)
    return 1


def fail(session: Session, unit: str, err: BaseException) -> None:
    """End a replay that raised, so it is told, not retried every minute."""
    requests.fail_waiting(
        session, ReplayRun, unit, err, "回放出错（{kind}），请重新回放或联系管理员。"
    )
