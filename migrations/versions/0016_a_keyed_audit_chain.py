"""a keyed audit chain: every link computed again as an HMAC with the app's secret key

With a public hash function, someone who could write the database could delete an event and
recompute every later link. The links are now HMAC-SHA256 under a key derived from
MATCHSVC_SECRET_KEY, which is not in the database; this revision rechains what is there.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.orm import Session

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from matchsvc import audit

    session = Session(bind=op.get_bind())
    audit.rechain(session)  # keyed by the app or the CLI that runs the migration
    session.flush()


def downgrade() -> None:
    """Nothing to undo in the schema; the links stay keyed."""
