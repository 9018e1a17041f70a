"""`matchsvc backup` and `restore`: a backup restores to an identical database (per-table counts
and checksums) on SQLite and PostgreSQL, and holds no full ID number or phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from matchsvc.db import make_engine, make_session_factory
from matchsvc.demo.archives import APPLICATIONS
from matchsvc.demo.internships import INTERNS
from matchsvc.demo.work_study import STUDENTS
from matchsvc.errors import DomainError
from matchsvc.models import Graduate
from matchsvc.ops.backup import backup, fingerprint, restore

from ..conftest import FreshDatabases
from ..demo.test_demo import run_demo


def test_backup_restores_to_an_identical_database(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> None:
    url = databases.new(backend)
    run_demo(url, "--graduates", "60")
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        secrets = [g.id_number for g in s.scalars(select(Graduate))] + [
            g.phone for g in s.scalars(select(Graduate)) if g.phone
        ]
    original = fingerprint(engine)
    engine.dispose()
    # 60 registered, the demo's online applications and its students (勤工俭学)
    expected = 60 + len(APPLICATIONS) + len(STUDENTS) + len(INTERNS)
    assert original["graduate"][0] == expected and original["position"][0] > 20

    dump = tmp_path / "matchsvc.backup"
    dump.write_bytes(b"")
    dump.chmod(0o644)  # even over a file others could read
    backup(url, dump)
    assert dump.stat().st_mode & 0o777 == 0o600  # the owner's only
    blob = dump.read_bytes()
    assert len(blob) > 10_000
    assert [v for v in secrets if v.encode() in blob] == []  # ciphertext only

    target = databases.new(backend)
    restore(dump, target)
    copy = make_engine(target)
    assert fingerprint(copy) == original
    copy.dispose()
    if backend == "sqlite":
        with pytest.raises(DomainError):
            restore(dump, target)  # never over an existing database


def test_cli_backup_checks_the_copy(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> None:
    from matchsvc.app import create_app
    from matchsvc.cli import main

    from ..conftest import app_config

    url = databases.new(backend)
    run_demo(url, "--graduates", "20")
    app = create_app(app_config(url))
    result = app.test_cli_runner().invoke(main, ["backup", str(tmp_path / "b.backup")])
    app.extensions["matchsvc.db"]["engine"].dispose()
    assert result.exit_code == 0, result.output
    assert "已备份到" in result.output and (tmp_path / "b.backup").stat().st_size > 1000
    if backend == "sqlite":  # the SQLite copy is opened and compared table by table
        assert "已逐表核对一致" in result.output
