"""The compiled search: each graduate's exact top N positions, one numba kernel per graduate.

The kernel walks the index's inverted lists (required 专业类, inferred 专业类 and majors, 专业不限,
门类/大类, related majors, then every post) per province, in order of an upper bound of the fit
(40 × the tier's major value + 25 × the province's best region for the graduate + the most the
other components can give this graduate). The parent employer's posts are scored first, so the
lifted items (本企业子女) are exact. Each post is scored once, inline, with the same component
values `score.py` defines (its functions fill the small tables the kernel reads: degree, skills,
wishes, region; the major tables are `score.major_scores` and `score.inferred_targets`), added
in the same float32 order, so every fit is bit-identical to `score_pairs`. The kernel keeps the
best N in a small sorted array and stops when the N-th beats the next list's bound.

`search.batch_top` (numpy) stays the reference: the tests check both give identical rankings and
that both equal scoring every position. Where numba cannot load, or `MATCHSVC_MATCHER=numpy`
asks for it, the numpy path runs instead, with a warning (`compiled()` says which).

The kernels compile when `serve` or `scheduler` starts (`warm_up`), with numba's cache in the
instance folder (NUMBA_CACHE_DIR), never in a user's request.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from .index import PositionIndex
from .layout import KIND_INTERNSHIP, NATIONWIDE, TIER_ALL, TIERS
from .policy import (
    INFER_MATCH,
    MAJOR_ANY,
    MAJOR_GROUP,
    MAJOR_RELATED,
    MAJOR_SAME,
    REGION_ELSEWHERE,
    REGION_ORIGIN_CITY,
    REGION_ORIGIN_PROVINCE,
    REGION_SCHOOL_CITY,
    REGION_SCHOOL_PROVINCE,
    REGION_WISH_CITY,
    REGION_WISH_PROVINCE,
    WEIGHTS,
    Policy,
)
from .profiles import KINDS, GraduateProfile, PositionProfile
from .score import (
    GraduateArrays,
    degree_part,
    inferred_targets,
    major_scores,
    skills_part,
    wishes_part,
)
from .tables import tables

log = logging.getLogger(__name__)

#: The region component by the first rule that holds (wished city … school province), then a
#: place connected to none of them (`REGION_ELSEWHERE`; ineligible for who named regions).
REGION_VALUES = np.array(
    [
        REGION_WISH_CITY,
        REGION_WISH_PROVINCE,
        REGION_ORIGIN_CITY,
        REGION_SCHOOL_CITY,
        REGION_ORIGIN_PROVINCE,
        REGION_SCHOOL_PROVINCE,
        REGION_ELSEWHERE,
    ]
).astype(np.float32)
#: The major component's bound for each tier's list (tier 6: any post, its major may be 0).
TIER_MAJOR = np.array(
    [MAJOR_SAME, MAJOR_GROUP, MAJOR_RELATED, MAJOR_ANY, INFER_MATCH, INFER_MATCH, 0.0]
)


def _setting() -> str:
    return os.environ.get("MATCHSVC_MATCHER", "compiled").strip().lower() or "compiled"


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
        log.warning(message)


@cache
def _load() -> ModuleType | None:
    try:
        from . import kernel_code
    except Exception as err:  # numba missing or broken on this machine
        _warn_once(
            f"numba 不可用（{type(err).__name__}: {err}），推荐改用 numpy 计算（结果相同，较慢）"
        )
        return None
    return kernel_code


def compiled() -> ModuleType | None:
    """The compiled kernels, or None when the numpy path is to run (with a warning saying why)."""
    if _setting() == "numpy":
        _warn_once("MATCHSVC_MATCHER=numpy：推荐使用 numpy 计算（结果相同，较慢）")
        return None
    return _load()


# ---------------------------------------------------------------------------------------------
# The data the kernel reads, as flat arrays


@dataclass(frozen=True)
class Scoring:
    """Catalogue tables and component values, the same for every index."""

    major: np.ndarray  # (E+1, E+1) float32: score.major_scores
    inferred: np.ndarray  # (E+1, E+1) float32: score.inferred_targets
    entry_class: np.ndarray
    entry_canon: np.ndarray
    entry_group: np.ndarray
    related_ptr: np.ndarray
    related: np.ndarray
    degree: np.ndarray  # (4 ranks, 5 minimums: none, 专科 … 博士) float32
    degree_ok: np.ndarray
    skills: np.ndarray  # (stated 0–3, named 0–3) float32
    wishes: np.ndarray  # (internship, wants one, a wish stated, the wish named) float32
    region: np.ndarray  # REGION_VALUES
    tier_major: np.ndarray
    weights: np.ndarray  # float32, in WEIGHTS order
    none: int  # the entry number meaning "no major"


@cache
def scoring() -> Scoring:
    lookup = tables()
    n = len(lookup.entries)
    related = lookup.related
    ptr = np.zeros(n + 2, dtype=np.int64)
    ptr[1 : n + 1] = np.cumsum(related.sum(axis=1))
    ptr[n + 1] = ptr[n]
    ranks = np.arange(4, dtype=np.int8)
    minimums = np.arange(-1, 4, dtype=np.int8)
    rr, mm = np.meshgrid(ranks, minimums, indexing="ij")
    degree, degree_ok = degree_part(mm.ravel(), rr.ravel())
    counts, named = np.meshgrid(np.arange(4), np.arange(4), indexing="ij")
    skills = skills_part(counts.ravel().astype(np.int16), named.ravel().astype(np.int16))
    flags = np.array(np.meshgrid([0, 1], [0, 1], [0, 1], [0, 1], indexing="ij")).reshape(4, -1)
    kinds = np.where(flags[0] == 1, KIND_INTERNSHIP, KINDS.index("job")).astype(np.int8)
    wishes = wishes_part(kinds, flags[1] == 1, flags[2] == 1, flags[3] == 1)
    return Scoring(
        major=np.ascontiguousarray(major_scores()),
        inferred=np.ascontiguousarray(inferred_targets()),
        entry_class=np.append(lookup.entry_class, -1).astype(np.int32),
        entry_canon=np.append(lookup.entry_canon, -1).astype(np.int32),
        entry_group=np.append(lookup.entry_group, -1).astype(np.int32),
        related_ptr=ptr,
        related=np.nonzero(related)[1].astype(np.int32),
        degree=degree.reshape(4, 5),
        degree_ok=degree_ok.reshape(4, 5),
        skills=skills.reshape(4, 4),
        wishes=wishes.reshape(2, 2, 2, 2),
        region=REGION_VALUES,
        tier_major=TIER_MAJOR.astype(np.float64),
        weights=np.array([WEIGHTS[k] for k in WEIGHTS], dtype=np.float32),
        none=n,
    )


@dataclass(frozen=True)
class KernelIndex:
    """An index's positions and lists as the kernel reads them.

    A list holds the posts of one (tier, level, key) at one place (province and city), so its
    bound carries the graduate's region there exactly; each (tier, level, key) also has one list
    for the whole country, for graduates who named no region (every other place is "elsewhere"
    to them)."""

    perm: np.ndarray  # the kernel's post number → the index's
    inv: np.ndarray  # the index's → the kernel's
    kind: np.ndarray
    place_of: np.ndarray  # post → its place number
    min_rank: np.ndarray
    requires: np.ndarray
    slots: np.ndarray
    inferred: np.ndarray
    strength: np.ndarray
    text: np.ndarray
    employer: np.ndarray
    ids: np.ndarray
    list_ptr: np.ndarray  # list number → its posts in list_items
    list_items: np.ndarray
    row_ptr: np.ndarray  # (tier × 2 levels × (E+1)) → its place lists in row_place/row_list
    row_place: np.ndarray
    row_list: np.ndarray
    row_nation: np.ndarray  # the row's list for the whole country, or -1
    employers: np.ndarray  # sorted employer ids
    employer_ptr: np.ndarray
    employer_items: np.ndarray
    province_ptr: np.ndarray  # (NATIONWIDE + 2,): a province's places (places sorted by province)
    place_prov: np.ndarray
    place_city: np.ndarray


def _memberships(index: PositionIndex, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, post) for every list a post belongs to (rows may repeat)."""
    posts, lookup = index.posts, tables()
    none = width - 1
    n = len(posts.ids)
    rows, members = [], []

    def add(tier: int, lvl: int, keys: np.ndarray, which: np.ndarray) -> None:
        rows.append((tier * 2 + lvl) * width + keys.astype(np.int64))
        members.append(which.astype(np.int64))

    for lvl in range(posts.slots.shape[1]):
        r, c = np.nonzero(posts.slots[:, lvl, :] != none)
        entries = posts.slots[r, lvl, c].astype(np.int64)
        add(0, lvl, lookup.entry_class[entries], r)
        add(1, lvl, lookup.entry_group[entries], r)
        add(2, lvl, entries, r)
        r, c = np.nonzero(posts.inferred[:, lvl, :] != none)
        entries = posts.inferred[r, lvl, c].astype(np.int64)
        classes = lookup.entry_is_class[entries]
        add(4, lvl, lookup.entry_class[entries[classes]], r[classes])
        add(5, lvl, lookup.entry_canon[entries[~classes]], r[~classes])
    unrestricted = np.nonzero(~posts.requires)[0]
    add(3, 0, np.zeros(len(unrestricted), dtype=np.int64), unrestricted)
    add(TIER_ALL, 0, np.zeros(n, dtype=np.int64), np.arange(n))
    return np.concatenate(rows), np.concatenate(members)


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of equal values in a sorted array."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return starts, np.r_[starts[1:], len(keys)]


