"""The audit log is hash-chained: any change or deletion shows, through the CLI too."""

from __future__ import annotations

from itertools import pairwise

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
