"""The skills/occupations vocabulary (`data/skills_lexicon.txt`) and text → bitmask.

A graduate's skills, certificates and wished work, and a position's title and description, are each
reduced to the set of lexicon terms they name; the matcher compares those sets as bitmasks, so a
skills comparison is a few machine-word ANDs instead of a text search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import numpy as np

from ...paths import DATA_DIR

_WORD = (1 << 64) - 1


def trie_pattern(spellings: Iterable[str]) -> str:
    """One regular expression for all the spellings, factored by their common prefixes (a
    trie): at each place in a text the engine follows one branch per character instead of
    trying every spelling in turn. At each place it takes the longest spelling that matches.
    An all-ASCII spelling counts only as a whole word (no Latin letter just before or after
    it: "C" is not found in "CAD"); the check before it is a lookbehind of its own length
    taken at its end."""
    trie: dict[str, Any] = {}
    for spelling in spellings:
        node = trie
        for ch in spelling:
            node = node.setdefault(ch, {})
        node[""] = spelling

    def emit(node: dict[str, Any]) -> str:
        alternatives = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        end = node.get("")
        if end is not None:  # the spelling ending here, tried after every longer one
            ascii_word = f"(?<![A-Za-z][\\s\\S]{{{len(end)}}})(?![A-Za-z])"
            alternatives.append(ascii_word if end.isascii() else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return emit(trie)


class Lexicon:
    def __init__(self, terms: list[str], synonyms: dict[str, int]) -> None:
        self.terms = terms
        self.words = max(1, (len(terms) + 63) // 64)
        self._index = {s.lower(): i for s, i in synonyms.items()}
        self._pattern = re.compile(trie_pattern(self._index), re.IGNORECASE)
        # Texts repeat (the same post in several cities, a title with no description, a rebuilt
        # index reading the same posts again): each is searched once.
        self.terms_in = lru_cache(maxsize=1 << 17)(self._terms_in)
        self._masks = lru_cache(maxsize=1 << 14)(self._mask_of)

    def _terms_in(self, text: str | None) -> tuple[int, ...]:
        """The lexicon numbers a text names, sorted."""
        if not text:
            return ()
        found = {self._index[m.group(0).lower()] for m in self._pattern.finditer(text)}
        return tuple(sorted(found))

    def mask(self, text: str | None) -> np.ndarray:
        """The text's terms as a bitmask (read-only: texts naming the same terms share one)."""
        return self._masks(self.terms_in(text))

    def _mask_of(self, found: tuple[int, ...]) -> np.ndarray:
        value = 0
        for i in found:
            value |= 1 << i
        out = np.array([(value >> (64 * w)) & _WORD for w in range(self.words)], dtype=np.uint64)
        out.setflags(write=False)
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
