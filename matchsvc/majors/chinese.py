"""Chinese text as people write it: traditional characters (OpenCC, with Taiwan's and Hong Kong's
terms: 軟體 → 软件), and readings for catching homophone typos (pypinyin: 会记学 sounds like 会计学)."""

from __future__ import annotations

from functools import cache, lru_cache

import opencc
from pypinyin import Style, pinyin


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def simplified(text: str) -> str:
    """The text in simplified characters and mainland terms (unchanged if it already is)."""
    return _converter().convert(text) if text else text


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (会: hui, kuai); the character itself if none."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return frozenset(found)


def sounds_alike(a: str, b: str) -> float:
    """0–100 for two spellings of the same length: each position counts 1 when the characters are
    the same and 0.9 when they can be read alike (a homophone typo); other lengths score 0."""
    if not a or len(a) != len(b):
        return 0.0
    score = 0.0
    for x, y in zip(a, b, strict=True):
        if x == y:
            score += 1.0
        elif readings(x) & readings(y):
            score += 0.9
    return 100 * score / len(a)
