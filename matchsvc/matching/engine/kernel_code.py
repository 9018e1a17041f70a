"""The numba kernels of `kernel.py` (imported only where numba loads; see that module).

Every float the fit is made of is float32, added in `score.combine`'s order and rounded as
`np.round(fit, 1)` rounds float32 — so each fit equals `score_pairs`'s bit for bit. The pair is
scored inline in the one loop that walks the lists: a call per pair with the arrays as arguments
would cost more than the scoring.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba
import numpy as np
from numba import njit, prange

from .layout import KIND_INTERNSHIP, KIND_PUBLIC, NATIONWIDE, TIER_ALL
from .policy import LIST_MIN_FIT, PRIORITY_MIN_FIT

F32 = numba.float32
_TEN = np.float32(10.0)
_ANY = np.float32(0.6)  # policy.MAJOR_ANY as float32, as score.inferred_part has it
_SLACK = 0.1  # a bound is compared after rounding the fit to 0.1
#: place_city's position among the kernel's position arguments (its length: the places).
PLACE_CITY = 21


@njit(cache=True)
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def _region_rule(wish, g, origin, school, prov, city):
    """Which region rule holds first (0 wished city … 5 school province, 6 none), as
    score.region_score's np.select has them."""
    for j in range(wish.shape[1]):
        wc = wish[g, j, 1]
        if wc >= 0 and wc == city:
            return 0
    for j in range(wish.shape[1]):
        wp, wc = wish[g, j, 0], wish[g, j, 1]
        if wp >= 0 and wc < 0 and wp == prov:
            return 1
    if city >= 0 and origin[g, 1] == city:
        return 2
    if city >= 0 and school[g, 1] == city:
        return 3
    if origin[g, 0] == prov:
        return 4
    for j in range(wish.shape[1]):
        wp = wish[g, j, 0]
        if wp >= 0 and wp == prov:
            return 4
    if school[g, 0] == prov:
        return 5
    return 6


@njit(cache=True)
def _better(fit_a, id_a, fit_b, id_b):
    return fit_a > fit_b or (fit_a == fit_b and id_a < id_b)


@njit(cache=True)
def _insert(fits, ids, pos, n, cap, fit, pid, p):
    """Insert into a list sorted by (fit desc, id asc) holding at most cap; returns the count.
    The caller has checked the item belongs (the list is not full, or it beats the last)."""
    k = n if n < cap else cap - 1
    while k > 0 and _better(fit, pid, fits[k - 1], ids[k - 1]):
        fits[k] = fits[k - 1]
        ids[k] = ids[k - 1]
        pos[k] = pos[k - 1]
        k -= 1
    fits[k] = fit
    ids[k] = pid
    pos[k] = p
    return n + 1 if n < cap else n


