"""Alembic environment: runs against the connection or URL handed over by matchsvc.migrate."""

from alembic import context
from sqlalchemy import Connection

from matchsvc.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from matchsvc.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def ours(name: str | None, type_: str, parent_names: object) -> bool:
    """The job queue's tables (procrastinate_*, migration 0023) are procrastinate's, not the
    models': autogenerate leaves them alone."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("matchsvc migrations run online only")
run_migrations_online()