def kernel_index(index: PositionIndex) -> KernelIndex:
    """Built once per index (kept on it). The kernel numbers posts by place (then id), so the
    posts of a list lie close together in memory; `perm` maps its numbers back to the index's."""
    cached = getattr(index, "_kernel", None)
    if cached is not None:
        return cached
    posts = index.posts
    width = scoring().none + 1
    n_rows = TIERS * 2 * width
    n = len(posts.ids)
    perm = np.lexsort((posts.ids, index.place_of)).astype(np.int64)  # kernel number → index's
    inv = np.empty(n, dtype=np.int64)
    inv[perm] = np.arange(n)
    row, post = _memberships(index, width)
    post = inv[post]
    place_of = index.place_of[perm].astype(np.int64)
    place = place_of[post]
    n_places = max(1, len(index.places))
    # one list per (row, place), posts in order; then one per row for the whole country
    order = np.lexsort((post, place, row))
    row, place, post = row[order], place[order], post[order]
    keep = np.ones(len(row), dtype=bool)  # no memberships at all: nothing to keep
    keep[1:] = (row[1:] != row[:-1]) | (place[1:] != place[:-1]) | (post[1:] != post[:-1])
    row, place, post = row[keep], place[keep], post[keep]
    starts, ends = _runs(row * n_places + place)
    n_local = len(starts)
    nation_order = np.lexsort((post, row))
    nrow, npost = row[nation_order], post[nation_order]
    nstarts, nends = _runs(nrow)
    sizes = np.r_[ends - starts, nends - nstarts]
    list_ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
    list_ptr[1:] = np.cumsum(sizes)
    list_items = np.concatenate([post, npost]).astype(np.int32)
    local_rows = row[starts]
    row_ptr = np.searchsorted(local_rows, np.arange(n_rows + 1)).astype(np.int64)
    row_nation = np.full(n_rows, -1, dtype=np.int32)
    row_nation[nrow[nstarts]] = n_local + np.arange(len(nstarts), dtype=np.int32)
    employers = np.array(sorted(index.by_employer), dtype=np.int64)
    employer_ptr = np.zeros(len(employers) + 1, dtype=np.int64)
    employer_ptr[1:] = np.cumsum([len(index.by_employer[int(e)]) for e in employers])
    employer_items = (
        inv[np.concatenate([index.by_employer[int(e)] for e in employers])]
        if len(employers)
        else np.zeros(0)
    ).astype(np.int32)
    place_prov = index.places[:, 0].astype(np.int32)  # np.unique sorted them by province
    built = KernelIndex(
        perm=perm,
        inv=inv,
        kind=posts.kind[perm].astype(np.int8),
        place_of=place_of.astype(np.int32),
        min_rank=posts.min_rank[perm].astype(np.int8),
        requires=posts.requires[perm].astype(np.bool_),
        slots=np.ascontiguousarray(posts.slots[perm], dtype=np.int32),
        inferred=np.ascontiguousarray(posts.inferred[perm], dtype=np.int32),
        strength=posts.inferred_strength[perm].astype(np.float32),
        text=np.ascontiguousarray(posts.text[perm], dtype=np.uint64),
        employer=posts.employer[perm].astype(np.int64),
        ids=posts.ids[perm].astype(np.int64),
        list_ptr=list_ptr,
        list_items=list_items,
        row_ptr=row_ptr,
        row_place=place[starts].astype(np.int32),
        row_list=np.arange(n_local, dtype=np.int32),
        row_nation=row_nation,
        employers=employers,
        employer_ptr=employer_ptr,
        employer_items=employer_items,
        province_ptr=np.searchsorted(place_prov, np.arange(NATIONWIDE + 2)).astype(np.int64),
        place_prov=np.ascontiguousarray(place_prov),
        place_city=index.places[:, 1].astype(np.int32),
    )
    object.__setattr__(index, "_kernel", built)
    return built


