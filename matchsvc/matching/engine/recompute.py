"""Every graduate's top N at once: the nightly job and the benchmark's full recompute.

The work is split across processes (fork: the position index is shared, not copied), each taking
a slice of the graduates; the result is two compact arrays, never a graduates × positions matrix.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from .index import PositionIndex
from .score import GraduateArrays
from .search import batch_top

_shared: dict[str, Any] = {}


def _work(bounds: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray]:
    index: PositionIndex = _shared["index"]
    grads: GraduateArrays = _shared["grads"]
    limit: int = _shared["limit"]
    lo, hi = bounds
    ids = np.full((hi - lo, limit), -1, dtype=np.int64)
    fits = np.zeros((hi - lo, limit), dtype=np.float32)
    for k, (idx, fit) in enumerate(batch_top(index, grads, np.arange(lo, hi), limit)):
        ids[k, : len(idx)] = index.posts.ids[idx]
        fits[k, : len(fit)] = fit
    return lo, ids, fits


def top_all(
    index: PositionIndex, grads: GraduateArrays, limit: int, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(position ids, fits), each graduates × limit, -1 / 0 padded."""
    n = len(grads.ids)
    workers = workers or (os.cpu_count() or 1)
    _shared.update(index=index, grads=grads, limit=limit)
    try:
        if workers <= 1 or n < 2000 or "fork" not in mp.get_all_start_methods():
            _, ids, fits = _work((0, n))
            return ids, fits
        step = max(1, -(-n // (workers * 8)))
        chunks: Sequence[tuple[int, int]] = [(i, min(n, i + step)) for i in range(0, n, step)]
        ids = np.full((n, limit), -1, dtype=np.int64)
        fits = np.zeros((n, limit), dtype=np.float32)
        with mp.get_context("fork").Pool(workers) as pool:
            for lo, part_ids, part_fits in pool.imap_unordered(_work, chunks):
                ids[lo : lo + len(part_ids)] = part_ids
                fits[lo : lo + len(part_fits)] = part_fits
        return ids, fits
    finally:
        _shared.clear()
