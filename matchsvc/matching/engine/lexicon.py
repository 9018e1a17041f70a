"""The skills/occupations vocabulary (`data/skills_lexicon.txt`) and text → bitmask.

A graduate's skills, certificates and wished work, and a position's title and description, are each
reduced to the set of lexicon terms they name; the matcher compares those sets as bitmasks, so a
skills comparison is a few machine-word ANDs instead of a text search.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np

from ...paths import DATA_DIR


class Lexicon:
    def __init__(self, terms: list[str], synonyms: dict[str, int]) -> None:
        self.terms = terms
        self.words = max(1, (len(terms) + 63) // 64)
        ordered = sorted(synonyms, key=len, reverse=True)
        parts = []
        for s in ordered:
            escaped = re.escape(s)
            parts.append(f"(?<![A-Za-z]){escaped}(?![A-Za-z])" if s.isascii() else escaped)
        self._pattern = re.compile("|".join(parts), re.IGNORECASE)
        self._index = {s.lower(): i for s, i in synonyms.items()}
        # Texts repeat (the same post in several cities, a title with no description, a rebuilt
        # index reading the same posts again): each is searched once.
        self.terms_in = lru_cache(maxsize=1 << 17)(self._terms_in)

    def _terms_in(self, text: str | None) -> tuple[int, ...]:
        """The lexicon numbers a text names, sorted."""
        if not text:
            return ()
        found = {self._index[m.group(0).lower()] for m in self._pattern.finditer(text)}
        return tuple(sorted(found))

    def mask(self, text: str | None) -> np.ndarray:
        out = np.zeros(self.words, dtype=np.uint64)
        for i in self.terms_in(text):
            out[i // 64] |= np.uint64(1) << np.uint64(i % 64)
        return out

    def names(self, mask: np.ndarray) -> list[str]:
        """The terms of a mask, in lexicon order (walking its set bits only)."""
        out = []
        for w, word in enumerate(mask.tolist()):
            while word:
                low = word & -word
                out.append(self.terms[w * 64 + low.bit_length() - 1])
                word ^= low
        return out


@cache
def lexicon() -> Lexicon:
    terms: list[str] = []
    synonyms: dict[str, int] = {}
    for raw in (DATA_DIR / "skills_lexicon.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, _, rest = line.partition("=")
        index = len(terms)
        terms.append(term)
        for spelling in [term, *(s for s in rest.split("|") if s)]:
            synonyms.setdefault(spelling, index)
    return Lexicon(terms, synonyms)