def graduate_arrays(grads: GraduateArrays) -> tuple[np.ndarray, ...]:
    """The graduate columns the kernel reads, in its argument order (kept on the arrays)."""
    cached = getattr(grads, "_kernel", None)
    if cached is not None:
        return cached
    built = (
        grads.level.astype(np.int8),
        grads.rank.astype(np.int8),
        grads.entry.astype(np.int32),
        np.ascontiguousarray(grads.origin, dtype=np.int32),
        np.ascontiguousarray(grads.school, dtype=np.int32),
        np.ascontiguousarray(grads.wish, dtype=np.int32),
        grads.has_wishes.astype(np.bool_),
        np.ascontiguousarray(grads.skills, dtype=np.uint64),
        grads.skills_count.astype(np.int16),
        np.ascontiguousarray(grads.wish_work, dtype=np.uint64),
        grads.wish_work_count.astype(np.int16),
        grads.wants_internship.astype(np.bool_),
        grads.public_ok.astype(np.bool_),
        grads.parent_employer.astype(np.int64),
    )
    grads._kernel = built  # type: ignore[attr-defined]
    return built


def _args(index: PositionIndex, grads: GraduateArrays) -> tuple[Any, ...]:
    k, s = kernel_index(index), scoring()
    return (
        k.kind,
        k.place_of,
        k.min_rank,
        k.requires,
        k.slots,
        k.inferred,
        k.strength,
        k.text,
        k.employer,
        k.ids,
        k.list_ptr,
        k.list_items,
        k.row_ptr,
        k.row_place,
        k.row_list,
        k.row_nation,
        k.employers,
        k.employer_ptr,
        k.employer_items,
        k.province_ptr,
        k.place_prov,
        k.place_city,
        *graduate_arrays(grads),
        s.major,
        s.inferred,
        s.entry_class,
        s.entry_canon,
        s.entry_group,
        s.related_ptr,
        s.related,
        s.degree,
        s.degree_ok,
        s.skills,
        s.wishes,
        s.region,
        s.tier_major,
        s.weights,
    )


