"""The lexicon's one regular expression (a trie of its spellings) finds exactly what trying every
spelling in turn, longest first, finds: the same terms in any text, ASCII spellings only as whole
words."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from matchsvc.matching.engine.lexicon import Lexicon, lexicon, trie_pattern

WORDS = lexicon()
SPELLINGS = sorted(WORDS._index)


def _plain_pattern() -> re.Pattern[str]:
    """The reference: every spelling as its own alternative, the longest first."""
    parts = []
    for s in sorted(SPELLINGS, key=len, reverse=True):
        e = re.escape(s)
        parts.append(f"(?<![A-Za-z]){e}(?![A-Za-z])" if s.isascii() else e)
    return re.compile("|".join(parts), re.IGNORECASE)


PLAIN = _plain_pattern()


def _plain(text: str) -> tuple[int, ...]:
    return tuple(sorted({WORDS._index[m.group(0).lower()] for m in PLAIN.finditer(text)}))


pieces = st.one_of(
    st.sampled_from(SPELLINGS),
    st.sampled_from([s.upper() for s in SPELLINGS if s.isascii()] or ["X"]),
    st.text(alphabet="abcxyzABC 、，（）0123456789岗位技术员开发工程", max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=8))
def test_the_trie_finds_what_every_spelling_in_turn_finds(parts: list[str]) -> None:
    text = "".join(parts)
    assert WORDS._terms_in(text) == _plain(text)


def test_ascii_spellings_count_only_as_whole_words() -> None:
    small = Lexicon(["C", "CAD", "C语言", "数据"], {"C": 0, "CAD": 1, "C语言": 2, "数据": 3})
    assert small._terms_in("会用CAD和C") == (0, 1)
    assert small._terms_in("ABC CADX 数据") == (3,)  # C inside ABC, CAD inside CADX: not words
    assert small._terms_in("精通C语言") == (2,)  # the longest spelling at a place wins
    assert re.fullmatch(trie_pattern(["ab", "ac"]), "ac")


def test_a_mask_is_shared_and_read_only() -> None:
    a, b = WORDS.mask(SPELLINGS[0]), WORDS.mask(f"{SPELLINGS[0]} {SPELLINGS[0]}")
    assert a is b and not a.flags.writeable
    assert WORDS.names(a) == [WORDS.terms[WORDS._index[SPELLINGS[0]]]]
