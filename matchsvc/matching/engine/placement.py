"""A placement plan: graduate-proposing deferred acceptance with headcounts, over arrays.

Each graduate proposes down their own ranked list (their recommendations within the org's reach,
at most `PLACEMENT_LIST` long, from the compiled search); each position holds the best applicants
up to its headcount by its own ranking — 本企业子女, then 应届, each at the priority floor or above,
then fit, then the lower id (deterministic) — and lets the rest go, who propose to their next
choice. The result never exceeds a headcount and is stable: no graduate and position both prefer
each other to what they got. Every graduate left without a line is told why.

The lists and the position's ranking keys are two graduates × choices arrays; acceptance runs
over them (compiled where numba loads, else the same loop in Python) with a min-heap per position
— no bookkeeping per proposal. The result is unique (the graduate-optimal stable matching), so
it does not depend on the order proposals are made in. Components and reasons are computed
afterwards, for the lines only.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import kernel
from .index import PositionIndex
from .policy import PLACEMENT_LIST, PRIORITY_MIN_FIT
from .profiles import KINDS
from .results import explain
from .score import GraduateArrays, score_pairs
from .search import ranked_lists

NO_OPTIONS = "管辖范围内没有符合其学历、地区、专业和公益性岗位条件的空缺岗位"
ALL_TAKEN = "可选的 {n} 个岗位均已由优先级或匹配度更高的毕业生占满"
KIND_PUBLIC = KINDS.index("public_welfare")
#: A priority key packs (本企业子女 lifted, 应届 lifted, fit × 10, −id) into one int64.
_ID_BITS = 31
_FIT_SPAN = 1024


@dataclass
class PlanLine:
    graduate_id: int
    position_id: int
    fit: float
    choice: int  # 1 = the graduate's first choice
    rules: list[str]
    reason: str
    #: The fit's parts (专业, 学历, 地区, 技能, 意愿), as a recommendation carries them.
    components: dict[str, float] = field(default_factory=dict)


@dataclass
class Unplaced:
    graduate_id: int
    reason: str


def priority_key(
    same: bool, fresh: bool, fit: float, graduate_id: int
) -> tuple[int, int, float, int]:
    lifted = fit >= PRIORITY_MIN_FIT
    return (int(same and lifted), int(fresh and lifted), round(fit, 1), -graduate_id)


def _unpack(key: int) -> tuple[int, int, float, int]:
    rank, low = divmod(int(key), 1 << _ID_BITS)
    rules, fit10 = divmod(rank, _FIT_SPAN)
    return (rules >> 1, rules & 1, fit10 / 10, -((1 << _ID_BITS) - 1 - low))


class _Priorities(Mapping[tuple[int, int], tuple[int, int, float, int]]):
    """(graduate id, position id) → the position's priority key, read from the plan's arrays."""

    def __init__(self, plan: Plan) -> None:
        self._plan = plan

    @cached_property
    def _where(self) -> dict[tuple[int, int], int]:
        plan = self._plan
        rows, cols = np.nonzero(plan.pref_ids >= 0)
        return {
            (int(plan.graduate_ids[r]), int(plan.pref_ids[r, c])): int(plan.keys[r, c])
            for r, c in zip(rows, cols, strict=True)
        }

    def __getitem__(self, pair: tuple[int, int]) -> tuple[int, int, float, int]:
        return _unpack(self._where[pair])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@dataclass
class Plan:
    lines: list[PlanLine] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    #: position id → (headcount left before the plan, lines given)
    capacity: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: position id → seats held by referrals and applications waiting for a result (not offered)
    held: dict[int, int] = field(default_factory=dict)
    #: Graduates waiting for a result of a referral or application: not planned meanwhile.
    waiting: list[Unplaced] = field(default_factory=list)
    #: The members' ids and, per member, the ids of the positions they rank (-1 padded) and
    #: each position's priority key for them.
    graduate_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pref_ids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    @property
    def preferences(self) -> dict[int, list[int]]:
        """graduate id → their ranked position ids (for review and the property tests)."""
        return {
            int(gid): [int(p) for p in row if p >= 0]
            for gid, row in zip(self.graduate_ids, self.pref_ids, strict=True)
        }

    @cached_property
    def priority(self) -> Mapping[tuple[int, int], tuple[int, int, float, int]]:
        """(graduate id, position id) → the position's priority key (higher is better)."""
        return _Priorities(self)


def priority_keys(
    grads: GraduateArrays,
    index: PositionIndex,
    members: np.ndarray,
    idx: np.ndarray,
    fit: np.ndarray,
) -> np.ndarray:
    """Each (member, choice)'s key as `priority_key` orders them, packed in one int64."""
    posts = index.posts
    safe = np.maximum(idx, 0)
    lifted = fit >= PRIORITY_MIN_FIT
    same = (grads.parent_employer[members][:, None] == posts.employer[safe]) & lifted
    fresh = grads.fresh[members][:, None] & (posts.kind[safe] != KIND_PUBLIC) & lifted
    fit10 = np.rint(fit.astype(np.float64) * 10).astype(np.int64)
    rank = (same.astype(np.int64) * 2 + fresh.astype(np.int64)) * _FIT_SPAN + fit10
    low = (1 << _ID_BITS) - 1 - grads.ids[members][:, None]
    return np.where(idx >= 0, (rank << _ID_BITS) + low, -1)


