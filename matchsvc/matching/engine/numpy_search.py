"""The numpy path of the exact search: the reference the compiled kernel is checked against,
and the fallback where numba cannot load.

Candidates come from the index's inverted lists (required 专业类/门类/major or 专业不限, by
province), each with an upper bound of its fit from the major tier and the place; they are scored
in order of that bound until the N-th best found beats the bound of everything not yet scored.
The result is exactly the top N by (priority rule, fit, id) — the same as scoring every position,
which the property tests check.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .index import EMPTY, PositionIndex
from .policy import (
    DEGREE_OVER,
    INFER_MATCH,
    LIST_MIN_FIT,
    MAJOR_ANY,
    MAJOR_GROUP,
    MAJOR_RELATED,
    MAJOR_SAME,
    PRIORITY_MIN_FIT,
    REGION_ELSEWHERE,
    REGION_ORIGIN_CITY,
    REGION_ORIGIN_PROVINCE,
    REGION_SCHOOL_CITY,
    REGION_SCHOOL_PROVINCE,
    REGION_WISH_CITY,
    REGION_WISH_PROVINCE,
    SKILLS_FULL_AT,
    SKILLS_NONE_STATED,
    WEIGHTS,
    WISH_MET,
    WISH_NONE_STATED,
    WISH_OTHER,
)
from .profiles import KINDS
from .ranking import Ranked, rank
from .score import GraduateArrays, PositionArrays, popcount, region_score, score_pairs
from .tables import tables

#: The other components can add at most this much to the major and region parts of the fit.
REST_MAX = WEIGHTS["degree"] + WEIGHTS["skills"] + WEIGHTS["wishes"]
KIND_INTERNSHIP = KINDS.index("internship")
#: A list shorter than its limit is complete once nothing left could reach the listing floor:
#: the floor (less the rounding slack) stands in for the missing N-th best.
NOT_LISTED = LIST_MIN_FIT - 0.1
KIND_PUBLIC = KINDS.index("public_welfare")


def top_for_graduate(
    index: PositionIndex,
    grads: GraduateArrays,
    g: int,
    limit: int,
    kinds: Iterable[str] = KINDS,
    exclude: Iterable[int] = (),
    within: np.ndarray | None = None,
) -> Ranked:
    """The graduate's best `limit` positions of the given kinds (ids in `exclude` left out).

    `within`, a boolean mask over positions, restricts the search (a placement's reach).
    Candidates come in buckets (required 专业类/门类/major or 专业不限, by province), scored
    in order of the bucket's upper bound until the `limit`-th best beats every bound left.
    """
    lookup = tables()
    allowed = index.allowed(kinds, exclude, within)

    place_score, place_ok = region_score(
        grads, np.full(len(index.places), g), index.places[:, 0], index.places[:, 1]
    )
    province_best: dict[int, float] = {}
    for (pv, _), score, ok in zip(index.places, place_score, place_ok, strict=True):
        if ok and score > REGION_ELSEWHERE:
            province_best[int(pv)] = max(province_best.get(int(pv), 0.0), float(score))
    wishes = bool(grads.has_wishes[g])
    lvl, e = int(grads.level[g]), int(grads.entry[g])
    tiers: list[tuple[int, int, float]] = [(3, 0, MAJOR_ANY)]
    if e < len(lookup.entries):
        tiers += [
            (0, int(lookup.entry_class[e]), MAJOR_SAME),
            (4, int(lookup.entry_class[e]), INFER_MATCH),
            (5, int(lookup.entry_canon[e]), INFER_MATCH),
            (1, int(lookup.entry_group[e]), MAJOR_GROUP),
            *((2, int(r), MAJOR_RELATED) for r in np.nonzero(lookup.related[e])[0]),
        ]
    buckets: list[tuple[float, np.ndarray]] = []
    for tier, key, major in tiers:
        lv = 0 if tier == 3 else lvl
        for pv, best in province_best.items():
            arr = index.lists.get((tier, lv, key, pv))
            if arr is not None:
                buckets.append(
                    (WEIGHTS["major"] * major + WEIGHTS["region"] * best + REST_MAX, arr)
                )
        if not wishes:
            arr = index.lists.get((tier, lv, key, -1))
            if arr is not None:
                bound = WEIGHTS["major"] * major + WEIGHTS["region"] * REGION_ELSEWHERE + REST_MAX
                buckets.append((bound, arr))
    # Everything else (major 0): scored only if nothing above reaches its bound.
    best_region = max(province_best.values(), default=REGION_ELSEWHERE)
    rest_bound = (
        WEIGHTS["region"] * (best_region if wishes else max(best_region, REGION_ELSEWHERE))
        + REST_MAX
    )
    buckets.sort(key=lambda b: -b[0])
    employer = int(grads.parent_employer[g])
    chosen = [index.by_employer.get(employer, EMPTY) if employer >= 0 else EMPTY]
    pending = 0
    for i, (bound, arr) in enumerate(buckets):
        chosen.append(arr)
        pending += len(arr)
        # what is left: the next bucket, and the posts in no bucket (major 0) near the graduate
        next_bound = max(buckets[i + 1][0], rest_bound) if i + 1 < len(buckets) else rest_bound
        if pending < 512 and next_bound > bound - 10 and i + 1 < len(buckets):
            continue
        pending = 0
        kth = _kth(index.posts, grads, g, chosen, allowed, limit)
        if kth > next_bound + 0.1:
            return rank(index.posts, grads, g, _unique(chosen, allowed), limit)
    if _kth(index.posts, grads, g, chosen, allowed, limit) <= rest_bound + 0.1:
        chosen.append(np.nonzero(allowed)[0])
    return rank(index.posts, grads, g, _unique(chosen, allowed), limit)


def _kth(
    posts: PositionArrays,
    grads: GraduateArrays,
    g: int,
    chosen: list[np.ndarray],
    allowed: np.ndarray,
    limit: int,
) -> float:
    idx = _unique(chosen, allowed)
    if len(idx) < limit:
        return NOT_LISTED
    sc = score_pairs(grads, np.full(len(idx), g), posts, idx)
    fit = sc.fit[sc.eligible]
    if len(fit) < limit:
        return NOT_LISTED
    return float(np.partition(fit, len(fit) - limit)[len(fit) - limit])


def _unique(chosen: list[np.ndarray], allowed: np.ndarray) -> np.ndarray:
    idx = np.unique(np.concatenate(chosen)) if chosen else EMPTY
    return idx[allowed[idx]]


# ---------------------------------------------------------------------------------------------
# Many graduates at once (full recompute, placement)

_CHUNK = 512
_FIRST_ROUND = 1  # × limit candidates scored first, by upper bound


def batch_top_numpy(
    index: PositionIndex,
    grads: GraduateArrays,
    members: np.ndarray,
    limit: int,
    within: np.ndarray | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each member's top `limit` (position indices, fits), exactly as `top_for_graduate` ranks them
    — the numpy path: the exactness tests' reference, and the fallback where numba cannot load.

    For each graduate the candidates are the positions, in the provinces they are connected to,
    that require their 专业类, 门类 or a related major, or none; each has an upper bound of its
    fit from its major tier and its place. The best few by bound are scored first, then every
    candidate whose bound still beats the graduate's `limit`-th best — for hundreds of graduates in
    one `score_pairs` call. A graduate whose `limit`-th best does not beat the bound of what was
    never a candidate (positions requiring an unrelated major; other provinces) is ranked by
    `top_for_graduate` instead, so the result is always exact.
    """
    allowed = np.ones(len(index.posts.ids), dtype=bool) if within is None else within
    present = {int(v) for v in np.unique(index.posts.region[allowed, 0])}
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for start in range(0, len(members), _CHUNK):
        chunk = [int(g) for g in members[start : start + _CHUNK]]
        out += _batch_chunk(index, grads, chunk, limit, allowed, present)
    return out


def place_regions(
    grads: GraduateArrays, g: int, provinces: np.ndarray, cities: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`region_score` for one graduate over a few places (a plain loop beats array calls here)."""
    wish = grads.wish[g].tolist()
    wish_cities = {c for p, c in wish if c >= 0}
    wish_provinces = {p for p, c in wish if p >= 0 and c < 0}
    near = {p for p, _ in wish if p >= 0}
    (op, oc), (sp, sc) = grads.origin[g].tolist(), grads.school[g].tolist()
    out = []
    for p, c in zip(provinces.tolist(), cities.tolist(), strict=True):
        if c >= 0 and c in wish_cities:
            v = REGION_WISH_CITY
        elif p in wish_provinces:
            v = REGION_WISH_PROVINCE
        elif c >= 0 and c == oc:
            v = REGION_ORIGIN_CITY
        elif c >= 0 and c == sc:
            v = REGION_SCHOOL_CITY
        elif p == op or p in near:
            v = REGION_ORIGIN_PROVINCE
        elif p == sp:
            v = REGION_SCHOOL_PROVINCE
        else:
            v = 0.0
        out.append(v)
    score = np.array(out, dtype=np.float32)
    connected = score > 0
    return np.where(connected, score, np.float32(REGION_ELSEWHERE)), connected | (
        not grads.has_wishes[g]
    )


def _candidates(
    index: PositionIndex,
    grads: GraduateArrays,
    g: int,
    allowed: np.ndarray,
    present: set[int],
    seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(positions, their fit bounds, the bound of everything not a candidate), no duplicates."""
    lookup = tables()
    provinces = {int(v) for v in grads.wish[g, :, 0] if v >= 0} | {
        int(grads.origin[g, 0]),
        int(grads.school[g, 0]),
    }
    provinces &= present
    others = bool(present - provinces)
    lvl, e = int(grads.level[g]), int(grads.entry[g])
    employer = int(grads.parent_employer[g])
    keys: list[tuple[int, int, int, float]] = [(3, 0, 0, MAJOR_ANY)]
    if e < len(lookup.entries):
        # in order of bound: a post met in two lists keeps the first list's bound
        keys[:0] = [
            (0, lvl, int(lookup.entry_class[e]), MAJOR_SAME),
            (4, lvl, int(lookup.entry_class[e]), INFER_MATCH),
            (5, lvl, int(lookup.entry_canon[e]), INFER_MATCH),
        ]
        tiers = [(2, lvl, int(r), MAJOR_RELATED) for r in np.nonzero(lookup.related[e])[0]]
        tiers.append((1, lvl, int(lookup.entry_group[e]), MAJOR_GROUP))
        keys += sorted(tiers, key=lambda t: -t[3])  # 专业相近 and 门类 by their value
    places = [index.places_by_province[pv] for pv in provinces if pv in index.places_by_province]
    wishes = bool(grads.has_wishes[g])
    # places not connected: ineligible for those who named regions, else "elsewhere"
    region = np.full(len(index.places), -10.0 if wishes else REGION_ELSEWHERE, dtype=np.float32)
    best_region = REGION_ELSEWHERE
    if places:
        pl = np.concatenate(places)
        score, ok = place_regions(grads, g, index.places[pl, 0], index.places[pl, 1])
        region[pl] = np.where(ok, score, -10.0)  # not connected: never eligible
        best_region = float(score[ok].max()) if ok.any() else REGION_ELSEWHERE
    arrays, bounds = [], []
    if employer >= 0 and employer in index.by_employer:
        extra = index.by_employer[employer]
        extra = extra[allowed[extra] & ~seen[extra]]
        seen[extra] = True
        arrays.append(extra)
        bounds.append(np.full(len(extra), 1000.0, dtype=np.float32))  # always scored
    nationwide = others and not wishes
    for tier, lv, key, major in keys:
        # those who named no region: positions of their own 专业类 (required or inferred) anywhere
        for pv in [*provinces, -1] if (nationwide and tier in (0, 4, 5)) else provinces:
            arr = index.lists.get((tier, lv, key, pv))
            if arr is None:
                continue
            arr = arr[allowed[arr] & ~seen[arr]]
            seen[arr] = True
            arrays.append(arr)
            bounds.append(
                WEIGHTS["major"] * major
                + WEIGHTS["region"] * region[index.place_of[arr]]
                + REST_MAX
            )
    cand = np.concatenate(arrays) if arrays else EMPTY
    seen[cand] = False
    bound = np.concatenate(bounds).astype(np.float32) if bounds else np.zeros(0, dtype=np.float32)
    bound += _rest_part(index.posts, grads, g, cand) - REST_MAX
    declined = [index.position_of[i] for i in grads.profiles[g].declined if i in index.position_of]
    if declined:
        keep = ~np.isin(cand, declined)
        cand, bound = cand[keep], bound[keep]
    left_out = WEIGHTS["region"] * best_region + REST_MAX
    if nationwide:  # other provinces' positions outside the graduate's 专业类
        left_out = max(
            left_out,
            WEIGHTS["major"] * MAJOR_ANY + WEIGHTS["region"] * REGION_ELSEWHERE + REST_MAX,
        )
    return cand, bound, left_out


def _rest_part(
    posts: PositionArrays, grads: GraduateArrays, g: int, cand: np.ndarray
) -> np.ndarray:
    """Degree, skills and wishes of the fit exactly (as `score_pairs` has them), and -1000 where
    the pair is not eligible for degree or the public-welfare conditions: tightens the bounds."""
    min_rank, rank_ = posts.min_rank[cand], grads.rank[g]
    degree = np.where((min_rank >= 0) & (rank_ - min_rank >= 2), DEGREE_OVER, 1.0)
    count = int(grads.skills_count[g])
    text = posts.text[cand]
    if count:
        matched = popcount(grads.skills[g] & text)
        skills = SKILLS_NONE_STATED + (1 - SKILLS_NONE_STATED) * np.minimum(
            1.0, matched / max(1, min(SKILLS_FULL_AT, count))
        )
    else:
        skills = np.full(len(cand), SKILLS_NONE_STATED)
    kind = posts.kind[cand]
    if grads.wish_work_count[g]:
        other = np.where(popcount(grads.wish_work[g] & text) > 0, WISH_MET, WISH_OTHER)
    else:
        other = np.full(len(cand), WISH_NONE_STATED)
    wishes = np.where(
        kind == KIND_INTERNSHIP,
        WISH_MET if grads.wants_internship[g] else WISH_OTHER,
        other,
    )
    rest = WEIGHTS["degree"] * degree + WEIGHTS["skills"] * skills + WEIGHTS["wishes"] * wishes
    bad = ((min_rank >= 0) & (rank_ < min_rank)) | (
        (kind == KIND_PUBLIC) & (not grads.public_ok[g])
    )
    return np.where(bad, -1000.0, rest + 0.01).astype(np.float32)


def _batch_chunk(
    index: PositionIndex,
    grads: GraduateArrays,
    chunk: list[int],
    limit: int,
    allowed: np.ndarray,
    present: set[int],
) -> list[tuple[np.ndarray, np.ndarray]]:
    posts = index.posts
    cands, bounds, left_outs = [], [], []
    seen = np.zeros(len(posts.ids), dtype=bool)
    for g in chunk:
        cand, bound, left_out = _candidates(index, grads, g, allowed, present, seen)
        cands.append(cand)
        bounds.append(bound)
        left_outs.append(left_out)
    scored_idx: list[list[np.ndarray]] = [[] for _ in chunk]
    scored_fit: list[list[np.ndarray]] = [[] for _ in chunk]
    scored_ok: list[list[np.ndarray]] = [[] for _ in chunk]
    taken = [np.zeros(len(c), dtype=bool) for c in cands]
    first = _FIRST_ROUND * limit
    for round_ in range(2):
        picks = []
        for k, (cand, bound) in enumerate(zip(cands, bounds, strict=True)):
            if round_ == 0:
                if len(cand) > first:
                    thr = np.partition(bound, len(bound) - first)[len(bound) - first]
                    sel = bound >= thr
                else:
                    sel = np.ones(len(cand), dtype=bool)
            else:
                fits = (
                    np.concatenate(scored_fit[k])
                    if scored_fit[k]
                    else np.zeros(0, dtype=np.float32)
                )
                oks = np.concatenate(scored_ok[k]) if scored_ok[k] else np.zeros(0, dtype=bool)
                good = fits[oks]
                kth = (
                    np.partition(good, len(good) - limit)[len(good) - limit]
                    if len(good) >= limit
                    else NOT_LISTED
                )
                sel = ~taken[k] & (bound > kth - 0.1)
            taken[k] |= sel
            picks.append(cand[sel])
        sizes = [len(x) for x in picks]
        if sum(sizes) == 0:
            continue
        gi = np.repeat(np.array(chunk, dtype=np.intp), sizes)
        pi = np.concatenate(picks)
        sc = score_pairs(grads, gi, posts, pi)
        offsets = np.cumsum([0, *sizes])
        for k in range(len(chunk)):
            lo, hi = offsets[k], offsets[k + 1]
            if hi > lo:
                scored_idx[k].append(pi[lo:hi])
                scored_fit[k].append(sc.fit[lo:hi])
                scored_ok[k].append(sc.eligible[lo:hi])
    out = []
    for k, g in enumerate(chunk):
        idx = np.concatenate(scored_idx[k]) if scored_idx[k] else EMPTY
        fit = np.concatenate(scored_fit[k]) if scored_fit[k] else np.zeros(0, dtype=np.float32)
        ok = np.concatenate(scored_ok[k]) if scored_ok[k] else np.zeros(0, dtype=bool)
        idx, fit = idx[ok], fit[ok]
        kth = (
            np.partition(fit, len(fit) - limit)[len(fit) - limit]
            if len(fit) >= limit
            else NOT_LISTED
        )
        if kth <= left_outs[k] + 0.1:
            ranked = top_for_graduate(
                index, grads, g, limit, exclude=grads.profiles[g].declined, within=allowed
            )
            out.append((ranked.index, ranked.fit))
            continue
        lifted = (posts.employer[idx] == grads.parent_employer[g]) & (fit >= PRIORITY_MIN_FIT)
        order = np.lexsort((posts.ids[idx], -fit, ~lifted))[:limit]
        out.append((idx[order], fit[order]))
    return out
