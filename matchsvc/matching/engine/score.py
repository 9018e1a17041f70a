"""Fit of graduate–position pairs, computed for many pairs at once.

Graduates and positions are turned into column arrays (`GraduateArrays`, `PositionArrays`);
`score_pairs(grads, gi, posts, pi)` scores the pairs (gi[k], pi[k]) and returns each component, the fit
and whether the pair is eligible at all. The same function serves a graduate's recommendations
(one graduate, many positions), a position's candidates (many graduates, one position) and the
placement plan, so the three always agree. Weights and levels are in `policy.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from ...majors.catalogue import LEVELS
from .lexicon import lexicon
from .policy import (
    DEGREE_OVER,
    INFER_MATCH,
    INFER_NEAR,
    INFER_OTHER,
    LIST_MIN_FIT,
    MAJOR_ANY,
    MAJOR_CLASS,
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
    SKILLS_FULL_AT,
    SKILLS_NONE_STATED,
    WEIGHTS,
    WISH_MET,
    WISH_NONE_STATED,
    WISH_OTHER,
    Policy,
)
from .profiles import DEGREE_RANKS, KINDS, GraduateProfile, PositionProfile, region_parts
from .tables import tables

SLOTS = 4
INFERRED_SLOTS = 8
WISHES = 6
KIND_JOB, KIND_INTERNSHIP, KIND_PUBLIC = (
    KINDS.index(k) for k in ("job", "internship", "public_welfare")
)


def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Graduate's entries as a column and a position's as a row: every pair by broadcasting."""
    e = np.arange(n)
    return e[:, None], e[None, :]


@cache
def major_scores() -> np.ndarray:
    """Entry × entry → the major component (the last row/column: no entry, 0)."""
    lookup = tables()
    n = len(lookup.entries)
    g, s = _pairs(n)
    gcls, scls = lookup.entry_class[g], lookup.entry_class[s]
    # one notion across editions: 会计 (2015) is 大数据与会计 (2021)
    same = (lookup.entry_canon[g] == lookup.entry_canon[s]) | (
        lookup.entry_is_class[s] & (scls == gcls)
    )
    out = np.select(
        [same, scls == gcls, lookup.entry_group[s] == lookup.entry_group[g], lookup.related],
        [MAJOR_SAME, MAJOR_CLASS, MAJOR_GROUP, MAJOR_RELATED],
        0.0,
    ).astype(np.float32)
    full = np.zeros((n + 1, n + 1), dtype=np.float32)
    full[:n, :n] = out
    return full


@cache
def inferred_targets() -> np.ndarray:
    """Graduate's entry × inferred entry → the target of the major component at full strength
    (`INFER_MATCH`, `INFER_NEAR` or `INFER_OTHER`); the padding column is -1 (never the maximum
    of a row that has an inferred entry; all padding: nothing inferred on that level, 专业不限),
    the last row (no major known) `MAJOR_ANY`."""
    lookup = tables()
    n = len(lookup.entries)
    g, s = _pairs(n)
    gcls, scls = lookup.entry_class[g], lookup.entry_class[s]
    is_class = lookup.entry_is_class[s]
    match = (is_class & (scls == gcls)) | (
        ~is_class & (lookup.entry_canon[g] == lookup.entry_canon[s])
    )
    near = (lookup.entry_group[s] == lookup.entry_group[g]) | (~is_class & (scls == gcls))
    out = np.select([match, near], [INFER_MATCH, INFER_NEAR], INFER_OTHER).astype(np.float32)
    full = np.full((n + 1, n + 1), -1.0, dtype=np.float32)
    full[:n, :n] = out
    full[n, :] = MAJOR_ANY
    return full


def popcount(a: np.ndarray) -> np.ndarray:
    """Set bits per row of words (a loop over the few words beats a reduction over a tiny axis)."""
    total = np.bitwise_count(a[..., 0]).astype(np.int16)
    for w in range(1, a.shape[-1]):
        total += np.bitwise_count(a[..., w])
    return total