def accept_python(prefs: np.ndarray, keys: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Deferred acceptance: each member's accepted choice (column), -1 if none. The same loop as
    the compiled `kernel_code.accept`, for where numba does not load."""
    held: dict[int, list[tuple[int, int]]] = {}
    nxt = np.zeros(len(prefs), dtype=np.int64)
    free = [g for g in range(len(prefs) - 1, -1, -1) if len(prefs[g]) and prefs[g, 0] >= 0]
    width = prefs.shape[1]
    while free:
        g = free.pop()
        while nxt[g] < width and prefs[g, nxt[g]] >= 0:
            p, key = int(prefs[g, nxt[g]]), int(keys[g, nxt[g]])
            nxt[g] += 1
            cap = int(capacity[p])
            if cap <= 0:
                continue
            heap = held.setdefault(p, [])
            if len(heap) < cap:
                heapq.heappush(heap, (key, g))
                break
            if key > heap[0][0]:
                _, loser = heapq.heapreplace(heap, (key, g))
                free.append(loser)
                break
    choice = np.full(len(prefs), -1, dtype=np.int64)
    for heap in held.values():
        for _, g in heap:
            choice[g] = nxt[g] - 1
    return choice


def deferred_acceptance(
    grads: GraduateArrays,
    index: PositionIndex,
    within: np.ndarray,
    capacity: dict[int, int],
    list_length: int = PLACEMENT_LIST,
    path: str | None = None,
) -> Plan:
    posts = index.posts
    members = np.nonzero(grads.unemployed)[0].astype(np.int64)
    if len(posts.ids) == 0:  # no open posts in reach: nobody can be placed
        return Plan(
            unplaced=[Unplaced(int(grads.ids[g]), NO_OPTIONS) for g in members],
            graduate_ids=grads.ids[members],
            pref_ids=np.zeros((len(members), 0), dtype=np.int64),
            keys=np.zeros((len(members), 0), dtype=np.int64),
        )
    idx, fit, _ = ranked_lists(index, grads, members, list_length, within=within, path=path)
    keys = priority_keys(grads, index, members, idx, fit)
    caps = np.array([capacity.get(int(pid), 0) for pid in posts.ids], dtype=np.int64)
    code = None if path == "numpy" else kernel.compiled()
    prefs = idx.astype(np.int64)
    choice = (
        code.accept(prefs, keys, caps) if code is not None else accept_python(prefs, keys, caps)
    )
    plan = Plan(
        graduate_ids=grads.ids[members],
        pref_ids=np.where(idx >= 0, posts.ids[np.maximum(idx, 0)], -1).astype(np.int64),
        keys=keys,
    )
    rows = np.nonzero(choice >= 0)[0]
    taken = idx[rows, choice[rows]].astype(np.intp)
    given = np.bincount(taken, minlength=len(posts.ids))
    for p in np.nonzero(given)[0]:
        pid = int(posts.ids[p])
        plan.capacity[pid] = (capacity.get(pid, 0), int(given[p]))
    plan.lines = _lines(grads, index, members[rows], taken, fit[rows, choice[rows]], choice[rows])
    counts = (idx >= 0).sum(axis=1)
    for r in np.nonzero(choice < 0)[0]:
        n = int(counts[r])
        text = NO_OPTIONS if n == 0 else ALL_TAKEN.format(n=n)
        plan.unplaced.append(Unplaced(int(grads.ids[members[r]]), text))
    plan.lines.sort(key=lambda line: (line.position_id, -line.fit, line.graduate_id))
    return plan


def _round3(values: np.ndarray) -> np.ndarray:
    """round(v, 3) of each value, as Python rounds it (a component takes few distinct values)."""
    distinct, where = np.unique(values.astype(np.float64), return_inverse=True)
    return np.array([round(float(v), 3) for v in distinct])[where]


def _lines(
    grads: GraduateArrays,
    index: PositionIndex,
    gi: np.ndarray,
    pi: np.ndarray,
    fit: np.ndarray,
    choice: np.ndarray,
) -> list[PlanLine]:
    """The accepted pairs with their rules, components and reasons (scored once, together)."""
    posts = index.posts
    scores = score_pairs(grads, gi, posts, pi)
    names = list(scores.components)
    values = np.stack([_round3(scores.components[c]) for c in names], axis=1).tolist()
    public = (posts.kind[pi] == KIND_PUBLIC).tolist()
    same = (grads.parent_employer[gi] == posts.employer[pi]).tolist()
    fresh = grads.fresh[gi].tolist()
    gids, pids = grads.ids[gi].tolist(), posts.ids[pi].tolist()
    lines = []
    for k, (g, p, value, c) in enumerate(
        zip(gi.tolist(), pi.tolist(), fit.astype(np.float64).tolist(), choice.tolist(), strict=True)
    ):
        rules = []
        if public[k]:
            rules.append("public_welfare_conditions")
        if same[k]:
            rules.append("same_enterprise")
        if fresh[k] and not public[k]:
            rules.append("fresh_graduate")
        comps = dict(zip(names, values[k], strict=True))
        words = explain(
            posts, grads, g, p, value, comps, tuple(rules), lifted=value >= PRIORITY_MIN_FIT
        )
        lines.append(
            PlanLine(
                graduate_id=gids[k],
                position_id=pids[k],
                fit=round(value, 1),
                choice=c + 1,
                rules=rules,
                reason=f"{words}本人第 {c + 1} 志愿。",
                components=comps,
            )
        )
    return lines
