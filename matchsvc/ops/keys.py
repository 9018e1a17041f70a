"""Rotating MATCHSVC_DATA_KEY: every ID number and phone re-encrypted, every look-up hash
recomputed, in one transaction — nothing half-rotated if anything fails."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Graduate, PendingImport
from ..pii import Keyring


def rotate(session: Session, old: Keyring, new: Keyring, batch: int = 2000) -> int:
    """Re-seal every graduate's personal values (and sheets waiting for confirmation) under
    `new`; returns how many graduates."""
    for pending in session.scalars(select(PendingImport)):
        pending.filename_enc = new.seal(old.open(pending.filename_enc)).ciphertext
        pending.content_enc = new.encrypt(old.decrypt(pending.content_enc))
    count = 0
    last = 0
    while True:
        graduates = session.scalars(
            select(Graduate).where(Graduate.id > last).order_by(Graduate.id).limit(batch)
        ).all()
        if not graduates:
            return count
        for g in graduates:
            id_number = old.open(g.id_number_enc)
            sealed = new.seal(id_number)
            g.id_number_enc, g.id_number_hash = sealed.ciphertext, sealed.digest
            g.id_last4_hash = sealed.last4_digest
            if g.phone_enc:
                phone = new.seal(old.open(g.phone_enc))
                g.phone_enc, g.phone_hash = phone.ciphertext, phone.digest
            count += 1
            last = g.id
        session.flush()
