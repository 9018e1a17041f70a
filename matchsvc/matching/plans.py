"""Placement plans too large to compute while an officer waits: queued as a `placement_run` row and
computed by the `placement_queue` job, one unit per plan: in the scheduler process (the embedded
default), or on the job queue's workers (MATCHSVC_JOB_QUEUE=procrastinate, deferred as soon as it
is queued). It works with any number of app servers; its progress and result are kept in that
row, and the officer who asked gets a notice when the plan is ready.

A plan for at most `PLACEMENT_QUEUE_AT` graduates (a setting, default 3,000) is computed in the
request as before.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from ..actors import Actor
from ..errors import Forbidden, NotFound
from ..logsafe import scrub
from ..models import Org, PlacementRun, PlanState, Role, User, utcnow
from ..ops import requests
from . import service
from .engine.placement import Plan, PlanLine, Unplaced

log = logging.getLogger(__name__)

DEFAULT_QUEUE_AT = 3000
#: A run left "running" this long ago died with its scheduler process.
STALE_AFTER = timedelta(minutes=30)
UNFINISHED = (PlanState.QUEUED, PlanState.RUNNING)


@dataclass
class PlanPage:
    """What the 安置方案 page shows for an org: a plan computed now, or the latest queued run."""

    plan: Plan | None
    run: PlacementRun | None
    graduates: int
    queued: bool  # the org's plans go through the queue


def queue_at(settings: Mapping[str, Any]) -> int:
    return int(settings.get("PLACEMENT_QUEUE_AT") or DEFAULT_QUEUE_AT)


def latest_run(session: Session, org: Org, campaign_year: int) -> PlacementRun | None:
    return session.scalar(
        select(PlacementRun)
        .where(PlacementRun.org_id == org.id, PlacementRun.campaign_year == campaign_year)
        .order_by(PlacementRun.created_at.desc(), PlacementRun.id.desc())
        .limit(1)
    )


def plan_page(
    session: Session, actor: Actor, org: Org, policy: service.Policy, settings: Mapping[str, Any]
) -> PlanPage:
    """The page's plan: computed now for a small org, else the latest run's (its notice seen)."""
    count = service.plan_size(session, actor, org, policy)
    if count <= queue_at(settings):
        return PlanPage(service.placement_plan(session, actor, org, policy), None, count, False)
    run = latest_run(session, org, policy.campaign_year)
    plan = None
    if run is not None and run.state == PlanState.DONE and run.result is not None:
        plan = plan_from_result(run.result)
    if (
        run is not None
        and run.state not in UNFINISHED
        and run.requested_by_id == actor.user_id
        and run.seen_at is None
    ):
        run.seen_at = utcnow()  # the notice has done its job
    return PlanPage(plan, run, count, True)


def queue_plan(
    session: Session, actor: Actor, org: Org, policy: service.Policy
) -> tuple[PlacementRun, bool]:
    """Queue a plan for the org (the one already waiting or running, if any); True if new."""
    count = service.plan_size(session, actor, org, policy)  # checks the org is in reach
    waiting = session.scalar(
        select(PlacementRun).where(
            PlacementRun.org_id == org.id,
            PlacementRun.campaign_year == policy.campaign_year,
            PlacementRun.state.in_(UNFINISHED),
        )
    )
    if waiting is not None:
        return waiting, False
    run = PlacementRun(
        org_id=org.id,
        requested_by_id=actor.user_id,
        campaign_year=policy.campaign_year,
        graduates=count,
        state=PlanState.QUEUED,
        progress=0,
        step="排队等待计算",
    )
    session.add(run)
    session.flush()
    return run, True


def plan_to_result(plan: Plan) -> dict[str, Any]:
    return {
        "lines": [dataclasses.asdict(x) for x in plan.lines],
        "unplaced": [dataclasses.asdict(x) for x in plan.unplaced],
        "capacity": {str(k): list(v) for k, v in plan.capacity.items()},
        "held": {str(k): v for k, v in plan.held.items()},
        "waiting": [dataclasses.asdict(x) for x in plan.waiting],
    }


def plan_from_result(data: Mapping[str, Any]) -> Plan:
    return Plan(
        lines=[PlanLine(**x) for x in data.get("lines", [])],
        unplaced=[Unplaced(**x) for x in data.get("unplaced", [])],
        capacity={int(k): (int(v[0]), int(v[1])) for k, v in data.get("capacity", {}).items()},
        held={int(k): int(v) for k, v in data.get("held", {}).items()},
        waiting=[Unplaced(**x) for x in data.get("waiting", [])],
    )


def unseen_plans(session: Session, user_id: int | None) -> list[PlacementRun]:
    """Finished runs the officer asked for and has not opened yet (their notice)."""
    if user_id is None:
        return []
    return list(
        session.scalars(
            select(PlacementRun).where(
                PlacementRun.requested_by_id == user_id,
                PlacementRun.state.in_((PlanState.DONE, PlanState.FAILED)),
                PlacementRun.seen_at.is_(None),
            )
        )
    )


def queued_units(session: Session, now: datetime | None = None) -> list[str]:
    """The plans waiting to be computed, oldest first, as the queue job's units (their ids). A
    run left "running" for longer than `STALE_AFTER` died with its process (and, on a job queue,
    outlived its retries): it is marked failed here, so the officer is told and can redo it."""
    now = now or utcnow()
    session.execute(
        update(PlacementRun)
        .where(PlacementRun.state == PlanState.RUNNING, PlacementRun.started_at < now - STALE_AFTER)
        .values(
            state=PlanState.FAILED,
            finished_at=now,
            message="计算中断（计算它的进程已停止），请重新生成。",
        )
    )
    ids = session.scalars(
        select(PlacementRun.id)
        .where(PlacementRun.state == PlanState.QUEUED)
        .order_by(PlacementRun.created_at, PlacementRun.id)
    )
    return [str(i) for i in ids]


def run_queued(
    bind: Engine,
    settings: Mapping[str, Any],
    today: Any,
    now: datetime | None = None,
    *,
    unit: str | None = None,
    take_over: bool = False,
) -> int:
    """Compute one queued plan (`unit`, its id), or every queued plan oldest first; returns how
    many finished. A plan another run already took or finished is left alone (0) — unless
    `take_over`: on a job queue a plan's job holds its lock, so a plan still "running" when its
    job starts was left by a worker that died, and this retry computes it again."""
    now = now or utcnow()
    if unit is None:
        with Session(bind) as session, session.begin():
            queued_units(session, now)
    done = 0
    while (run_id := _claim(bind, now, unit, take_over)) is not None:
        _run_one(bind, run_id, settings, today)
        done += 1
        if unit is not None:
            break
    return done


def _claim(bind: Engine, now: datetime, unit: str | None, take_over: bool) -> int | None:
    """Take a queued run — the one named, or the oldest (on PostgreSQL, skipping one another
    process holds)."""
    states = UNFINISHED if take_over else (PlanState.QUEUED,)
    query = select(PlacementRun).where(PlacementRun.state.in_(states))
    if unit is not None:
        run_id = requests.unit_id(unit, "安置方案任务的单元应为方案编号")
        query = query.where(PlacementRun.id == run_id)
    with Session(bind) as session, session.begin():
        run = session.scalar(
            query.order_by(PlacementRun.created_at, PlacementRun.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if run is None:
            return None
        run.state, run.started_at, run.progress = PlanState.RUNNING, now, 1
        run.step = "开始计算"
        return run.id


def _run_one(bind: Engine, run_id: int, settings: Mapping[str, Any], today: Any) -> None:
    """Compute one claimed run. Its progress is committed as it goes (on SQLite a transaction
    holds the write lock, so progress goes through this one session, never a second one)."""
    with Session(bind) as session:
        try:
            run = session.get(PlacementRun, run_id)
            assert run is not None
            org = session.get(Org, run.org_id)
            user = session.get(User, run.requested_by_id) if run.requested_by_id else None
            if org is None:
                raise NotFound("没有该组织")
            # the plan is computed with the reach of who asked for it (HQ if nobody is known)
            actor = (
                Actor.for_user(user)
                if user is not None
                else Actor(role=Role.HQ, label="定时任务", org_path=org.path)
            )
            policy = service.make_policy(session, settings, today)
            policy = dataclasses.replace(policy, campaign_year=run.campaign_year)

            def progress(percent: int, words: str) -> None:
                run.progress, run.step = percent, words
                session.commit()

            plan = service.placement_plan(session, actor, org, policy, progress)
            run.result = plan_to_result(plan)
            run.state, run.progress, run.step = PlanState.DONE, 100, "已生成"
            run.finished_at = utcnow()
            session.commit()
        except Exception as err:  # recorded on the row for the officer; the job goes on
            session.rollback()
            if isinstance(err, NotFound | Forbidden):
                message = str(err)
            else:
                log.exception("placement run %s failed", run_id)
                message = f"计算出错（{scrub(type(err).__name__)}），请重新生成或联系管理员。"
            session.execute(
                update(PlacementRun)
                .where(PlacementRun.id == run_id)
                .values(state=PlanState.FAILED, finished_at=utcnow(), message=message[:500])
            )
            session.commit()