@dataclass
class GraduateArrays:
    profiles: list[GraduateProfile]
    ids: np.ndarray
    level: np.ndarray
    rank: np.ndarray
    entry: np.ndarray  # catalogue entry number, or the "none" sentinel
    origin: np.ndarray  # (n, 2): province, city
    school: np.ndarray
    wish: np.ndarray  # (n, WISHES, 2), -1 padded
    has_wishes: np.ndarray
    skills: np.ndarray  # (n, words) uint64
    skills_count: np.ndarray
    wish_work: np.ndarray
    wish_work_count: np.ndarray
    wants_internship: np.ndarray
    fresh: np.ndarray
    public_ok: np.ndarray
    parent_employer: np.ndarray
    unemployed: np.ndarray
    #: Offered jobs, internships and public-welfare posts (see GraduateProfile.looking).
    looking: np.ndarray

    @classmethod
    def build(cls, profiles: list[GraduateProfile], policy: Policy) -> GraduateArrays:
        lookup, terms = tables(), lexicon()
        none = len(lookup.entries)
        n = len(profiles)
        wish = np.full((n, WISHES, 2), -1, dtype=np.int32)
        skills = np.zeros((n, terms.words), dtype=np.uint64)
        wish_work = np.zeros((n, terms.words), dtype=np.uint64)
        for i, g in enumerate(profiles):
            for j, code in enumerate(g.wish_regions[:WISHES]):
                wish[i, j] = region_parts(code)
            skills[i] = terms.mask(g.skills)
            wish_work[i] = terms.mask(g.wish_work)
        entry = np.array([lookup.number(g.major_code) for g in profiles], dtype=np.int32)
        return cls(
            profiles=profiles,
            ids=np.array([g.id for g in profiles], dtype=np.int64),
            level=np.array([g.level for g in profiles], dtype=np.int8),
            rank=np.array([DEGREE_RANKS[g.degree] for g in profiles], dtype=np.int8),
            entry=np.where(entry >= 0, entry, none).astype(np.int32),
            origin=np.array(
                [region_parts(g.origin_region) for g in profiles], dtype=np.int32
            ).reshape(n, 2),
            school=np.array(
                [region_parts(g.school_region) for g in profiles], dtype=np.int32
            ).reshape(n, 2),
            wish=wish,
            has_wishes=np.array([bool(g.wish_regions) for g in profiles], dtype=bool),
            skills=skills,
            skills_count=popcount(skills).astype(np.int16),
            wish_work=wish_work,
            wish_work_count=popcount(wish_work).astype(np.int16),
            wants_internship=np.array([g.wants_internship for g in profiles], dtype=bool),
            fresh=np.array(
                [g.graduation_year == policy.campaign_year for g in profiles], dtype=bool
            ),
            public_ok=np.array([public_welfare_ok(g, policy) for g in profiles], dtype=bool),
            parent_employer=np.array(
                [g.parent_employer_id or -1 for g in profiles], dtype=np.int64
            ),
            unemployed=np.array([g.unemployed for g in profiles], dtype=bool),
            looking=np.array([g.looking for g in profiles], dtype=bool),
        )


def public_welfare_ok(g: GraduateProfile, policy: Policy) -> bool:
    """Rule 2's conditions: a listed hardship category, or unemployed long enough after school."""
    if g.hardships & policy.public_hardships:
        return True
    months = policy.public_unemployed_months
    return bool(
        months is not None
        and g.unemployed
        and policy.months_since_school(g.graduation_year) >= months
    )


