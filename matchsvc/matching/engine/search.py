"""A graduate's exact top N positions, found without scoring every position in the country.

`ranked_lists` (and `top`, `batch_top` on it) runs the compiled kernel of `kernel.py`, or the numpy
path of `numpy_search.py` — the reference and fallback; both give the same rankings.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from . import kernel
from .index import PositionIndex
from .numpy_search import batch_top_numpy
from .profiles import KINDS
from .ranking import Ranked, rank
from .score import GraduateArrays


def top(
    index: PositionIndex,
    grads: GraduateArrays,
    g: int,
    limit: int,
    kinds: Iterable[str] = KINDS,
    exclude: Iterable[int] = (),
    within: np.ndarray | None = None,
    path: str | None = None,
) -> Ranked:
    """The same ranking as `top_for_graduate`, found by the compiled search (or the batch
    path), with the components and rules of each line computed for those only."""
    allowed = index.allowed(kinds, exclude, within)
    idx, _, n = ranked_lists(index, grads, np.array([g]), limit, within=allowed, path=path)
    return rank(index.posts, grads, g, idx[0, : n[0]].astype(np.intp), limit)


def ranked_lists(
    index: PositionIndex,
    grads: GraduateArrays,
    members: np.ndarray,
    limit: int,
    within: np.ndarray | None = None,
    path: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each member's top `limit` as arrays: (position index numbers, fits), members × limit,
    -1 / 0 padded, and how many each has. The compiled kernel when it loads (`kernel.py`), else
    — or with path="numpy" — `batch_top_numpy`; both give the same rankings."""
    members = np.asarray(members, dtype=np.int64)
    code = None if path == "numpy" else kernel.compiled()
    if code is not None:
        allowed = np.ones(len(index.posts.ids), dtype=bool) if within is None else within
        return kernel.search(code, index, grads, members, limit, allowed, parallel=len(members) > 1)
    idx = np.full((len(members), limit), -1, dtype=np.int32)
    fit = np.zeros((len(members), limit), dtype=np.float32)
    n = np.zeros(len(members), dtype=np.int32)
    for k, (i, f) in enumerate(batch_top_numpy(index, grads, members, limit, within=within)):
        idx[k, : len(i)], fit[k, : len(f)], n[k] = i, f, len(i)
    return idx, fit, n


def batch_top(
    index: PositionIndex,
    grads: GraduateArrays,
    members: np.ndarray,
    limit: int,
    within: np.ndarray | None = None,
    path: str | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """`ranked_lists` as one (position index numbers, fits) pair per member."""
    idx, fit, n = ranked_lists(index, grads, members, limit, within=within, path=path)
    return [(idx[k, : n[k]].astype(np.intp), fit[k, : n[k]]) for k in range(len(members))]
