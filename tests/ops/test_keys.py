"""Rotating the data key re-encrypts every ID number and phone and recomputes the look-up hashes."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import pii
from matchsvc.graduates.service import find_by_id_number, register_graduate
from matchsvc.models import Graduate
from matchsvc.ops.keys import rotate

from ..conftest import graduate_input, make_id, officer_actor


def test_rotation_reseals_everything(session: Session) -> None:
    actor = officer_actor(session, "440100")
    ids = [make_id("440106", seq=f"{n:03d}") for n in range(5)]
    for n, idn in enumerate(ids):
        register_graduate(
            session, actor, graduate_input(idn, "440100", "440100", phone=f"1390000000{n}")
        )
    session.flush()
    old = pii.keyring()
    before = {g.id: (g.id_number_enc, g.id_number_hash) for g in session.scalars(select(Graduate))}
    new = pii.Keyring("a-completely-new-data-key-for-tests")
    try:
        assert rotate(session, old, new, batch=2) == 5
        pii.configure("a-completely-new-data-key-for-tests")
        for g in session.scalars(select(Graduate)):
            assert (g.id_number_enc, g.id_number_hash) != before[g.id]
            assert g.id_number in ids and g.phone and g.phone.startswith("139")
            with pytest.raises(InvalidToken):
                old.open(g.id_number_enc)
        assert find_by_id_number(session, ids[3]) is not None  # look-ups use the new hash
    finally:
        pii._keyring = old  # the other tests run with the original key
