"""The audit log is hash-chained: any change or deletion shows, through the CLI too."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from matchsvc.audit import verify
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent

from ..conftest import graduate_input, make_id, officer_actor


def _events(session: Session) -> list[AuditEvent]:
    actor = officer_actor(session, "440100")
    for n in range(4):
        register_graduate(
            session, actor, graduate_input(make_id("440106", seq=f"{n:03d}"), "440100", "440100")
        )
    session.flush()
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_the_chain_holds_and_shows_tampering(session: Session) -> None:
    events = _events(session)
    assert len(events) >= 4
    checked, broken = verify(session)
    assert broken == [] and checked == len(events)
    assert all(e.prev_hash == p.hash for p, e in pairwise(events))
    victim = events[1]
    original = victim.actor
    session.execute(
        text("UPDATE audit_event SET actor = 'someone-else' WHERE id = :i"), {"i": victim.id}
    )
    session.expire_all()
    assert verify(session)[1] == [victim.id]
    session.execute(
        text("UPDATE audit_event SET actor = :a WHERE id = :i"), {"a": original, "i": victim.id}
    )
    session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": events[-1].id})
    session.expire_all()
    assert verify(session)[1] == [-1]  # the newest event is gone


def test_bulk_imports_are_chained_too(session: Session) -> None:
    from matchsvc.audit import chain_rows
    from matchsvc.models import utcnow

    _events(session)
    rows = [
        {
            "user_id": None,
            "actor": "导入",
            "action": "create",
            "entity_type": "graduate",
            "entity_id": n,
            "org_id": None,
            "details": {"source": "import"},
            "at": utcnow(),
        }
        for n in range(3)
    ]
    chain_rows(session, rows)
    from sqlalchemy import insert

    session.execute(insert(AuditEvent), rows)
    assert verify(session)[1] == []


def test_the_migration_chains_events_written_before_it(fresh_url: str) -> None:
    from alembic import command

    from matchsvc.db import make_engine, make_session_factory
    from matchsvc.migrate import alembic_config, upgrade

    engine = make_engine(fresh_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0007")
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO audit_event (at, actor, action, entity_type, entity_id, details)"
                    " VALUES (:at, 'old', 'create', 'graduate', :n, :d)"
                ),
                {"at": f"2012-07-0{n + 1} 08:00:00.123456", "n": n, "d": '{"k": 1}'},
            )
    upgrade(engine)
    with make_session_factory(engine)() as s:
        checked, broken = verify(s)
    engine.dispose()
    assert (checked, broken) == (3, [])


def _rechain_without_the_key(session: Session, key: bytes) -> None:
    """What someone who can write the database does: recompute every link, but with a key of
    their own (the service's is not in the database)."""
    import hashlib
    import hmac
    import json

    from matchsvc.audit import GENESIS, _fields

    prev = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        f = _fields(event)
        body = {k: (v.isoformat() if k == "at" else v) for k, v in f.items()}
        body["details"] = body["details"] or {}
        text_ = prev + json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
        digest = hmac.new(key, text_.encode(), hashlib.sha256).hexdigest()
        event.prev_hash, event.hash, prev = prev, digest, digest
    session.execute(text("UPDATE audit_chain SET head = :h WHERE id = 1"), {"h": prev})
    session.flush()


def test_deleting_an_event_and_rechaining_without_the_key_is_caught(session: Session) -> None:
    events = _events(session)
    session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": events[1].id})
    session.expire_all()
    _rechain_without_the_key(session, b"a key the attacker guessed")
    session.expire_all()
    checked, broken = verify(session)
    kept = [e.id for i, e in enumerate(events) if i != 1]
    assert checked == len(kept) and broken == kept  # not one link is genuine


def test_an_anchor_outside_the_database_catches_a_truncated_chain(
    session: Session, tmp_path: Path
) -> None:
    """Delete the newest events and move the head back to the last one kept: every link left
    still verifies, but the anchor written before says the chain was longer."""
    from matchsvc.audit import ANCHOR_DISAGREES, write_anchor

    events = _events(session)
    anchors = tmp_path / "anchor.log"
    write_anchor(session, anchors)
    assert verify(session, anchors) == (len(events), [])
    assert oct(anchors.stat().st_mode & 0o777) == "0o600"
    session.execute(text("DELETE FROM audit_event WHERE id >= :i"), {"i": events[-2].id})
    session.execute(text("UPDATE audit_chain SET head = :h WHERE id = 1"), {"h": events[-3].hash})
    session.expire_all()
    assert verify(session)[1] == []  # the chain alone cannot tell
    assert verify(session, anchors)[1] == [ANCHOR_DISAGREES]


def test_a_forged_anchor_is_caught(session: Session, tmp_path: Path) -> None:
    import json

    from matchsvc.audit import ANCHOR_DISAGREES, write_anchor

    _events(session)
    anchors = tmp_path / "anchor.log"
    entry = write_anchor(session, anchors)
    forged = entry | {"events": 1, "head": "0" * 64}
    anchors.write_text(anchors.read_text() + json.dumps(forged) + "\n")
    assert verify(session, anchors)[1] == [ANCHOR_DISAGREES]


def test_audit_verify_on_the_command_line_anchors_the_head(runner, session: Session) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.cli import main

    _events(session)
    session.commit()
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 0 and "锚点" in result.output, result.output
    anchors = Path(runner.app.config["AUDIT_ANCHOR"])
    assert anchors.exists() and len(anchors.read_text().splitlines()) >= 1


def test_the_nightly_job_verifies_and_anchors(session: Session, tmp_path: Path) -> None:
    import pytest
    from matchsvc.jobs import JOBS

    from matchsvc.models import utcnow
    from matchsvc.ops.scheduler import JobContext

    events = _events(session)
    job = next(j for j in JOBS if j.id == "audit_anchor")
    context = JobContext(
        session=session, now=utcnow(), settings={"AUDIT_ANCHOR": str(tmp_path / "a")}
    )
    assert job.func(context) == len(events)
    session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": events[-1].id})
    session.execute(text("UPDATE audit_chain SET head = :h WHERE id = 1"), {"h": events[-2].hash})
    session.expire_all()
    with pytest.raises(RuntimeError, match="审计日志被改动"):
        job.func(context)