@dataclass
class PositionArrays:
    profiles: list[PositionProfile]
    ids: np.ndarray
    kind: np.ndarray
    region: np.ndarray  # (n, 2): province, city
    min_rank: np.ndarray
    slots: np.ndarray  # (n, 2 levels, SLOTS) entry numbers, sentinel padded
    requires: np.ndarray
    text: np.ndarray  # lexicon mask of title + description
    employer: np.ndarray
    #: For posts naming no major: inferred entries per level (sentinel padded) and strength.
    inferred: np.ndarray  # (n, 2 levels, INFERRED_SLOTS)
    inferred_strength: np.ndarray  # (n,) float32, 0 where nothing is inferred

    @classmethod
    def build(cls, profiles: list[PositionProfile]) -> PositionArrays:
        lookup, terms = tables(), lexicon()
        none = len(lookup.entries)
        n = len(profiles)
        slots = np.full((n, len(LEVELS), SLOTS), none, dtype=np.int32)
        inferred = np.full((n, len(LEVELS), INFERRED_SLOTS), none, dtype=np.int32)
        strength = np.zeros(n, dtype=np.float32)
        text = np.zeros((n, terms.words), dtype=np.uint64)
        requires = np.array(
            [bool(p.major_texts or any(p.major_codes)) for p in profiles], dtype=bool
        )
        for i, p in enumerate(profiles):
            for lvl, codes in enumerate(p.major_codes):
                numbers = [lookup.number(c) for c in codes]
                numbers = [x for x in numbers if x >= 0][:SLOTS]
                slots[i, lvl, : len(numbers)] = numbers
            if not requires[i] and p.inferred_strength > 0:
                for lvl, keys in enumerate(p.inferred):
                    numbers = [x for x in (lookup.number(k) for k in keys) if x >= 0]
                    inferred[i, lvl, : len(numbers[:INFERRED_SLOTS])] = numbers[:INFERRED_SLOTS]
                strength[i] = p.inferred_strength
            text[i] = terms.mask(f"{p.title} {p.description or ''}")
        used = max(1, int((slots != none).sum(axis=2).max())) if n else 1
        slots = np.ascontiguousarray(slots[:, :, :used])
        used = max(1, int((inferred != none).sum(axis=2).max())) if n else 1
        inferred = np.ascontiguousarray(inferred[:, :, :used])
        return cls(
            profiles=profiles,
            ids=np.array([p.id for p in profiles], dtype=np.int64),
            kind=np.array([KINDS.index(p.kind) for p in profiles], dtype=np.int8),
            region=np.array([region_parts(p.region) for p in profiles], dtype=np.int32).reshape(
                n, 2
            ),
            min_rank=np.array(
                [DEGREE_RANKS[p.min_degree] if p.min_degree else -1 for p in profiles],
                dtype=np.int8,
            ),
            slots=slots,
            requires=requires,
            text=text,
            employer=np.array([p.employer_id for p in profiles], dtype=np.int64),
            inferred=inferred,
            inferred_strength=strength,
        )


@dataclass
class Scores:
    components: dict[str, np.ndarray]
    fit: np.ndarray
    eligible: np.ndarray
    #: Why a pair is not eligible: 0 eligible, 1 degree, 2 region, 3 public-welfare conditions,
    #: 4 a fit below the listing floor (LIST_MIN_FIT).
    reason: np.ndarray

    def subset(self, sel: np.ndarray) -> Scores:
        """The pairs selected by a mask or an index array."""
        return Scores(
            {k: v[sel] for k, v in self.components.items()},
            self.fit[sel],
            self.eligible[sel],
            self.reason[sel],
        )


