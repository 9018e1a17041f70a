"""Alembic builds the whole schema on SQLite and PostgreSQL; `matchsvc init` twice changes nothing."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from matchsvc.app import create_app
from matchsvc.cli import main
from matchsvc.db import make_engine
from matchsvc.migrate import current_revision, head_revision
from matchsvc.models import Base

from ..conftest import FreshDatabases, app_config


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    # the job queue's tables are procrastinate's (migration 0023)
                    "include_name": lambda name, type_, _: (
                        not (type_ == "table" and (name or "").startswith("procrastinate_"))
                    ),
                },
            ),
            Base.metadata,
        )
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def snapshot(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = {
            name: conn.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }
        counts["version"] = hash(conn.scalar(text("SELECT version_num FROM alembic_version")))
    return counts


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_init_twice_changes_nothing(databases: FreshDatabases, kind: str) -> None:
    url = databases.new(kind)
    app = create_app(app_config(url))
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["init"])
    assert first.exit_code == 0, first.output
    assert "已升级到最新版本" in first.output and "新建 400 个" in first.output
    eng = make_engine(url)
    try:
        before = snapshot(eng)
        second = runner.invoke(main, ["init"])
        assert second.exit_code == 0
        assert "未作改动" in second.output and "已齐全" in second.output
        assert snapshot(eng) == before
        assert before["org"] == 400
    finally:
        eng.dispose()
        app.extensions["matchsvc.db"]["engine"].dispose()


def test_commands_refuse_an_uninitialised_database(databases: FreshDatabases) -> None:
    app = create_app(app_config(databases.sqlite()))
    result = app.test_cli_runner().invoke(
        main, ["orgs", "add", "440106", "x", "--parent", "440100"]
    )
    assert result.exit_code == 1 and "matchsvc init" in result.output
