"""Every graduate's top N at once: the nightly job and the benchmark's full recompute.

The compiled kernel runs the graduates on numba's threads (`workers` of them); the numpy path
(`path="numpy"`, or where numba cannot load) splits them across processes (fork: the position
index is shared, not copied). Either way the result is two compact arrays, never a graduates ×
positions matrix.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import kernel
from .index import PositionIndex
from .numpy_search import batch_top_numpy
from .score import GraduateArrays

_shared: dict[str, Any] = {}


def _adopt(shared: dict[str, Any]) -> None:
    """A pool worker's start: the index and graduates it scores."""
    _shared.update(shared)


def _work(bounds: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray]:
    index: PositionIndex = _shared["index"]
    grads: GraduateArrays = _shared["grads"]
    limit: int = _shared["limit"]
    lo, hi = bounds
    ids = np.full((hi - lo, limit), -1, dtype=np.int64)
    fits = np.zeros((hi - lo, limit), dtype=np.float32)
    for k, (idx, fit) in enumerate(batch_top_numpy(index, grads, np.arange(lo, hi), limit)):
        ids[k, : len(idx)] = index.posts.ids[idx]
        fits[k, : len(fit)] = fit
    return lo, ids, fits


def top_all(
    index: PositionIndex,
    grads: GraduateArrays,
    limit: int,
    workers: int | None = None,
    path: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(position ids, fits), each graduates × limit, -1 / 0 padded."""
    n = len(grads.ids)
    if len(index) == 0:  # no open posts: nothing to recommend
        return np.full((n, limit), -1, dtype=np.int64), np.zeros((n, limit), dtype=np.float32)
    workers = workers or (os.cpu_count() or 1)
    code = None if path == "numpy" else kernel.compiled()
    if code is not None:
        with code.thread_count(workers):
            idx, fits, _ = kernel.search(
                code, index, grads, np.arange(n), limit, np.ones(len(index), dtype=bool)
            )
        ids = np.where(idx >= 0, index.posts.ids[np.maximum(idx, 0)], -1).astype(np.int64)
        return ids, fits
    _shared.update(index=index, grads=grads, limit=limit)
    try:
        if workers <= 1 or n < 2000:
            _, ids, fits = _work((0, n))
            return ids, fits
        step = max(1, -(-n // (workers * 8)))
        chunks: Sequence[tuple[int, int]] = [(i, min(n, i + step)) for i in range(0, n, step)]
        ids = np.full((n, limit), -1, dtype=np.int64)
        fits = np.zeros((n, limit), dtype=np.float32)
        # Spawned, not forked: a fork after numba's OpenMP threads have started terminates
        # the child, and this process may have run the compiled kernels before.
        ctx = mp.get_context("spawn")
        with ctx.Pool(workers, initializer=_adopt, initargs=(_shared.copy(),)) as pool:
            for lo, part_ids, part_fits in pool.imap_unordered(_work, chunks):
                ids[lo : lo + len(part_ids)] = part_ids
                fits[lo : lo + len(part_fits)] = part_fits
        return ids, fits
    finally:
        _shared.clear()
