"""Ranking: a graduate's best positions, a position's best candidates, training and business help.

`PositionIndex` holds the open positions as arrays plus inverted lists by required 专业类, 门类 and
major, so a graduate's top N is found without scoring every position in the country: candidates
are scored in order of an upper bound of their fit (from the major tier and the place), and the
search stops once the N-th best found beats the bound of everything not yet scored. The result is
exactly the top N by (priority rule, fit, id) — the same as scoring every position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import policy as P_
from .lexicon import lexicon
from .profiles import (
    KIND_LABELS,
    KINDS,
    BusinessHelp,
    GraduateProfile,
    PositionProfile,
    TrainingProfile,
)
from .rules import reason
from .score import GraduateArrays, PositionArrays, Scores, _popcount, region_score, score_pairs
from .tables import tables

#: The other components can add at most this much to the major and region parts of the fit.
_REST_MAX = P_.WEIGHTS["degree"] + P_.WEIGHTS["skills"] + P_.WEIGHTS["wishes"]


@dataclass
class Recommendation:
    kind: str  # job | internship | public | training | business
    id: int
    title: str
    employer: str
    region: str
    fit: float
    components: dict[str, float]
    rules: list[str]
    reason: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data


@dataclass
class Ranked:
    """Position indices in rank order with their fit, components and rules."""

    index: np.ndarray
    fit: np.ndarray
    scores: Scores
    rules: list[tuple[str, ...]]
    lifted: np.ndarray
    outranks: np.ndarray


API_KIND = {"job": "job", "internship": "internship", "public_welfare": "public"}


class PositionIndex:
    def __init__(self, positions: list[PositionProfile]) -> None:
        self.P = P = PositionArrays.build(positions)
        self.position_of = {p.id: i for i, p in enumerate(positions)}
        n = len(positions)
        T = tables()
        none = len(T.entries)
        prov = P.region[:, 0].astype(np.int64)
        self.lists: dict[tuple[int, ...], np.ndarray] = {}
        for lvl in range(P.slots.shape[1]):
            slots = P.slots[:, lvl, :]
            rows, cols = np.nonzero(slots != none)
            entries = slots[rows, cols].astype(np.int64)
            for tier, keys in (
                (0, T.entry_class[entries]),
                (1, T.entry_group[entries]),
                (2, entries),
            ):
                for (k, pv), arr in _group2(keys.astype(np.int64), prov[rows], rows).items():
                    self.lists[(tier, lvl, k, pv)] = arr
                for k, arr in _group(keys.astype(np.int64), rows).items():
                    self.lists[(tier, lvl, k, -1)] = arr
        unrestricted = np.nonzero(~P.requires)[0]
        for pv, arr in _group(prov[unrestricted], unrestricted).items():
            self.lists[(3, 0, 0, pv)] = arr
        self.lists[(3, 0, 0, -1)] = unrestricted
        self.by_employer = _group(P.employer, np.arange(n))
        places, place_of = np.unique(P.region.reshape(-1, 2), axis=0, return_inverse=True)
        self.places = places.reshape(-1, 2)
        self.place_of = place_of.reshape(-1)
        self.places_by_province = _group(
            self.places[:, 0].astype(np.int64), np.arange(len(self.places))
        )
        self._kind_masks: dict[frozenset[str], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.position_of)

    def kind_mask(self, kinds: Iterable[str]) -> np.ndarray:
        key = frozenset(kinds)
        if key not in self._kind_masks:
            self._kind_masks[key] = np.isin(self.P.kind, [KINDS.index(k) for k in key])
        return self._kind_masks[key]

    def allowed(
        self, kinds: Iterable[str], exclude: Iterable[int], within: np.ndarray | None
    ) -> np.ndarray:
        """Positions of these kinds, inside `within`, without the excluded ids."""
        allowed = self.kind_mask(kinds)
        if within is not None:
            allowed = allowed & within
        excluded = [self.position_of[i] for i in exclude if i in self.position_of]
        if excluded:
            allowed = allowed.copy()
            allowed[excluded] = False
        return allowed

    def top_for_graduate(
        self,
        G: GraduateArrays,
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
        T = tables()
        allowed = self.allowed(kinds, exclude, within)

        place_score, place_ok = region_score(
            G, np.full(len(self.places), g), self.places[:, 0], self.places[:, 1]
        )
        province_best: dict[int, float] = {}
        for (pv, _), score, ok in zip(self.places, place_score, place_ok, strict=True):
            if ok and score > P_.REGION_ELSEWHERE:
                province_best[int(pv)] = max(province_best.get(int(pv), 0.0), float(score))
        wishes = bool(G.has_wishes[g])
        lvl, e = int(G.level[g]), int(G.entry[g])
        tiers: list[tuple[int, int, float]] = [(3, 0, P_.MAJOR_ANY)]
        if e < len(T.entries):
            tiers += [
                (0, int(T.entry_class[e]), P_.MAJOR_SAME),
                (1, int(T.entry_group[e]), P_.MAJOR_GROUP),
                *((2, int(r), P_.MAJOR_RELATED) for r in np.nonzero(T.related[e])[0]),
            ]
        weights = P_.WEIGHTS
        buckets: list[tuple[float, np.ndarray]] = []
        for tier, key, mb in tiers:
            lv = 0 if tier == 3 else lvl
            for pv, best in province_best.items():
                arr = self.lists.get((tier, lv, key, pv))
                if arr is not None:
                    buckets.append(
                        (weights["major"] * mb + weights["region"] * best + _REST_MAX, arr)
                    )
            if not wishes:
                arr = self.lists.get((tier, lv, key, -1))
                if arr is not None:
                    bound = (
                        weights["major"] * mb + weights["region"] * P_.REGION_ELSEWHERE + _REST_MAX
                    )
                    buckets.append((bound, arr))
        # Everything else (major 0): scored only if nothing above reaches its bound.
        best_region = max(province_best.values(), default=P_.REGION_ELSEWHERE)
        rest_bound = (
            weights["region"] * (best_region if wishes else max(best_region, P_.REGION_ELSEWHERE))
            + _REST_MAX
        )
        buckets.sort(key=lambda b: -b[0])
        employer = int(G.parent_employer[g])
        chosen = [self.by_employer.get(employer, _EMPTY) if employer >= 0 else _EMPTY]
        pending = 0
        for i, (bound, arr) in enumerate(buckets):
            chosen.append(arr)
            pending += len(arr)
            next_bound = buckets[i + 1][0] if i + 1 < len(buckets) else rest_bound
            if pending < 512 and next_bound > bound - 10 and i + 1 < len(buckets):
                continue
            pending = 0
            kth = self._kth(G, g, chosen, allowed, limit)
            if kth > next_bound + 0.1:
                return self._rank(G, g, _unique(chosen, allowed), limit)
        if self._kth(G, g, chosen, allowed, limit) <= rest_bound + 0.1:
            everything = np.nonzero(allowed)[0]
            chosen.append(everything)
        return self._rank(G, g, _unique(chosen, allowed), limit)

    def top(
        self,
        G: GraduateArrays,
        g: int,
        limit: int,
        kinds: Iterable[str] = KINDS,
        exclude: Iterable[int] = (),
        within: np.ndarray | None = None,
    ) -> Ranked:
        """The same ranking as `top_for_graduate`, found by the batch path (tighter bounds), with
        the components and rules of each line."""
        allowed = self.allowed(kinds, exclude, within)
        idx, _ = batch_top(self, G, np.array([g]), limit, within=allowed)[0]
        return self._rank(G, g, np.asarray(idx, dtype=np.intp), limit)

    def _kth(
        self, G: GraduateArrays, g: int, chosen: list[np.ndarray], allowed: np.ndarray, limit: int
    ) -> float:
        idx = _unique(chosen, allowed)
        if len(idx) < limit:
            return -1.0
        sc = score_pairs(G, np.full(len(idx), g), self.P, idx)
        fit = sc.fit[sc.eligible]
        if len(fit) < limit:
            return -1.0
        return float(np.partition(fit, len(fit) - limit)[len(fit) - limit])

    def _rank(self, G: GraduateArrays, g: int, idx: np.ndarray, limit: int) -> Ranked:
        P = self.P
        sc = score_pairs(G, np.full(len(idx), g), P, idx)
        keep = sc.eligible
        idx, sc = idx[keep], _subset(sc, keep)
        same = P.employer[idx] == G.parent_employer[g]
        lifted = same & (sc.fit >= P_.PRIORITY_MIN_FIT)
        order = np.lexsort((P.ids[idx], -sc.fit, ~lifted))
        best_plain = sc.fit[~lifted].max() if (~lifted).any() else -1.0
        top = order[:limit]
        rules: list[tuple[str, ...]] = []
        for k in top:
            applied: list[str] = []
            if P.kind[idx[k]] == KINDS.index("public_welfare"):
                applied.append("public_welfare_conditions")
            if same[k]:
                applied.append("same_enterprise")
            if G.fresh[g] and P.kind[idx[k]] != KINDS.index("public_welfare"):
                applied.append("fresh_graduate")
            rules.append(tuple(applied))
        return Ranked(
            index=idx[top],
            fit=sc.fit[top],
            scores=_subset(sc, top),
            rules=rules,
            lifted=lifted[top],
            outranks=lifted[top] & (sc.fit[top] < best_plain),
        )

    def recommendations(self, G: GraduateArrays, g: int, ranked: Ranked) -> list[Recommendation]:
        out = []
        L = lexicon()
        grad = G.profiles[g]
        for k, i in enumerate(ranked.index):
            p = self.P.profiles[int(i)]
            comps = {c: round(float(v[k]), 3) for c, v in ranked.scores.components.items()}
            skills = L.names(G.skills[g] & self.P.text[int(i)])
            out.append(
                Recommendation(
                    kind=API_KIND[p.kind],
                    id=p.id,
                    title=p.title,
                    employer=p.employer_name,
                    region=p.region,
                    fit=round(float(ranked.fit[k]), 1),
                    components=comps,
                    rules=list(ranked.rules[k]),
                    reason=reason(
                        float(ranked.fit[k]),
                        comps,
                        ranked.rules[k],
                        major_name=grad.major_text,
                        skills=skills,
                        outranks=bool(ranked.outranks[k]),
                        lifted=bool(ranked.lifted[k]),
                    ),
                    extra={"kind_label": KIND_LABELS[p.kind]},
                )
            )
        return out


_EMPTY = np.zeros(0, dtype=np.intp)


def _group(keys: np.ndarray, values: np.ndarray) -> dict[int, np.ndarray]:
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    uniq, starts = np.unique(keys, return_index=True)
    ends = [*starts[1:], len(keys)]
    return {int(k): np.unique(values[s:e]) for k, s, e in zip(uniq, starts, ends, strict=True)}


def _group2(a: np.ndarray, b: np.ndarray, values: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    combined = a * 1000 + b
    return {(int(k // 1000), int(k % 1000)): v for k, v in _group(combined, values).items()}


def _unique(chosen: list[np.ndarray], allowed: np.ndarray) -> np.ndarray:
    idx = np.unique(np.concatenate(chosen)) if chosen else _EMPTY
    return idx[allowed[idx]]


def _subset(sc: Scores, sel: np.ndarray) -> Scores:
    return Scores(
        {k: v[sel] for k, v in sc.components.items()}, sc.fit[sel], sc.eligible[sel], sc.reason[sel]
    )


@dataclass
class Candidate:
    graduate_id: int
    fit: float
    components: dict[str, float]
    rules: list[str]
    reason: str
    lifted: bool


def rank_candidates(
    G: GraduateArrays, P: PositionArrays, p: int, limit: int | None = None
) -> list[Candidate]:
    """A position's candidates among the given graduates: unemployed, eligible, ranked by
    (本企业子女, 应届, fit, id), each rule lifting only at `PRIORITY_MIN_FIT` or above."""
    gi = np.nonzero(G.unemployed)[0]
    sc = score_pairs(G, gi, P, np.full(len(gi), p))
    keep = sc.eligible
    gi, sc = gi[keep], _subset(sc, keep)
    order, same, _fresh, lifted = candidate_order(G, gi, P, p, sc.fit)
    best_plain = sc.fit[~lifted].max() if (~lifted).any() else -1.0
    top = order if limit is None else order[:limit]
    kind = P.profiles[p].kind
    out = []
    for k in top:
        rules = []
        if kind == "public_welfare":
            rules.append("public_welfare_conditions")
        if same[k]:
            rules.append("same_enterprise")
        if G.fresh[gi[k]] and kind != "public_welfare":
            rules.append("fresh_graduate")
        comps = {c: round(float(v[k]), 3) for c, v in sc.components.items()}
        grad = G.profiles[int(gi[k])]
        out.append(
            Candidate(
                graduate_id=grad.id,
                fit=round(float(sc.fit[k]), 1),
                components=comps,
                rules=rules,
                reason=reason(
                    float(sc.fit[k]),
                    comps,
                    tuple(rules),
                    major_name=grad.major_text,
                    skills=lexicon().names(G.skills[gi[k]] & P.text[p]),
                    outranks=bool(lifted[k] and sc.fit[k] < best_plain),
                    lifted=bool(lifted[k]),
                ),
                lifted=bool(lifted[k]),
            )
        )
    return out


def candidate_order(
    G: GraduateArrays, gi: np.ndarray, P: PositionArrays, p: int, fit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How a position ranks graduates: 本企业子女 first, then 应届 (each only at the priority
    floor or above), then fit, then the lower id. Returns the order and the rule masks."""
    same = G.parent_employer[gi] == P.employer[p]
    floor = fit >= P_.PRIORITY_MIN_FIT
    fresh = G.fresh[gi] & (P.kind[p] != KINDS.index("public_welfare"))
    same_l, fresh_l = same & floor, fresh & floor
    order = np.lexsort((G.ids[gi], -fit, ~fresh_l, ~same_l))
    return order, same, fresh_l, same_l | fresh_l


