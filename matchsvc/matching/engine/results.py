"""What the engine hands back: recommendations and candidates with their components, the rules
that applied and the sentence that says why — computed for the returned items only."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ...majors.catalogue import catalogue
from .index import PositionIndex
from .lexicon import lexicon
from .policy import PRIORITY_MIN_FIT
from .profiles import KIND_LABELS, KINDS, RECOMMENDATION_KIND
from .ranking import Ranked, outranking
from .rules import inferred_note, reason
from .score import GraduateArrays, PositionArrays, score_pairs


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
    #: How far the graduate got with this post (已表示感兴趣, 推荐, 面试, 录用, 未录用); "" if nowhere.
    state: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data


def recommendations(
    index: PositionIndex, grads: GraduateArrays, g: int, ranked: Ranked
) -> list[Recommendation]:
    """The ranked positions as recommendations, each with its components and reason."""
    out = []
    for k, i in enumerate(ranked.index):
        p = index.posts.profiles[int(i)]
        comps = {c: round(float(v[k]), 3) for c, v in ranked.scores.components.items()}
        out.append(
            Recommendation(
                kind=RECOMMENDATION_KIND[p.kind],
                id=p.id,
                title=p.title,
                employer=p.employer_name,
                region=p.region,
                fit=round(float(ranked.fit[k]), 1),
                components=comps,
                rules=list(ranked.rules[k]),
                reason=explain(
                    index.posts,
                    grads,
                    g,
                    int(i),
                    float(ranked.fit[k]),
                    comps,
                    ranked.rules[k],
                    outranks=bool(ranked.outranks[k]),
                    lifted=bool(ranked.lifted[k]),
                ),
                extra={"kind_label": KIND_LABELS[p.kind]},
            )
        )
    return out


def explain(
    posts: PositionArrays,
    grads: GraduateArrays,
    g: int,
    p: int,
    fit: float,
    components: dict[str, float],
    rules: tuple[str, ...],
    *,
    outranks: bool = False,
    lifted: bool = False,
) -> str:
    """The reason for one pair in words: its components (the major as the post names it or as
    its title reads), the skills both mention, and the rules that applied."""
    return reason(
        fit,
        components,
        rules,
        major_name=grads.profiles[g].major_text,
        skills=lexicon().names(grads.skills[g] & posts.text[p]),
        outranks=outranks,
        lifted=lifted,
        major_note=major_note(posts, p, components["major"]),
    )


def major_note(posts: PositionArrays, p: int, value: float) -> str | None:
    """The reason's words for a post that names no major but whose title points to some."""
    strength = float(posts.inferred_strength[p])
    if posts.requires[p] or strength <= 0:
        return None
    profile = posts.profiles[p]
    classes = [
        e.name
        for keys in profile.inferred
        for key in keys
        if (e := catalogue().by_code(key)) is not None
    ]
    names = list(dict.fromkeys(classes))
    return inferred_note(names, value, strength) if names else None


@dataclass
class Candidate:
    graduate_id: int
    fit: float
    components: dict[str, float]
    rules: list[str]
    reason: str
    lifted: bool


def rank_candidates(
    grads: GraduateArrays, posts: PositionArrays, p: int, limit: int | None = None
) -> list[Candidate]:
    """A position's candidates among the given graduates: looking for work, eligible, ranked by
    (本企业子女, 应届, fit, id), each rule lifting only at `PRIORITY_MIN_FIT` or above."""
    gi = np.nonzero(grads.looking)[0]
    sc = score_pairs(grads, gi, posts, np.full(len(gi), p))
    keep = sc.eligible
    gi, sc = gi[keep], sc.subset(keep)
    order, same, _fresh, lifted = candidate_order(grads, gi, posts, p, sc.fit)
    chosen = order if limit is None else order[:limit]
    outranks = outranking(lifted[chosen], sc.fit[chosen])
    kind = posts.profiles[p].kind
    out = []
    for n, k in enumerate(chosen):
        rules = []
        if kind == "public_welfare":
            rules.append("public_welfare_conditions")
        if same[k]:
            rules.append("same_enterprise")
        if grads.fresh[gi[k]] and kind != "public_welfare":
            rules.append("fresh_graduate")
        comps = {c: round(float(v[k]), 3) for c, v in sc.components.items()}
        grad = grads.profiles[int(gi[k])]
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
                    skills=lexicon().names(grads.skills[gi[k]] & posts.text[p]),
                    outranks=bool(outranks[n]),
                    lifted=bool(lifted[k]),
                    major_note=major_note(posts, p, comps["major"]),
                ),
                lifted=bool(lifted[k]),
            )
        )
    return out


def candidate_order(
    grads: GraduateArrays, gi: np.ndarray, posts: PositionArrays, p: int, fit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How a position ranks graduates: 本企业子女 first, then 应届 (each only at the priority
    floor or above), then fit, then the lower id. Returns the order and the rule masks."""
    same = grads.parent_employer[gi] == posts.employer[p]
    floor = fit >= PRIORITY_MIN_FIT
    fresh = grads.fresh[gi] & (posts.kind[p] != KINDS.index("public_welfare"))
    same_l, fresh_l = same & floor, fresh & floor
    order = np.lexsort((grads.ids[gi], -fit, ~fresh_l, ~same_l))
    return order, same, fresh_l, same_l | fresh_l
