"""Text as officers type it: lists separated by 、 , ; or spaces (forms and spreadsheets alike)."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_list(text: str | None) -> list[str]:
    """Split 'a、b, c' into items (the separators officers actually type)."""
    return [part for part in _SEPARATORS.split(text or "") if part]
