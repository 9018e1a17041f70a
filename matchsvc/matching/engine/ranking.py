"""A list in rank order: the chosen positions scored for one graduate, the priority rules
applied (本企业子女 lifted at the priority floor, 公益性岗位 conditions, 应届), and which lifted
items outrank a higher fit — what `results.py` turns into reasons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .policy import (
    PRIORITY_MIN_FIT,
)
from .profiles import KINDS
from .score import GraduateArrays, PositionArrays, Scores, score_pairs

KIND_PUBLIC = KINDS.index("public_welfare")


@dataclass
class Ranked:
    """Position indices in rank order with their fit, components and rules."""

    index: np.ndarray
    fit: np.ndarray
    scores: Scores
    rules: list[tuple[str, ...]]
    lifted: np.ndarray
    outranks: np.ndarray


def rank(
    posts: PositionArrays, grads: GraduateArrays, g: int, idx: np.ndarray, limit: int
) -> Ranked:
    """Score the given positions for the graduate and keep the best `limit`, in rank order:
    lifted items (本企业子女 at the priority floor) first, then fit, then the lower id."""
    sc = score_pairs(grads, np.full(len(idx), g), posts, idx)
    keep = sc.eligible
    idx, sc = idx[keep], sc.subset(keep)
    same = posts.employer[idx] == grads.parent_employer[g]
    lifted = same & (sc.fit >= PRIORITY_MIN_FIT)
    order = np.lexsort((posts.ids[idx], -sc.fit, ~lifted))
    best = order[:limit]
    rules: list[tuple[str, ...]] = []
    for k in best:
        applied: list[str] = []
        if posts.kind[idx[k]] == KIND_PUBLIC:
            applied.append("public_welfare_conditions")
        if same[k]:
            applied.append("same_enterprise")
        if grads.fresh[g] and posts.kind[idx[k]] != KIND_PUBLIC:
            applied.append("fresh_graduate")
        rules.append(tuple(applied))
    return Ranked(
        index=idx[best],
        fit=sc.fit[best],
        scores=sc.subset(best),
        rules=rules,
        lifted=lifted[best],
        outranks=outranking(lifted[best], sc.fit[best]),
    )


def outranking(lifted: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """For items in rank order: lifted by a rule above an item of the list with a higher fit
    (only then does the reason say it was put first because of the rule)."""
    out = np.zeros(len(fit), dtype=bool)
    best_below = -1.0
    for k in range(len(fit) - 1, -1, -1):
        out[k] = bool(lifted[k]) and fit[k] < best_below
        if not lifted[k]:
            best_below = max(best_below, float(fit[k]))
    return out