@njit(cache=True)
def _one(
    g,
    limit,
    allowed,
    stamp,
    tag,
    place_region,
    ex_ptr,
    ex_items,
    row,
    kind,
    place_of,
    min_rank,
    requires,
    slots,
    inferred,
    strength,
    text,
    employer,
    ids,
    list_ptr,
    list_items,
    row_ptr,
    row_place,
    row_list,
    row_nation,
    employers,
    employer_ptr,
    employer_items,
    province_ptr,
    place_prov,
    place_city,
    level,
    rank,
    entry,
    origin,
    school,
    wish,
    has_wishes,
    skills,
    skills_count,
    wish_work,
    wish_work_count,
    wants_internship,
    public_ok,
    parent_employer,
    t_major,
    t_inferred,
    entry_class,
    entry_canon,
    entry_group,
    related_ptr,
    related,
    t_degree,
    t_degree_ok,
    t_skills,
    t_wishes,
    t_region,
    tier_major,
    weights,
    out_idx,
    out_fit,
    out_n,
    out_scored,
):
    """One graduate's top `limit` into row `row` of the outputs (and how many pairs it scored)."""
    for j in range(ex_ptr[row], ex_ptr[row + 1]):  # declined: never a candidate
        stamp[ex_items[j]] = tag
    width = t_major.shape[0]
    none = width - 1
    lvl = level[g]
    e = entry[g]
    r = rank[g]
    words = skills.shape[1]
    count = min(skills_count[g], 3)
    stated = wish_work_count[g] > 0
    intern = 1 if wants_internship[g] else 0
    pub = public_ok[g]
    named_region = has_wishes[g]
    elsewhere = t_region[6]
    w_major, w_degree, w_region, w_skills, w_wishes = (
        weights[0],
        weights[1],
        weights[2],
        weights[3],
        weights[4],
    )

    # the region of every place in the graduate's provinces (others: "elsewhere" for who named
    # no region, else not eligible)
    touched = np.empty(wish.shape[1] + 2, dtype=np.int32)
    n_touched = 0
    for j in range(wish.shape[1] + 2):
        if j < wish.shape[1]:
            pv = wish[g, j, 0]
        elif j == wish.shape[1]:
            pv = origin[g, 0]
        else:
            pv = school[g, 0]
        if pv < 0 or pv >= NATIONWIDE:
            continue
        dup = False
        for q in range(n_touched):
            if touched[q] == pv:
                dup = True
        if dup:
            continue
        touched[n_touched] = pv
        n_touched += 1
        for q in range(province_ptr[pv], province_ptr[pv + 1]):
            rule = _region_rule(wish, g, origin, school, place_prov[q], place_city[q])
            if rule < 6:
                place_region[q] = t_region[rule]

    # the lists to walk, by bound: (tier, level, key) rows, each at the graduate's places
    rest = w_degree * 1.0
    rest += w_skills * (1.0 if count > 0 else t_skills[0, 0])
    rest += w_wishes * (1.0 if (intern or stated) else 0.6)
    n_rel = related_ptr[e + 1] - related_ptr[e] if e != none else 0
    key_row = np.empty(6 + n_rel, dtype=np.int64)
    key_tier = np.empty(6 + n_rel, dtype=np.int64)
    n_keys = 0
    if e != none:
        for tier, key in ((0, entry_class[e]), (4, entry_class[e]), (5, entry_canon[e])):
            key_tier[n_keys] = tier
            key_row[n_keys] = (tier * 2 + lvl) * width + key
            n_keys += 1
    key_tier[n_keys] = 3
    key_row[n_keys] = (3 * 2 + 0) * width + 0
    n_keys += 1
    if e != none:
        key_tier[n_keys] = 1
        key_row[n_keys] = (1 * 2 + lvl) * width + entry_group[e]
        n_keys += 1
        for q in range(n_rel):
            key_tier[n_keys] = 2
            key_row[n_keys] = (2 * 2 + lvl) * width + related[related_ptr[e] + q]
            n_keys += 1
    key_tier[n_keys] = TIER_ALL
    key_row[n_keys] = (TIER_ALL * 2 + 0) * width + 0
    n_keys += 1
    room = 0
    for q in range(n_keys):
        room += row_ptr[key_row[q] + 1] - row_ptr[key_row[q]] + 1
    b_list = np.empty(room, dtype=np.int64)
    b_bound = np.empty(room, dtype=np.float64)
    nb = 0
    for q in range(n_keys):
        kr = key_row[q]
        base = w_major * tier_major[key_tier[q]] + rest
        for j in range(row_ptr[kr], row_ptr[kr + 1]):
            region = place_region[row_place[j]]
            if region < 0:
                continue
            b_list[nb] = row_list[j]
            b_bound[nb] = base + w_region * region
            nb += 1
        if not named_region and row_nation[kr] >= 0:
            b_list[nb] = row_nation[kr]
            b_bound[nb] = base + w_region * elsewhere
            nb += 1
    order = np.argsort(-b_bound[:nb], kind="mergesort")

    lfit = np.empty(limit, dtype=np.float32)
    lid = np.empty(limit, dtype=np.int64)
    lpos = np.empty(limit, dtype=np.int32)
    nl = 0
    kfit = np.empty(limit, dtype=np.float32)
    kid = np.empty(limit, dtype=np.int64)
    kpos = np.empty(limit, dtype=np.int32)
    nk = 0
    cap = limit
    scored = 0
    # source -1: the parent employer's posts (lifted at the priority floor, exact from the
    # start); then the lists in order of bound, until the cap-th best beats the next bound
    parent = parent_employer[g]
    at = -1
    if parent >= 0:
        at = np.searchsorted(employers, parent)
        if at >= len(employers) or employers[at] != parent:
            at = -1
    for src in range(-1, nb):
        if src < 0:
            if at < 0:
                continue
            lo, hi = employer_ptr[at], employer_ptr[at + 1]
        else:
            if src == 0:
                cap = limit - nl  # what the lifted items leave
                if nk > cap:
                    nk = cap
            if cap <= 0:
                break
            b = order[src]
            if nk >= cap and kfit[cap - 1] > b_bound[b] + _SLACK:
                break
            if b_bound[b] + 2 * _SLACK < LIST_MIN_FIT:
                break  # nothing further can reach the listing floor
            number = b_list[b]
            lo, hi = list_ptr[number], list_ptr[number + 1]
        for j in range(lo, hi):
            p = employer_items[j] if src < 0 else list_items[j]
            if stamp[p] == tag or not allowed[p]:
                continue
            stamp[p] = tag
            scored += 1
            mr = min_rank[p]
            if not t_degree_ok[r, mr + 1]:
                continue
            k = kind[p]
            if k == KIND_PUBLIC and not pub:
                continue
            region = place_region[place_of[p]]
            if region < 0:
                if named_region:
                    continue
                region = elsewhere
            if requires[p]:
                major = t_major[e, slots[p, lvl, 0]]
                for s in range(1, slots.shape[2]):
                    v = t_major[e, slots[p, lvl, s]]
                    if v > major:
                        major = v
            else:
                st = strength[p]
                if st > 0:
                    target = t_inferred[e, inferred[p, lvl, 0]]
                    for s in range(1, inferred.shape[2]):
                        v = t_inferred[e, inferred[p, lvl, s]]
                        if v > target:
                            target = v
                    if target < 0:
                        target = _ANY
                    major = F32(_ANY + st * (target - _ANY))
                else:
                    major = _ANY
            named = 0
            hit = 0
            for w in range(words):
                named += _popcount(skills[g, w] & text[p, w])
                if stated and (wish_work[g, w] & text[p, w]) != 0:
                    hit = 1
            wi = t_wishes[1 if k == KIND_INTERNSHIP else 0, intern, 1 if stated else 0, hit]
            fit = F32(0.0) + w_major * major
            fit = fit + w_degree * t_degree[r, mr + 1]
            fit = fit + w_region * region
            fit = fit + w_skills * t_skills[count, min(named, 3)]
            fit = fit + w_wishes * wi
            fit = F32(F32(np.rint(F32(fit * _TEN))) / _TEN)
            if fit < LIST_MIN_FIT:
                continue  # below the floor: never listed
            pid = ids[p]
            if src < 0 and fit >= PRIORITY_MIN_FIT:
                if nl < limit or _better(fit, pid, lfit[limit - 1], lid[limit - 1]):
                    nl = _insert(lfit, lid, lpos, nl, limit, fit, pid, p)
            elif nk < cap or _better(fit, pid, kfit[cap - 1], kid[cap - 1]):
                nk = _insert(kfit, kid, kpos, nk, cap, fit, pid, p)
    for q in range(n_touched):  # clean the scratch for the next graduate
        pv = touched[q]
        for j in range(province_ptr[pv], province_ptr[pv + 1]):
            place_region[j] = F32(-1.0)
    n = 0
    for j in range(nl):
        out_idx[row, n] = lpos[j]
        out_fit[row, n] = lfit[j]
        n += 1
    for j in range(nk):
        if n >= limit:
            break
        out_idx[row, n] = kpos[j]
        out_fit[row, n] = kfit[j]
        n += 1
    out_n[row] = n
    out_scored[row] = scored