def training_recommendations(
    grad: GraduateProfile,
    G: GraduateArrays,
    g: int,
    offers: list[TrainingProfile],
    kind: str,
    limit: int,
) -> list[Recommendation]:
    """Skill training (kind "skill") or entrepreneurship training (kind "business") with open seats,
    ranked by how the course's skills fit the graduate's major, skills and wishes, and by place."""
    from ..majors.normalize import similarity  # local: the catalogue loads only when needed

    L = lexicon()
    offers = [o for o in offers if o.kind == kind and o.seats_left > 0]
    if not offers:
        return []
    places = np.array([[*_parts(o.region)] for o in offers], dtype=np.int32)
    region, connected = region_score(G, np.full(len(offers), g), places[:, 0], places[:, 1])
    entry = tables().entries[G.entry[g]] if G.entry[g] < len(tables().entries) else None
    out = []
    for k, o in enumerate(offers):
        if not connected[k]:  # a course far from every region the graduate named
            continue
        taught = L.mask(f"{o.name} {o.skills} {o.certificate or ''}")
        matched = L.names(G.skills[g] & taught)
        wished = L.names(G.wish_work[g] & taught)
        major_text = max(
            similarity(grad.major_text, o.skills),
            similarity(entry.class_name, o.skills) if entry else 0,
        )
        comps = {
            "major": round(min(1.0, major_text / 100), 3),
            "region": round(float(region[k]), 3),
            "skills": round(
                P_.SKILLS_NONE_STATED
                + (1 - P_.SKILLS_NONE_STATED) * min(1.0, len(matched) / P_.SKILLS_FULL_AT),
                3,
            ),
            "wishes": P_.WISH_MET
            if (grad.wants_training or (grad.wants_business and kind == "business") or wished)
            else P_.WISH_OTHER,
        }
        weights = {c: P_.WEIGHTS[c] for c in comps}
        fit = 100 * sum(weights[c] * comps[c] for c in comps) / sum(weights.values())
        rules = ["fresh_graduate"] if G.fresh[g] else []
        if kind == "business":
            rules.append("entrepreneurship")
        out.append(
            Recommendation(
                kind="training" if kind == "skill" else "business",
                id=o.id,
                title=o.name,
                employer=o.org_name,
                region=o.region,
                fit=round(fit, 1),
                components=comps,
                rules=rules,
                reason=reason(fit, comps, tuple(rules), skills=matched or wished),
                extra={
                    "kind_label": "就业技能培训" if kind == "skill" else "创业培训",
                    "seats_left": o.seats_left,
                },
            )
        )
    out.sort(key=lambda r: (-r.fit, r.id))
    return out[:limit]


