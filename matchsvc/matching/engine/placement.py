"""A placement plan: graduate-proposing deferred acceptance with headcounts.

Each graduate proposes down their own ranked list (their recommendations within the org's reach,
at most `PLACEMENT_LIST` long); each position holds the best applicants up to its headcount by its
own ranking — 本企业子女, then 应届, each at the priority floor or above, then fit, then the lower
id (deterministic) — and lets the rest go, who propose to their next choice. The result never
exceeds a headcount and is stable: no graduate and position both prefer each other to what they
got. Every graduate left without a line is told why.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .index import PositionIndex
from .policy import PLACEMENT_LIST, PRIORITY_MIN_FIT
from .results import explain, pair_components
from .score import GraduateArrays
from .search import batch_top

NO_OPTIONS = "管辖范围内没有符合其学历、地区、专业和公益性岗位条件的空缺岗位"
ALL_TAKEN = "可选的 {n} 个岗位均已由优先级或匹配度更高的毕业生占满"


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


@dataclass
class Plan:
    lines: list[PlanLine] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    #: position id → (headcount left before the plan, lines given)
    capacity: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: graduate id → their ranked position ids (for review and for the property tests)
    preferences: dict[int, list[int]] = field(default_factory=dict)
    #: (graduate id, position id) → the position's priority key (higher is better)
    priority: dict[tuple[int, int], tuple[int, int, float, int]] = field(default_factory=dict)


def priority_key(
    same: bool, fresh: bool, fit: float, graduate_id: int
) -> tuple[int, int, float, int]:
    lifted = fit >= PRIORITY_MIN_FIT
    return (int(same and lifted), int(fresh and lifted), round(fit, 1), -graduate_id)


def deferred_acceptance(
    grads: GraduateArrays,
    index: PositionIndex,
    within: np.ndarray,
    capacity: dict[int, int],
    list_length: int = PLACEMENT_LIST,
) -> Plan:
    plan = Plan()
    posts = index.posts
    prefs: list[list[int]] = [[] for _ in range(len(grads.ids))]
    fits: list[dict[int, float]] = [{} for _ in range(len(grads.ids))]
    members = np.nonzero(grads.unemployed)[0]
    members_list: list[int] = [int(m) for m in members]
    ranked_lists = batch_top(index, grads, members, list_length, within=within)
    for g, (idx, fit) in zip(members_list, ranked_lists, strict=True):
        order = [int(i) for i in idx]
        prefs[g] = order
        fits[g] = {int(i): float(f) for i, f in zip(idx, fit, strict=True)}
        plan.preferences[int(grads.ids[g])] = [int(posts.ids[i]) for i in order]

    def key(g: int, p: int) -> tuple[int, int, float, int]:
        k = priority_key(
            bool(grads.parent_employer[g] == posts.employer[p]),
            bool(grads.fresh[g]) and posts.profiles[p].kind != "public_welfare",
            fits[g][p],
            int(grads.ids[g]),
        )
        plan.priority[(int(grads.ids[g]), int(posts.ids[p]))] = k
        return k

    held: dict[int, list[tuple[tuple[int, int, float, int], int]]] = {}
    next_choice = [0] * len(prefs)
    free: deque[int] = deque(g for g in range(len(prefs)) if prefs[g])
    while free:
        g = free.popleft()
        if next_choice[g] >= len(prefs[g]):
            continue
        p = prefs[g][next_choice[g]]
        next_choice[g] += 1
        cap = capacity.get(int(posts.ids[p]), 0)
        heap = held.setdefault(p, [])
        heapq.heappush(heap, (key(g, p), g))
        if len(heap) > cap:
            _, loser = heapq.heappop(heap)
            free.append(loser)

    assigned: dict[int, int] = {}
    for p, heap in held.items():
        for _, g in heap:
            assigned[g] = p
    for p in held:
        pid = int(posts.ids[p])
        plan.capacity[pid] = (capacity.get(pid, 0), len(held[p]))
    for g in range(len(prefs)):
        gid = int(grads.ids[g])
        if not grads.unemployed[g]:
            continue
        if g in assigned:
            p = assigned[g]
            profile = posts.profiles[p]
            rules = []
            if profile.kind == "public_welfare":
                rules.append("public_welfare_conditions")
            if grads.parent_employer[g] == posts.employer[p]:
                rules.append("same_enterprise")
            if grads.fresh[g] and profile.kind != "public_welfare":
                rules.append("fresh_graduate")
            choice = prefs[g].index(p) + 1
            comps = pair_components(posts, grads, g, p)
            words = explain(
                posts,
                grads,
                g,
                p,
                fits[g][p],
                comps,
                tuple(rules),
                lifted=fits[g][p] >= PRIORITY_MIN_FIT,
            )
            plan.lines.append(
                PlanLine(
                    graduate_id=gid,
                    position_id=profile.id,
                    fit=round(fits[g][p], 1),
                    choice=choice,
                    rules=rules,
                    reason=f"{words}本人第 {choice} 志愿。",
                    components=comps,
                )
            )
        else:
            text = NO_OPTIONS if not prefs[g] else ALL_TAKEN.format(n=len(prefs[g]))
            plan.unplaced.append(Unplaced(gid, text))
    plan.lines.sort(key=lambda line: (line.position_id, line.graduate_id))
    return plan
