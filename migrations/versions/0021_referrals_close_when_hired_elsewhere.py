"""a referral or application still waiting is closed (with its reason) when the graduate takes
work elsewhere: referral_state gains 'closed', and a closing step carries its reason

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("referred", "interview", "hired", "rejected")
NEW = (*OLD, "closed")


def _states(states: tuple[str, ...]) -> str:
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def _set_states(states: tuple[str, ...], *, closing_reason: bool) -> None:
    for table in ("referral", "referral_step"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_referral_state"), type_="check")
            batch_op.create_check_constraint("referral_state", _states(states))
            if table == "referral_step" and closing_reason:
                batch_op.create_check_constraint(
                    "closing_has_reason", "state != 'closed' OR reason IS NOT NULL"
                )
            elif table == "referral_step":
                batch_op.drop_constraint(op.f("ck_referral_step_closing_has_reason"), type_="check")


def upgrade() -> None:
    _set_states(NEW, closing_reason=True)


def downgrade() -> None:
    # a closed referral was waiting before: it goes back to the state of its last other step
    op.execute("DELETE FROM referral_step WHERE state = 'closed'")
    op.execute(
        "UPDATE referral SET state = (SELECT s.state FROM referral_step s"
        " WHERE s.referral_id = referral.id ORDER BY s.on_date DESC, s.id DESC LIMIT 1)"
        " WHERE state = 'closed'"
    )
    _set_states(OLD, closing_reason=False)