def business_help(
    grad: GraduateProfile, fresh: bool, helpers: list[BusinessHelp]
) -> list[Recommendation]:
    """The orgs that give 创业指导 and 小额担保贷款 to this graduate, nearest first."""
    out = []
    for rank, h in enumerate(helpers):
        rules = ["entrepreneurship"]
        text = f"可向{h.org_name}申请创业指导和小额担保贷款"
        if h.services_given:
            text += f"（该组织已提供相关帮扶 {h.services_given} 次）"
        out.append(
            Recommendation(
                kind="business",
                id=h.org_id,
                title="创业指导与小额担保贷款",
                employer=h.org_name,
                region=h.region,
                fit=round(100.0 - 10 * rank, 1),
                components={"region": round(1.0 - 0.1 * rank, 3)},
                rules=rules,
                reason=text + "。优先规则：" + "有创业意愿，优先提供创业指导、培训和小额担保贷款。",
                extra={"kind_label": "创业指导与贷款"},
            )
        )
    return out


def _parts(code: str) -> tuple[int, int]:
    from .profiles import region_parts

    return region_parts(code)


# ---------------------------------------------------------------------------------------------
# Many graduates at once (full recompute, placement)

_CHUNK = 512
_FIRST_ROUND = 1  # × limit candidates scored first, by upper bound


