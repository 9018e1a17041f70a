"""A previewed sheet waiting for the officer's confirmation: in the database, encrypted, for an
hour at most, and gone once confirmed, refused or expired.

The officer's confirm form carries a random token; the database keeps only its SHA-256, so the
row can be found by whoever holds the form and by nobody reading the table. Any app server finds
it, so a preview on one server can be confirmed on another.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..errors import DomainError, NotFound
from ..models import IMPORT_KINDS, PendingImport, utcnow

#: How long a preview can be confirmed.
LIFETIME = timedelta(hours=1)
EXPIRED = "预览已过期或已使用，请重新上传文件"


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    data: bytes
    #: The rows the preview read (0 when not known).
    rows: int = 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keep(session: Session, actor: Actor, upload: Upload, now: datetime | None = None) -> str:
    """Keep a previewed sheet for the officer; returns the token for the confirm form."""
    if upload.kind not in IMPORT_KINDS or actor.user_id is None:
        raise DomainError("无法保存预览")
    now = now or utcnow()
    token = secrets.token_urlsafe(24)
    keyring = pii.keyring()
    session.add(
        PendingImport(
            token_hash=_digest(token),
            user_id=actor.user_id,
            kind=upload.kind,
            filename_enc=keyring.seal(upload.filename).ciphertext,
            content_enc=keyring.encrypt(upload.data),
            created_at=now,
            expires_at=now + LIFETIME,
            rows=upload.rows,
        )
    )
    session.flush()
    return token


def take(session: Session, actor: Actor, token: str, now: datetime | None = None) -> Upload:
    """The officer's own pending sheet for this token, locked and removed from the table (the
    removal commits with the import, or is undone with it: see `forget`)."""
    row = session.scalar(
        select(PendingImport)
        .where(PendingImport.token_hash == _digest(token or ""))
        .with_for_update()
    )
    if row is None or row.expires_at <= (now or utcnow()):
        raise DomainError(EXPIRED)
    if row.user_id != actor.user_id:
        raise NotFound("没有该预览")
    keyring = pii.keyring()
    upload = Upload(
        row.kind, keyring.open(row.filename_enc), keyring.decrypt(row.content_enc), row.rows
    )
    session.delete(row)
    session.flush()
    return upload


def forget(session: Session, token: str) -> None:
    """Remove a pending sheet whatever happens to the request (an import refused at confirm)."""
    session.execute(delete(PendingImport).where(PendingImport.token_hash == _digest(token or "")))


def purge_expired(session: Session, now: datetime) -> int:
    """Delete every pending sheet past its hour; returns how many."""
    result = session.execute(delete(PendingImport).where(PendingImport.expires_at <= now))
    return result.rowcount or 0  # type: ignore[attr-defined]


def remove_legacy_uploads(instance: Path) -> bool:
    """Earlier versions kept previews as files in instance/uploads/: remove what is left."""
    folder = instance / "uploads"
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
