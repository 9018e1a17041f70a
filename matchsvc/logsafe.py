"""Keep personal data out of log lines: ID numbers and phone numbers are masked in every record."""

from __future__ import annotations

import logging
import re
from typing import Any

from .pii import mask_id_number, mask_phone

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


_installed = False


def install_log_filter() -> None:
    """Wrap the log record factory once, so every logger in the process is covered."""
    global _installed
    if _installed:
        return
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for logging to report
            return record
        record.msg, record.args = scrub(message), None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
