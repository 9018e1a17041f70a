"""Pinyin keys of Chinese names, so officers can search `zhangsan` or `zs` (pypinyin)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

#: Surnames read differently from the character's common reading.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "盖": "ge",
    "乐": "yue",
    "尉": "yu",
    "洗": "xian",
    "冼": "xian",
    "燕": "yan",
    "任": "ren",
    "纪": "ji",
    "万俟": "moqi",
    "尉迟": "yuchi",
}


def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin without spaces ("zhangsan") and initials ("zs"), lower case."""
    name = name.strip()
    syllables: list[str] = []
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname):
            reading = SURNAME_READINGS[surname]
            syllables = [reading] if len(surname) == 1 else [reading[:2], reading[2:]]
            name = name[len(surname) :]
            break
    for chunk in lazy_pinyin(name, style=Style.NORMAL, errors="default"):
        # Latin names pass through as written; anything else is dropped.
        syllables += [
            "".join(c for c in word if c.isascii() and c.isalpha())
            for word in chunk.lower().split()
        ]
    syllables = [s for s in syllables if s]
    return "".join(syllables)[:200], "".join(s[0] for s in syllables)[:50]
