"""Personal data at rest: encryption, keyed look-up hashes and masking of ID numbers and phones.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`); a keyed
HMAC-SHA256 of the normalised value serves look-up and national uniqueness. Both keys are derived
from MATCHSVC_DATA_KEY with HKDF, so one secret is configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(secret: str, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose from a configured secret (HKDF-SHA256)."""
    return _derive(secret, purpose)


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"matchsvc", info=purpose).derive(
        secret.encode()
    )


@dataclass(frozen=True)
class Sealed:
    """What is stored for one personal value."""

    ciphertext: str
    digest: str
    #: Keyed hash of the last four characters (search), never the characters themselves.
    last4_digest: str


class Keyring:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("MATCHSVC_DATA_KEY 太短（至少16个字符）")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"pii-encryption")))
        self._mac_key = _derive(secret, b"pii-lookup")

    def digest(self, value: str) -> str:
        return hmac.new(self._mac_key, value.encode(), hashlib.sha256).hexdigest()

    def seal(self, value: str) -> Sealed:
        token = self._fernet.encrypt(value.encode()).decode()
        return Sealed(token, self.digest(value), self.last4_digest(value[-4:]))

    def last4_digest(self, last4: str) -> str:
        """The keyed hash search compares for "the last four characters" of an ID number."""
        return self.digest(f"last4:{last4.upper()}")

    def open(self, ciphertext: str) -> str:
        return self._fernet.decrypt(ciphertext.encode()).decode()

    def encrypt(self, data: bytes) -> bytes:
        """A whole file (an uploaded sheet) as ciphertext."""
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)


_keyring: Keyring | None = None


def configure(secret: str) -> Keyring:
    """Install the process-wide keyring (done by create_app and the CLI)."""
    global _keyring
    _keyring = Keyring(secret)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("personal-data keyring not configured")
    return _keyring


def mask_id_number(value: str | None) -> str:
    """110101************: the region code only.

    Whoever sees a masked number also sees the graduate's age (so the birth year, give or take
    one) and sex; region + birth year + sex leave about 365 × 500 = 182,500 numbers, but adding
    the last four (the sequence number's end and the check digit) leaves ~33, and even the last
    two ~3,300 — under the 10⁴ no masked number may leave. So nothing after the region is shown."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 6)


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