def batch_top(
    index: PositionIndex,
    G: GraduateArrays,
    members: np.ndarray,
    limit: int,
    within: np.ndarray | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each member's top `limit` (position indices, fits), exactly as `top_for_graduate` ranks them.

    For each graduate the candidates are the positions, in the provinces they are connected to,
    that require their 专业类, 门类 or a related major, or none; each has an upper bound of its
    fit from its major tier and its place. The best few by bound are scored first, then every
    candidate whose bound still beats the graduate's `limit`-th best — for hundreds of graduates in
    one `score_pairs` call. A graduate whose `limit`-th best does not beat the bound of what was
    never a candidate (positions requiring an unrelated major; other provinces) is ranked by
    `top_for_graduate` instead, so the result is always exact.
    """
    allowed = np.ones(len(index.P.ids), dtype=bool) if within is None else within
    present = {int(v) for v in np.unique(index.P.region[allowed, 0])}
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for start in range(0, len(members), _CHUNK):
        chunk = [int(g) for g in members[start : start + _CHUNK]]
        out += _batch_chunk(index, G, chunk, limit, allowed, present)
    return out


def _place_regions(
    G: GraduateArrays, g: int, provinces: np.ndarray, cities: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`region_score` for one graduate over a few places (a plain loop beats array calls here)."""
    wish = G.wish[g].tolist()
    wish_cities = {c for p, c in wish if c >= 0}
    wish_provinces = {p for p, c in wish if p >= 0 and c < 0}
    near = {p for p, _ in wish if p >= 0}
    (op, oc), (sp, sc) = G.origin[g].tolist(), G.school[g].tolist()
    out = []
    for p, c in zip(provinces.tolist(), cities.tolist(), strict=True):
        if c >= 0 and c in wish_cities:
            v = P_.REGION_WISH_CITY
        elif p in wish_provinces:
            v = P_.REGION_WISH_PROVINCE
        elif c >= 0 and c == oc:
            v = P_.REGION_ORIGIN_CITY
        elif c >= 0 and c == sc:
            v = P_.REGION_SCHOOL_CITY
        elif p == op or p in near:
            v = P_.REGION_ORIGIN_PROVINCE
        elif p == sp:
            v = P_.REGION_SCHOOL_PROVINCE
        else:
            v = 0.0
        out.append(v)
    score = np.array(out, dtype=np.float32)
    connected = score > 0
    return np.where(connected, score, np.float32(P_.REGION_ELSEWHERE)), connected | (
        not G.has_wishes[g]
    )


def _candidates(
    index: PositionIndex,
    G: GraduateArrays,
    g: int,
    allowed: np.ndarray,
    present: set[int],
    seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(positions, their fit bounds, the bound of everything not a candidate), no duplicates."""
    T = tables()
    provinces = {int(v) for v in G.wish[g, :, 0] if v >= 0} | {
        int(G.origin[g, 0]),
        int(G.school[g, 0]),
    }
    provinces &= present
    others = bool(present - provinces)
    lvl, e = int(G.level[g]), int(G.entry[g])
    employer = int(G.parent_employer[g])
    keys: list[tuple[int, int, int, float]] = [(3, 0, 0, P_.MAJOR_ANY)]
    if e < len(T.entries):
        keys.insert(0, (0, lvl, int(T.entry_class[e]), P_.MAJOR_SAME))
        keys.append((1, lvl, int(T.entry_group[e]), P_.MAJOR_GROUP))
        keys += [(2, lvl, int(r), P_.MAJOR_RELATED) for r in np.nonzero(T.related[e])[0]]
    places = [index.places_by_province[pv] for pv in provinces if pv in index.places_by_province]
    wishes = bool(G.has_wishes[g])
    # places not connected: ineligible for those who named regions, else "elsewhere"
    region = np.full(len(index.places), -10.0 if wishes else P_.REGION_ELSEWHERE, dtype=np.float32)
    best_region = P_.REGION_ELSEWHERE
    if places:
        pl = np.concatenate(places)
        score, ok = _place_regions(G, g, index.places[pl, 0], index.places[pl, 1])
        region[pl] = np.where(ok, score, -10.0)  # not connected: never eligible
        best_region = float(score[ok].max()) if ok.any() else P_.REGION_ELSEWHERE
    arrays, bounds = [], []
    if employer >= 0 and employer in index.by_employer:
        extra = index.by_employer[employer]
        extra = extra[allowed[extra] & ~seen[extra]]
        seen[extra] = True
        arrays.append(extra)
        bounds.append(np.full(len(extra), 1000.0, dtype=np.float32))  # always scored
    nationwide = others and not wishes
    for tier, lv, key, mb in keys:
        # those who named no region: positions of their own 专业类 anywhere in the country too
        for pv in [*provinces, -1] if (nationwide and tier == 0) else provinces:
            arr = index.lists.get((tier, lv, key, pv))
            if arr is None:
                continue
            arr = arr[allowed[arr] & ~seen[arr]]
            seen[arr] = True
            arrays.append(arr)
            bounds.append(
                P_.WEIGHTS["major"] * mb
                + P_.WEIGHTS["region"] * region[index.place_of[arr]]
                + _REST_MAX
            )
    cand = np.concatenate(arrays) if arrays else _EMPTY
    seen[cand] = False
    bound = np.concatenate(bounds).astype(np.float32) if bounds else np.zeros(0, dtype=np.float32)
    bound += _rest_part(index.P, G, g, cand) - _REST_MAX
    declined = [index.position_of[i] for i in G.profiles[g].declined if i in index.position_of]
    if declined:
        keep = ~np.isin(cand, declined)
        cand, bound = cand[keep], bound[keep]
    left_out = P_.WEIGHTS["region"] * best_region + _REST_MAX
    if nationwide:  # other provinces' positions outside the graduate's 专业类
        left_out = max(
            left_out,
            P_.WEIGHTS["major"] * P_.MAJOR_ANY
            + P_.WEIGHTS["region"] * P_.REGION_ELSEWHERE
            + _REST_MAX,
        )
    return cand, bound, left_out


def _rest_part(P: PositionArrays, G: GraduateArrays, g: int, cand: np.ndarray) -> np.ndarray:
    """Degree, skills and wishes of the fit exactly (as `score_pairs` has them), and -1000 where
    the pair is not eligible for degree or the public-welfare conditions: tightens the bounds."""
    w = P_.WEIGHTS
    min_rank, rank = P.min_rank[cand], G.rank[g]
    degree = np.where((min_rank >= 0) & (rank - min_rank >= 2), P_.DEGREE_OVER, 1.0)
    count = int(G.skills_count[g])
    text = P.text[cand]
    if count:
        matched = _popcount(G.skills[g] & text)
        skills = P_.SKILLS_NONE_STATED + (1 - P_.SKILLS_NONE_STATED) * np.minimum(
            1.0, matched / max(1, min(P_.SKILLS_FULL_AT, count))
        )
    else:
        skills = np.full(len(cand), P_.SKILLS_NONE_STATED)
    kind = P.kind[cand]
    if G.wish_work_count[g]:
        other = np.where(_popcount(G.wish_work[g] & text) > 0, P_.WISH_MET, P_.WISH_OTHER)
    else:
        other = np.full(len(cand), P_.WISH_NONE_STATED)
    wishes = np.where(
        kind == KINDS.index("internship"),
        P_.WISH_MET if G.wants_internship[g] else P_.WISH_OTHER,
        other,
    )
    rest = w["degree"] * degree + w["skills"] * skills + w["wishes"] * wishes + 0.01
    bad = ((min_rank >= 0) & (rank < min_rank)) | (
        (kind == KINDS.index("public_welfare")) & (not G.public_ok[g])
    )
    return np.where(bad, -1000.0, rest).astype(np.float32)


def _batch_chunk(
    index: PositionIndex,
    G: GraduateArrays,
    chunk: list[int],
    limit: int,
    allowed: np.ndarray,
    present: set[int],
) -> list[tuple[np.ndarray, np.ndarray]]:
    P = index.P
    cands, bounds, left_outs = [], [], []
    seen = np.zeros(len(P.ids), dtype=bool)
    for g in chunk:
        cand, bound, left_out = _candidates(index, G, g, allowed, present, seen)
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
                    else -1.0
                )
                sel = ~taken[k] & (bound > kth - 0.1)
            taken[k] |= sel
            picks.append(cand[sel])
        sizes = [len(x) for x in picks]
        if sum(sizes) == 0:
            continue
        gi = np.repeat(np.array(chunk, dtype=np.intp), sizes)
        pi = np.concatenate(picks)
        sc = score_pairs(G, gi, P, pi)
        offsets = np.cumsum([0, *sizes])
        for k in range(len(chunk)):
            lo, hi = offsets[k], offsets[k + 1]
            if hi > lo:
                scored_idx[k].append(pi[lo:hi])
                scored_fit[k].append(sc.fit[lo:hi])
                scored_ok[k].append(sc.eligible[lo:hi])
    out = []
    for k, g in enumerate(chunk):
        idx = np.concatenate(scored_idx[k]) if scored_idx[k] else _EMPTY
        fit = np.concatenate(scored_fit[k]) if scored_fit[k] else np.zeros(0, dtype=np.float32)
        ok = np.concatenate(scored_ok[k]) if scored_ok[k] else np.zeros(0, dtype=bool)
        idx, fit = idx[ok], fit[ok]
        kth = np.partition(fit, len(fit) - limit)[len(fit) - limit] if len(fit) >= limit else -1.0
        if kth <= left_outs[k] + 0.1:
            out.append(_single(index, G, g, limit, allowed))
            continue
        lifted = (P.employer[idx] == G.parent_employer[g]) & (fit >= P_.PRIORITY_MIN_FIT)
        order = np.lexsort((P.ids[idx], -fit, ~lifted))[:limit]
        out.append((idx[order], fit[order]))
    return out


def _single(
    index: PositionIndex, G: GraduateArrays, g: int, limit: int, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    ranked = index.top_for_graduate(G, g, limit, exclude=G.profiles[g].declined, within=allowed)
    return ranked.index, ranked.fit
