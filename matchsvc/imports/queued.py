"""Sheets too large to import while the officer waits: at confirm, a sheet of more than
`IMPORT_QUEUE_AT` rows (a setting, default 10,000) becomes an `import_run` row, and the
`imports_queue` job imports it — one unit per run, in the scheduler process (the embedded
default) or on the job queue's workers (MATCHSVC_JOB_QUEUE=procrastinate, deferred at once).

The import and the run's end commit in one transaction (the job's), so a process that dies in the
middle leaves the run queued and nothing of the sheet written; the next run of the job imports
it again. All or nothing as in the request: a sheet with any error at confirm imports nothing and
the run ends 导入未完成 with the report. The sheet is kept encrypted until the run ends, then
only the report (encrypted: it names the rows' people); the officer who asked gets a notice, and
an ended run is deleted after `KEPT`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..errors import NotFound
from ..models import ImportRun, ImportState, User, utcnow
from ..ops import requests
from .engine import Change, Problem, Report, run_import
from .pending import Upload
from .reader import FileRefused
from .registry import IMPORTERS

log = logging.getLogger(__name__)

DEFAULT_QUEUE_AT = 10_000
#: How long an ended run (its report) is kept.
KEPT = timedelta(days=30)


def queue_at(settings: Mapping[str, Any]) -> int:
    return int(settings.get("IMPORT_QUEUE_AT") or DEFAULT_QUEUE_AT)


def queue(session: Session, actor: Actor, upload: Upload, rows: int) -> ImportRun:
    """Queue a confirmed sheet for the job (the request's transaction commits it)."""
    if actor.user_id is None:
        raise NotFound("没有该用户")
    keyring = pii.keyring()
    run = ImportRun(
        user_id=actor.user_id,
        kind=upload.kind,
        rows=rows,
        state=ImportState.QUEUED,
        filename_enc=keyring.seal(upload.filename).ciphertext,
        content_enc=keyring.encrypt(upload.data),
    )
    session.add(run)
    session.flush()
    return run


def own_run(session: Session, actor: Actor, run_id: int) -> ImportRun:
    """The officer's own run (anybody else's is not there for them)."""
    run = session.get(ImportRun, run_id)
    if run is None or run.user_id != actor.user_id:
        raise NotFound("没有该导入")
    return run


def filename(run: ImportRun) -> str:
    return pii.keyring().open(run.filename_enc)


def report_of(run: ImportRun) -> Report | None:
    """The ended run's report, as the request's import would have shown it."""
    if run.report_enc is None:
        return None
    data = json.loads(pii.keyring().decrypt(run.report_enc))
    if data is None:  # the run failed before it had one (its message says why)
        return None
    return Report(
        **{k: v for k, v in data.items() if k not in ("errors", "warnings", "changes")},
        errors=[Problem(**x) for x in data["errors"]],
        warnings=[Problem(**x) for x in data["warnings"]],
        changes=[Change(**x) for x in data["changes"]],
    )


def ahead(session: Session, run: ImportRun) -> int:
    """How many queued runs are before this one."""
    waiting = ImportRun.state == ImportState.QUEUED
    return session.scalar(select(func.count()).where(waiting, ImportRun.id < run.id)) or 0


def unseen(session: Session, user_id: int | None) -> list[ImportRun]:
    """Ended sheets the officer asked for and has not opened (their notice)."""
    return requests.unseen(session, ImportRun, user_id)


def queued_units(session: Session) -> list[str]:
    """The sheets waiting, oldest first, as the job's units (their ids)."""
    return requests.waiting_units(session, ImportRun)


def run_one(session: Session, unit: str, now: datetime | None = None) -> int:
    """Import one queued run in this transaction (the job's: the import, the run's end and the
    job's record commit together); 1 if it ended now, 0 if another run already ended it."""
    run_id = requests.unit_id(unit, "导入任务的单元应为导入编号")
    run = session.scalar(select(ImportRun).where(ImportRun.id == run_id).with_for_update())
    if run is None or run.state != ImportState.QUEUED or run.content_enc is None:
        return 0
    run.started_at = now or utcnow()
    keyring = pii.keyring()
    name = keyring.open(run.filename_enc)
    user = session.get(User, run.user_id)
    message = None
    if user is None or not user.is_active:
        report, message = Report(run.kind, name), "提交导入的账号已停用，未导入。"
    else:
        try:
            report = run_import(
                session,
                Actor.for_user(user),
                IMPORTERS[run.kind],
                keyring.decrypt(run.content_enc),
                name,
                dry_run=False,
            )
        except FileRefused as err:
            report, message = Report(run.kind, name), err.message
    run.state = ImportState.DONE if report.applied else ImportState.FAILED
    run.report_enc = keyring.encrypt(json.dumps(_plain(report), ensure_ascii=False).encode())
    run.content_enc = None  # the sheet is not kept past its import
    run.message = message
    run.finished_at = utcnow()
    session.flush()
    log.info("import run %s: %s, %s rows", run.id, run.state.value, report.rows)
    return 1


def fail(session: Session, unit: str, err: BaseException) -> None:
    """End a run whose import raised (not a refused sheet: a fault), so it is told, not retried
    for ever; nothing of the sheet was written (the import's savepoint rolled back)."""
    requests.fail_waiting(
        session, ImportRun, unit, err, "导入出错（{kind}），未导入，请重新上传或联系管理员。",
        content_enc=None, report_enc=pii.keyring().encrypt(b"null"),
    )  # fmt: skip


def _plain(report: Report) -> dict[str, Any]:
    data = dataclasses.asdict(report)
    data.pop("cells", None)
    return data


def purge(session: Session, now: datetime) -> int:
    """Delete ended runs (their reports) older than `KEPT`; returns how many."""
    result = session.execute(
        delete(ImportRun).where(
            ImportRun.state != ImportState.QUEUED, ImportRun.finished_at <= now - KEPT
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
