"""`matchsvc demo`: realistic, deterministic, and no personal data in clear on disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from matchsvc import create_app
from matchsvc.cli import main
from matchsvc.db import make_engine, make_session_factory
from matchsvc.models import Campaign, Employer, Graduate, JobFair, Position, ServiceRecord, User
from matchsvc.validators import parse_credit_code, parse_id_number

from .conftest import FreshDatabases, app_config


def run_demo(url: str, *args: str) -> str:
    app = create_app(app_config(url))
    result = app.test_cli_runner().invoke(main, ["demo", "--graduates", "120", *args])
    app.extensions["matchsvc.db"]["engine"].dispose()
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_data_is_realistic_and_deterministic(databases: FreshDatabases, backend: str) -> None:
    url_a, url_b = databases.new(backend), databases.new(backend)
    output = run_demo(url_a)
    for username in ("hq", "gd_officer", "gz_officer", "gzmetro_hr", "grad_demo"):
        assert username in output
    run_demo(url_b)
    rows = []
    for url in (url_a, url_b):
        engine = make_engine(url)
        with make_session_factory(engine)() as s:
            graduates = s.scalars(select(Graduate).order_by(Graduate.id)).all()
            rows.append([(g.name, g.id_number_hash, g.school_name, g.status) for g in graduates])
            assert len(graduates) == 120
            for g in graduates:
                parse_id_number(g.id_number)  # every ID number is valid
            for e in s.scalars(select(Employer)):
                parse_credit_code(e.uscc)
            assert {e.kind.value for e in s.scalars(select(Employer))} >= {
                "soe",
                "model_worker",
                "charitable",
                "public_welfare",
            }
            assert {p.kind.value for p in s.scalars(select(Position))} == {
                "job",
                "internship",
                "public_welfare",
            }
            assert s.scalar(select(func.count()).select_from(ServiceRecord)) > 0
            assert s.scalar(select(func.count()).select_from(JobFair)) > 0
            assert (
                s.scalar(select(Campaign.cutoff_on).where(Campaign.year == 2012)).isoformat()
                == "2012-08-31"
            )
            assert {u.role.value for u in s.scalars(select(User))} == {
                "hq",
                "officer",
                "employer",
                "graduate",
            }
        engine.dispose()
    assert rows[0] == rows[1]
    assert "已有演示数据" in run_demo(url_a)


def test_no_full_id_number_or_phone_on_disk(databases: FreshDatabases) -> None:
    url = databases.sqlite()
    path = Path(url.removeprefix("sqlite:///"))
    # A reader holding an open snapshot keeps the demo's writes in the WAL (no checkpoint can
    # pass it), so the WAL is scanned as well as the database file.
    keeper = sqlite3.connect(path, isolation_level=None)
    keeper.execute("PRAGMA journal_mode=WAL")
    keeper.execute("CREATE TABLE keeper (x)")
    keeper.execute("BEGIN")
    keeper.execute("SELECT count(*) FROM keeper").fetchall()
    output = run_demo(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        secrets = [g.id_number for g in s.scalars(select(Graduate))]
        secrets += [g.phone for g in s.scalars(select(Graduate)) if g.phone]
    engine.dispose()
    assert len(secrets) > 200
    files = list(path.parent.glob(path.name + "*"))
    assert {p.name for p in files} >= {path.name, path.name + "-wal"}
    blob = b"".join(p.read_bytes() for p in files)
    keeper.execute("COMMIT")
    keeper.close()
    assert len(blob) > 100_000
    leaked = [v for v in secrets if v.encode() in blob or v in output]
    assert leaked == []
    # The masked forms are derived at display time; the last four are kept for search.
    assert secrets[0][-4:].encode() in blob