@njit(cache=True)
def search_serial(members, limit, allowed, ex_ptr, ex_items, *args):
    stamp = np.zeros(args[0].shape[0], dtype=np.int32)
    place_region = np.full(args[PLACE_CITY].shape[0], -1.0, dtype=np.float32)
    for row in range(len(members)):
        _one(
            members[row], limit, allowed, stamp, row + 1, place_region, ex_ptr, ex_items, row,
            *args,
        )  # fmt: skip


@njit(cache=True, parallel=True)
def search_parallel(members, limit, allowed, ex_ptr, ex_items, chunks, *args):
    stamps = np.zeros((chunks, args[0].shape[0]), dtype=np.int32)
    regions = np.full((chunks, args[PLACE_CITY].shape[0]), -1.0, dtype=np.float32)
    size = len(members)
    for c in prange(chunks):
        stamp = stamps[c]
        place_region = regions[c]
        lo, hi = c * size // chunks, (c + 1) * size // chunks
        for n, row in enumerate(range(lo, hi)):
            _one(
                members[row], limit, allowed, stamp, n + 1, place_region, ex_ptr, ex_items, row,
                *args,
            )  # fmt: skip


@njit(cache=True)
def _sift_down(keys, who, lo, size):
    """Restore the min-heap keys[lo:lo+size] from its root."""
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            return
        small = left
        if left + 1 < size and keys[lo + left + 1] < keys[lo + left]:
            small = left + 1
        if keys[lo + small] >= keys[lo + i]:
            return
        keys[lo + i], keys[lo + small] = keys[lo + small], keys[lo + i]
        who[lo + i], who[lo + small] = who[lo + small], who[lo + i]
        i = small