def region_score(
    grads: GraduateArrays, gi: np.ndarray, province: np.ndarray, city: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The region component and whether the place is connected to the graduate at all."""
    wish = grads.wish[gi]  # (n, W, 2)
    wp, wc = wish[..., 0], wish[..., 1]
    prov, cty = province[:, None], city[:, None]
    wish_city = ((wc == cty) & (wc >= 0)).any(axis=1)
    wish_prov = ((wp == prov) & (wc < 0) & (wp >= 0)).any(axis=1)
    near_wish = ((wp == prov) & (wp >= 0)).any(axis=1)
    o, s = grads.origin[gi], grads.school[gi]
    score = np.select(
        [
            wish_city,
            wish_prov,
            (o[:, 1] == city) & (city >= 0),
            (s[:, 1] == city) & (city >= 0),
            (o[:, 0] == province) | near_wish,
            s[:, 0] == province,
        ],
        [
            REGION_WISH_CITY,
            REGION_WISH_PROVINCE,
            REGION_ORIGIN_CITY,
            REGION_SCHOOL_CITY,
            REGION_ORIGIN_PROVINCE,
            REGION_SCHOOL_PROVINCE,
        ],
        0.0,
    )
    connected = score > 0
    score = np.where(connected, score, REGION_ELSEWHERE)
    return score.astype(np.float32), connected | ~grads.has_wishes[gi]


def major_part(
    grads: GraduateArrays, gi: np.ndarray, posts: PositionArrays, pi: np.ndarray
) -> np.ndarray:
    level = grads.level[gi].astype(np.intp)
    flat_slots = posts.slots.reshape(-1, posts.slots.shape[2])
    slots = flat_slots[
        pi * posts.slots.shape[1] + level
    ]  # (n, slots): the graduate's level's codes
    table = major_scores()
    # one flat gather: row (the graduate's major) × width + column (a required major)
    flat = grads.entry[gi].astype(np.intp)[:, None] * table.shape[1] + slots
    values = table.ravel()[flat]
    ms = values[:, 0]
    for k in range(1, values.shape[1]):  # columns, not a reduction over a tiny axis
        ms = np.maximum(ms, values[:, k])
    return np.where(posts.requires[pi], ms, inferred_part(grads, gi, posts, pi))


def inferred_part(
    grads: GraduateArrays, gi: np.ndarray, posts: PositionArrays, pi: np.ndarray
) -> np.ndarray:
    """The major component of posts naming no major: `MAJOR_ANY`, moved towards the inference's
    target by its strength (policy.py)."""
    strength = posts.inferred_strength[pi]
    if not strength.any():
        return np.full(len(pi), MAJOR_ANY, dtype=np.float32)
    level = grads.level[gi].astype(np.intp)
    flat = posts.inferred.reshape(-1, posts.inferred.shape[2])
    slots = flat[pi * posts.inferred.shape[1] + level]
    table = inferred_targets()
    values = table.ravel()[grads.entry[gi].astype(np.intp)[:, None] * table.shape[1] + slots]
    target = values[:, 0]
    for k in range(1, values.shape[1]):
        target = np.maximum(target, values[:, k])
    target = np.where(target < 0, np.float32(MAJOR_ANY), target)
    value = np.float32(MAJOR_ANY) + strength * (target - np.float32(MAJOR_ANY))
    return np.where(strength > 0, value, np.float32(MAJOR_ANY)).astype(np.float32)


def degree_part(min_rank: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The degree component and whether the degree meets the minimum at all."""
    ok = (min_rank < 0) | (rank >= min_rank)
    value = np.where((min_rank >= 0) & (rank - min_rank >= 2), DEGREE_OVER, 1.0)
    return value.astype(np.float32), ok


def skills_part(count: np.ndarray, matched: np.ndarray) -> np.ndarray:
    """The skills component from how many skills the graduate stated and the post names."""
    return np.where(
        count == 0,
        SKILLS_NONE_STATED,
        SKILLS_NONE_STATED
        + (1 - SKILLS_NONE_STATED)
        * np.minimum(1.0, matched / np.maximum(1, np.minimum(SKILLS_FULL_AT, count))),
    ).astype(np.float32)


def wishes_part(
    kind: np.ndarray, wants_internship: np.ndarray, stated: np.ndarray, hit: np.ndarray
) -> np.ndarray:
    """The wishes component: an internship for who wants one, the kind of work wished."""
    return np.where(
        kind == KIND_INTERNSHIP,
        np.where(wants_internship, WISH_MET, WISH_OTHER),
        np.where(~stated, WISH_NONE_STATED, np.where(hit, WISH_MET, WISH_OTHER)),
    ).astype(np.float32)


def combine(components: dict[str, np.ndarray]) -> np.ndarray:
    """The fit, 0–100 rounded to 0.1, in float32: the weighted components added in order."""
    n = len(next(iter(components.values())))
    fit: np.ndarray = sum(
        (WEIGHTS[k] * components[k] for k in WEIGHTS), np.zeros(n, dtype=np.float32)
    )
    return np.round(fit, 1).astype(np.float32)


def score_pairs(
    grads: GraduateArrays,
    gi: np.ndarray,
    posts: PositionArrays,
    pi: np.ndarray,
    *,
    major: np.ndarray | None = None,
    region: tuple[np.ndarray, np.ndarray] | None = None,
) -> Scores:
    """Score the pairs; `major` and `region` may be given precomputed (the batch path computes
    them once per distinct major and place) and must equal what this function would compute."""
    if major is None:
        major = major_part(grads, gi, posts, pi)
    degree, degree_ok = degree_part(posts.min_rank[pi], grads.rank[gi])
    region_part, connected = (
        region
        if region is not None
        else region_score(grads, gi, posts.region[pi, 0], posts.region[pi, 1])
    )
    text = posts.text[pi]
    skills = skills_part(grads.skills_count[gi], popcount(grads.skills[gi] & text))
    kind = posts.kind[pi]
    wishes = wishes_part(
        kind,
        grads.wants_internship[gi],
        grads.wish_work_count[gi] > 0,
        popcount(grads.wish_work[gi] & text) > 0,
    )
    components = {
        "major": major.astype(np.float32),
        "degree": degree,
        "region": region_part,
        "skills": skills,
        "wishes": wishes,
    }
    public_ok = (kind != KIND_PUBLIC) | grads.public_ok[gi]
    fit = combine(components)
    why = [~degree_ok, ~connected, ~public_ok, fit < LIST_MIN_FIT]
    reason = np.select(why, [1, 2, 3, 4], 0).astype(np.int8)
    return Scores(components, fit, reason == 0, reason)
