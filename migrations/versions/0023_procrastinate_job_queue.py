"""the job queue's tables (procrastinate's schema) on PostgreSQL, for `matchsvc worker`

The schema is procrastinate's own (`procrastinate.schema.SchemaManager.get_schema()`, of the
version pinned in pyproject.toml): its tables, types, functions and triggers, all named
procrastinate_*. SQLite has no queue (the jobs run in the scheduler process): nothing to do.
A later procrastinate release that changes its schema ships SQL migrations; they are applied
by a migration of ours, as every schema change is.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _driver():  # type: ignore[no-untyped-def]
    """psycopg's own connection, in the migration's transaction: the schema is plain SQL with
    no parameters, run as procrastinate runs it."""
    return op.get_bind().connection.driver_connection


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    _driver().execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _driver().execute(
        """
        DO $$
        DECLARE name text;
        BEGIN
          FOR name IN SELECT tablename FROM pg_tables
                      WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'
          LOOP EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', name); END LOOP;
          FOR name IN SELECT p.oid::regprocedure::text FROM pg_proc p
                      JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
          LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || name || ' CASCADE'; END LOOP;
          FOR name IN SELECT t.typname FROM pg_type t
                      JOIN pg_namespace n ON n.oid = t.typnamespace
                      WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
                        AND t.typtype IN ('e', 'c')
          LOOP EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', name); END LOOP;
        END $$;
        """
    )