@njit(cache=True)
def _sift_up(keys, who, lo, i):
    while i > 0:
        parent = (i - 1) // 2
        if keys[lo + parent] <= keys[lo + i]:
            return
        keys[lo + i], keys[lo + parent] = keys[lo + parent], keys[lo + i]
        who[lo + i], who[lo + parent] = who[lo + parent], who[lo + i]
        i = parent


@njit(cache=True)
def accept(prefs, keys, capacity):
    """Graduate-proposing deferred acceptance over a graduates × choices array of position
    numbers (-1 padded) and the positions' keys for them (higher is better); each position
    holds at most its capacity in a min-heap. Returns each graduate's accepted choice, or -1."""
    n_grads, width = prefs.shape
    n_posts = capacity.shape[0]
    listed = np.zeros(n_posts, dtype=np.int64)
    for g in range(n_grads):
        for c in range(width):
            if prefs[g, c] >= 0:
                listed[prefs[g, c]] += 1
    start = np.zeros(n_posts + 1, dtype=np.int64)
    for p in range(n_posts):
        start[p + 1] = start[p] + min(capacity[p], listed[p])
    heap_key = np.empty(start[n_posts], dtype=np.int64)
    heap_who = np.empty(start[n_posts], dtype=np.int64)
    size = np.zeros(n_posts, dtype=np.int64)
    nxt = np.zeros(n_grads, dtype=np.int64)
    free = np.empty(n_grads, dtype=np.int64)
    n_free = 0
    for g in range(n_grads - 1, -1, -1):
        if width and prefs[g, 0] >= 0:
            free[n_free] = g
            n_free += 1
    while n_free > 0:
        n_free -= 1
        g = free[n_free]
        while nxt[g] < width and prefs[g, nxt[g]] >= 0:
            p = prefs[g, nxt[g]]
            key = keys[g, nxt[g]]
            nxt[g] += 1
            cap = start[p + 1] - start[p]
            if cap <= 0:
                continue
            lo = start[p]
            if size[p] < cap:
                heap_key[lo + size[p]] = key
                heap_who[lo + size[p]] = g
                _sift_up(heap_key, heap_who, lo, size[p])
                size[p] += 1
                break
            if key > heap_key[lo]:
                loser = heap_who[lo]
                heap_key[lo] = key
                heap_who[lo] = g
                _sift_down(heap_key, heap_who, lo, cap)
                free[n_free] = loser
                n_free += 1
                break
    choice = np.full(n_grads, -1, dtype=np.int64)
    for p in range(n_posts):
        for j in range(start[p], start[p] + size[p]):
            g = heap_who[j]
            choice[g] = nxt[g] - 1
    return choice


def threads() -> int:
    return int(numba.get_num_threads())


@contextmanager
def thread_count(workers: int) -> Iterator[None]:
    """Run with at most `workers` of numba's threads (its default: one per core)."""
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(workers, getattr(numba.config, "NUMBA_NUM_THREADS", workers))))
    try:
        yield
    finally:
        numba.set_num_threads(before)


__all__ = ["accept", "search_parallel", "search_serial", "thread_count", "threads"]