def exclusions(
    index: PositionIndex, grads: GraduateArrays, members: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's declined positions, as the kernel numbers them, in CSR form."""
    inv = kernel_index(index).inv
    rows = [
        [
            int(inv[index.position_of[i]])
            for i in grads.profiles[int(g)].declined
            if i in index.position_of
        ]
        for g in members
    ]
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    items = np.array([i for r in rows for i in r], dtype=np.int32)
    return ptr, items


def search(
    code: ModuleType,
    index: PositionIndex,
    grads: GraduateArrays,
    members: np.ndarray,
    limit: int,
    allowed: np.ndarray,
    parallel: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(position index numbers, fits, counts) for each member: members × limit, -1 padded."""
    members = np.ascontiguousarray(members, dtype=np.int64)
    if not parallel or len(members) < 2:
        return _run(code, index, grads, members, limit, allowed, False)
    # neighbours in a thread's run share provinces and majors, so the same lists stay in the
    # cache; the rows go back to the caller's order at the end
    order = np.lexsort((grads.entry[members], grads.level[members], grads.origin[members, 0]))
    found = _run(code, index, grads, members[order], limit, allowed, True)
    out = tuple(np.empty_like(a) for a in found)
    for mine, theirs in zip(out, found, strict=True):
        mine[order] = theirs
    return out  # type: ignore[return-value]


def _run(
    code: ModuleType,
    index: PositionIndex,
    grads: GraduateArrays,
    members: np.ndarray,
    limit: int,
    allowed: np.ndarray,
    parallel: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = kernel_index(index)
    ptr, items = exclusions(index, grads, members)
    out_idx = np.full((len(members), limit), -1, dtype=np.int32)
    out_fit = np.zeros((len(members), limit), dtype=np.float32)
    out_n = np.zeros(len(members), dtype=np.int32)
    scored = np.zeros(len(members), dtype=np.int32)
    common = (members, np.int64(limit), np.ascontiguousarray(allowed[k.perm]), ptr, items)
    rest = (*_args(index, grads), out_idx, out_fit, out_n, scored)
    if parallel:
        chunks = np.int64(min(len(members), 8 * code.threads()))
        code.search_parallel(*common, chunks, *rest)
    else:
        code.search_serial(*common, *rest)
    search.last_scored = scored  # type: ignore[attr-defined]
    found = out_idx >= 0
    out_idx[found] = k.perm[out_idx[found]]
    return out_idx, out_fit, out_n


def warm_up() -> bool:
    """Compile (or load from the cache) the kernels before requests are taken; False when the
    numpy path will run."""
    code = compiled()
    if code is None:
        return False
    posts = [
        PositionProfile(
            id=i + 1,
            kind=KINDS[i % len(KINDS)],
            title="软件开发",
            description="Python",
            employer_id=1 + i % 2,
            employer_name="单位",
            region="440100",
            major_codes=(("080901",), ()) if i % 2 else ((), ()),
        )
        for i in range(4)
    ]
    people = [
        GraduateProfile(
            id=i + 1,
            degree="benke",
            major_code="080901",
            major_text="计算机科学与技术",
            graduation_year=2026,
            origin_region="440100",
            school_region="440100",
            wish_regions=("440100",) if i else (),
            parent_employer_id=1,
        )
        for i in range(2)
    ]
    index = PositionIndex(posts)
    grads = GraduateArrays.build(people, Policy(today=date(2026, 8, 1), campaign_year=2026))
    allowed = np.ones(len(posts), dtype=bool)
    search(code, index, grads, np.arange(2), 3, allowed, parallel=True)
    search(code, index, grads, np.arange(1), 3, allowed, parallel=False)
    two = np.zeros((2, 2), dtype=np.int64)
    code.accept(two, two, np.ones(len(posts), dtype=np.int64))
    return True


def warm_up_elsewhere(timeout: float = 600) -> bool:
    """Fill the compiled-code cache from a fresh (spawned) process, leaving this one untouched.

    A process that forks workers (gunicorn's master) must not run a parallel kernel itself:
    numba's OpenMP threading layer makes every later fork() terminate the child. The workers
    then load the kernels from the cache in their own post-fork warm-up."""
    if _setting() == "numpy":
        return False
    child = multiprocessing.get_context("spawn").Process(target=warm_up, name="numba-warm-up")
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
    return child.exitcode == 0


def configure_cache(instance: str) -> None:
    """numba's compiled-code cache in the instance folder, unless NUMBA_CACHE_DIR says where
    (numba reads it when it is first imported, which `compiled()` does)."""
    os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(instance, "numba-cache"))
