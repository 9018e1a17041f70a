"""Personal data: encryption at rest, look-up hashes, masking, and log scrubbing."""

from __future__ import annotations

import logging

import pytest

from matchsvc import pii
from matchsvc.logsafe import install_log_filter, scrub

ID = "11010519491231002X"


def test_seal_and_open_round_trip() -> None:
    ring = pii.Keyring("another-key-for-tests-0000")
    sealed = ring.seal(ID)
    assert ID not in sealed.ciphertext
    assert ring.open(sealed.ciphertext) == ID
    # the last four are kept only as a keyed hash (search), never in clear
    assert sealed.last4_digest == ring.last4_digest("002x") != ring.digest("002X")
    assert "002X" not in repr(sealed)
    # The look-up hash is stable and keyed: another key gives another digest.
    assert ring.digest(ID) == sealed.digest
    assert pii.Keyring("a-completely-different-key").digest(ID) != sealed.digest
    # Encryption is randomised: the same value never gives the same ciphertext twice.
    assert ring.seal(ID).ciphertext != sealed.ciphertext


def test_short_key_refused() -> None:
    with pytest.raises(ValueError, match="太短"):
        pii.Keyring("short")


def test_masks() -> None:
    assert pii.mask_id_number(ID) == "110105************"
    assert pii.mask_phone("13800138000") == "138****8000"
    assert pii.mask_id_number(None) == ""


def test_scrub_masks_ids_and_phones_but_not_other_numbers() -> None:
    line = f"registered {ID} phone 13800138000 order 2012083100001234567890 code 440106"
    out = scrub(line)
    assert ID not in out and "13800138000" not in out
    assert "110105************" in out and "138****8000" in out
    assert "2012083100001234567890" in out and "440106" in out


def test_log_records_never_carry_full_id_numbers(caplog: pytest.LogCaptureFixture) -> None:
    install_log_filter()
    with caplog.at_level(logging.INFO):
        logging.getLogger("matchsvc.test").info("looking up %s / %s", ID, "13912345678")
    assert ID not in caplog.text and "13912345678" not in caplog.text
    assert "110105************" in caplog.text
