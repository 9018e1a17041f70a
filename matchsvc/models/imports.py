"""Spreadsheets between preview and confirm: kept in the database (any app server can confirm),
encrypted like other personal data, for an hour at most."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, created_at_column

IMPORT_KINDS = ("graduates", "services", "positions", "fairs")


class PendingImport(Base):
    """An uploaded sheet the officer has previewed and not yet confirmed."""

    __tablename__ = "pending_import"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in IMPORT_KINDS) + ")", name="known_kind"
        ),
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token in the officer's confirm form (the token itself is never stored).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    #: Fernet ciphertext of the file name and of the file: sheets hold ID numbers and phones.
    filename_enc: Mapped[str] = mapped_column(Text)
    content_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
