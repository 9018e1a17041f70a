"""The open positions as arrays, with inverted lists by required major tier and province.

For each catalogue level, a position is listed under every 专业类 (tier 0), 门类/大类 (tier 1) and
major (tier 2) it requires, per province and nationwide; positions with no 专业要求 are tier 3, and
those of them whose title points to a 专业类 or major also tiers 4 and 5.
The search walks these lists in order of their fit's upper bound.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .profiles import KINDS, PositionProfile
from .score import PositionArrays
from .tables import tables

#: A list's key: (tier, level, key within the tier, province or -1 for the whole country).
ListKey = tuple[int, int, int, int]
EMPTY = np.zeros(0, dtype=np.intp)


class PositionIndex:
    def __init__(self, positions: list[PositionProfile]) -> None:
        self.posts = posts = PositionArrays.build(positions)
        self.position_of = {p.id: i for i, p in enumerate(positions)}
        n = len(positions)
        lookup = tables()
        none = len(lookup.entries)
        prov = posts.region[:, 0].astype(np.int64)
        self.lists: dict[ListKey, np.ndarray] = {}
        for lvl in range(posts.slots.shape[1]):
            slots = posts.slots[:, lvl, :]
            rows, cols = np.nonzero(slots != none)
            entries = slots[rows, cols].astype(np.int64)
            for tier, keys in (
                (0, lookup.entry_class[entries]),
                (1, lookup.entry_group[entries]),
                (2, entries),
            ):
                for (k, pv), arr in group_pairs(keys.astype(np.int64), prov[rows], rows).items():
                    self.lists[(tier, lvl, k, pv)] = arr
                for k, arr in group(keys.astype(np.int64), rows).items():
                    self.lists[(tier, lvl, k, -1)] = arr
        unrestricted = np.nonzero(~posts.requires)[0]
        for pv, arr in group(prov[unrestricted], unrestricted).items():
            self.lists[(3, 0, 0, pv)] = arr
        self.lists[(3, 0, 0, -1)] = unrestricted
        # posts naming no major, by what their title points to: tier 4 an inferred 专业类 (its
        # canonical class), tier 5 an inferred major (its canonical entry); they stay in tier 3
        for lvl in range(posts.inferred.shape[1]):
            slots = posts.inferred[:, lvl, :]
            rows, cols = np.nonzero(slots != none)
            entries = slots[rows, cols].astype(np.int64)
            classes = lookup.entry_is_class[entries]
            for tier, sel, keys in (
                (4, classes, lookup.entry_class[entries]),
                (5, ~classes, lookup.entry_canon[entries]),
            ):
                k, r = keys[sel].astype(np.int64), rows[sel]
                for (key, pv), arr in group_pairs(k, prov[r], r).items():
                    self.lists[(tier, lvl, key, pv)] = arr
                for key, arr in group(k, r).items():
                    self.lists[(tier, lvl, key, -1)] = arr
        self.by_employer = group(posts.employer, np.arange(n))
        places, place_of = np.unique(posts.region.reshape(-1, 2), axis=0, return_inverse=True)
        self.places = places.reshape(-1, 2)
        self.place_of = place_of.reshape(-1)
        self.places_by_province = group(
            self.places[:, 0].astype(np.int64), np.arange(len(self.places))
        )
        self._kind_masks: dict[frozenset[str], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.position_of)

    def kind_mask(self, kinds: Iterable[str]) -> np.ndarray:
        key = frozenset(kinds)
        if key not in self._kind_masks:
            self._kind_masks[key] = np.isin(self.posts.kind, [KINDS.index(k) for k in key])
        return self._kind_masks[key]

    def allowed(
        self, kinds: Iterable[str], exclude: Iterable[int], within: np.ndarray | None
    ) -> np.ndarray:
        """Positions of these kinds, inside `within`, without the excluded ids."""
        allowed = self.kind_mask(kinds)
        if within is not None:
            allowed = allowed & within
        excluded = [self.position_of[i] for i in exclude if i in self.position_of]
        if excluded:
            allowed = allowed.copy()
            allowed[excluded] = False
        return allowed


def group(keys: np.ndarray, values: np.ndarray) -> dict[int, np.ndarray]:
    """key → the sorted distinct values that have it."""
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    uniq, starts = np.unique(keys, return_index=True)
    ends = [*starts[1:], len(keys)]
    return {int(k): np.unique(values[s:e]) for k, s, e in zip(uniq, starts, ends, strict=True)}


def group_pairs(
    a: np.ndarray, b: np.ndarray, values: np.ndarray
) -> dict[tuple[int, int], np.ndarray]:
    """(a, b) → the sorted distinct values that have both (b below 1000: a province)."""
    combined = a * 1000 + b
    return {(int(k // 1000), int(k % 1000)): v for k, v in group(combined, values).items()}
