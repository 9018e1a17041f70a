"""Exports of the graduates list too large to build while the officer waits (a province's, the
whole country's): a list of more than `EXPORT_QUEUE_AT` rows (a setting, default 20,000) is
queued as an `export_run` with its filters, and the `exports_queue` job builds the file — one
unit per export, in the scheduler process (the embedded default) or on the job queue's workers
(MATCHSVC_JOB_QUEUE=procrastinate, deferred at once).

The file is built with the reach of the officer at the time it is built (an account disabled
meanwhile gets nothing), masked as the page's export, audited as an export when it is built,
kept encrypted for `KEPT` and downloaded only by the officer who asked for it. The build and
the run's end commit in one transaction with the job's record, so a dead process leaves the
export queued for the next run.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..errors import NotFound
from ..exports import to_csv, to_xlsx
from ..graduates.export import HEADER, audit_export, rows_for_export
from ..graduates.search import GraduateQuery, build_filter
from ..models import ExportRun, ExportState, Graduate, User, utcnow
from ..ops import requests

log = logging.getLogger(__name__)

DEFAULT_QUEUE_AT = 20_000
#: How long a built file can be downloaded.
KEPT = timedelta(hours=24)
#: The filters kept with a run, the sort order with them (the file comes in the list's order).
FIELDS = ("q", "cohort", "status", "hardship", "home_org", "school_org", "sort", "descending")


def queue_at(settings: Mapping[str, Any]) -> int:
    return int(settings.get("EXPORT_QUEUE_AT") or DEFAULT_QUEUE_AT)


def count(session: Session, actor: Actor, query: GraduateQuery) -> int:
    """How many rows the export of this list would hold."""
    where = build_filter(session, actor, query)
    return session.scalar(select(func.count()).select_from(Graduate).where(where)) or 0


def queue(
    session: Session, actor: Actor, query: GraduateQuery, fmt: str, rows: int, filename: str
) -> ExportRun:
    """Queue the export for the job (the request's transaction commits it)."""
    if actor.user_id is None:
        raise NotFound("没有该用户")
    run = ExportRun(
        user_id=actor.user_id,
        fmt=fmt,
        filters={k: getattr(query, k) for k in FIELDS},
        rows=rows,
        state=ExportState.QUEUED,
        filename=filename[:200],
    )
    session.add(run)
    session.flush()
    return run


def own_run(session: Session, actor: Actor, run_id: int, now: datetime | None = None) -> ExportRun:
    """The officer's own export, while it is kept (anybody else's is not there for them)."""
    run = session.get(ExportRun, run_id)
    if run is None or run.user_id != actor.user_id:
        raise NotFound("没有该导出")
    if run.expires_at is not None and run.expires_at <= (now or utcnow()):
        raise NotFound("导出文件已过保存期限（24 小时），请重新导出")
    return run


def file_of(run: ExportRun) -> bytes:
    if run.state != ExportState.DONE or run.file_enc is None:
        raise NotFound("导出文件尚未生成")
    return pii.keyring().decrypt(run.file_enc)


def unseen(session: Session, user_id: int | None) -> list[ExportRun]:
    """Ended exports the officer asked for and has not opened (their notice)."""
    return requests.unseen(session, ExportRun, user_id)


def queued_units(session: Session) -> list[str]:
    """The exports waiting, oldest first, as the job's units (their ids)."""
    return requests.waiting_units(session, ExportRun)


def run_one(session: Session, unit: str, now: datetime | None = None) -> int:
    """Build one queued export in this transaction (the job's); 1 if it ended now, 0 if another
    run already ended it."""
    run_id = requests.unit_id(unit, "导出任务的单元应为导出编号")
    run = session.scalar(select(ExportRun).where(ExportRun.id == run_id).with_for_update())
    if run is None or run.state != ExportState.QUEUED:
        return 0
    user = session.get(User, run.user_id)
    if user is None or not user.is_active:
        _end(run, ExportState.FAILED, message="提交导出的账号已停用，未生成。")
        return 1
    actor = Actor.for_user(user)
    known = {f.name for f in dataclasses.fields(GraduateQuery)}
    query = GraduateQuery(**{k: v for k, v in run.filters.items() if k in known})
    rows = list(rows_for_export(session, actor, query))
    data = to_csv(HEADER, rows) if run.fmt == "csv" else to_xlsx(HEADER, rows, "毕业生")
    audit_export(session, actor, query, run.fmt, len(rows))
    run.rows = len(rows)
    _end(run, ExportState.DONE, file_enc=pii.keyring().encrypt(data))
    session.flush()
    log.info("export run %s: %s rows", run.id, len(rows))
    return 1


def _end(run: ExportRun, state: ExportState, **values: Any) -> None:
    now = utcnow()
    run.state, run.finished_at, run.expires_at = state, now, now + KEPT
    for k, v in values.items():
        setattr(run, k, v)


def fail(session: Session, unit: str, err: BaseException) -> None:
    """End an export whose build raised, so it is told, not retried every minute."""
    requests.fail_waiting(
        session, ExportRun, unit, err, "生成出错（{kind}），请重新导出或联系管理员。",
        expires_at=utcnow() + KEPT,
    )  # fmt: skip


def purge(session: Session, now: datetime) -> int:
    """Delete exports past their day (the files with them); returns how many."""
    result = session.execute(delete(ExportRun).where(ExportRun.expires_at <= now))
    return result.rowcount or 0  # type: ignore[attr-defined]
