"""Training courses and entrepreneurship help: ranked by how a course's skills fit the graduate,
and the orgs that give 创业指导 and 小额担保贷款."""

from __future__ import annotations

import numpy as np

from ...majors.normalize import similarity
from .lexicon import lexicon
from .policy import SKILLS_FULL_AT, SKILLS_NONE_STATED, WEIGHTS, WISH_MET, WISH_OTHER
from .profiles import BusinessHelp, GraduateProfile, TrainingProfile, region_parts
from .results import Recommendation
from .rules import RULE_LABELS, reason
from .score import GraduateArrays, region_score
from .tables import tables


def training_recommendations(
    grad: GraduateProfile,
    grads: GraduateArrays,
    g: int,
    offers: list[TrainingProfile],
    kind: str,
    limit: int,
) -> list[Recommendation]:
    """Skill training (kind "skill") or entrepreneurship training (kind "business") with open seats,
    ranked by how the course's skills fit the graduate's major, skills and wishes, and by place."""
    terms = lexicon()
    offers = [o for o in offers if o.kind == kind and o.seats_left > 0]
    if not offers:
        return []
    places = np.array([[*region_parts(o.region)] for o in offers], dtype=np.int32)
    region, connected = region_score(grads, np.full(len(offers), g), places[:, 0], places[:, 1])
    lookup = tables()
    entry = lookup.entries[grads.entry[g]] if grads.entry[g] < len(lookup.entries) else None
    out = []
    for k, o in enumerate(offers):
        if not connected[k]:  # a course far from every region the graduate named
            continue
        taught = terms.mask(f"{o.name} {o.skills} {o.certificate or ''}")
        matched = terms.names(grads.skills[g] & taught)
        wished = terms.names(grads.wish_work[g] & taught)
        major_text = max(
            similarity(grad.major_text, o.skills),
            similarity(entry.class_name, o.skills) if entry else 0,
        )
        comps = {
            "major": round(min(1.0, major_text / 100), 3),
            "region": round(float(region[k]), 3),
            "skills": round(
                SKILLS_NONE_STATED
                + (1 - SKILLS_NONE_STATED) * min(1.0, len(matched) / SKILLS_FULL_AT),
                3,
            ),
            "wishes": WISH_MET
            if (grad.wants_training or (grad.wants_business and kind == "business") or wished)
            else WISH_OTHER,
        }
        weights = {c: WEIGHTS[c] for c in comps}
        fit = 100 * sum(weights[c] * comps[c] for c in comps) / sum(weights.values())
        rules = ["fresh_graduate"] if grads.fresh[g] else []
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


def business_help(grad: GraduateProfile, helpers: list[BusinessHelp]) -> list[Recommendation]:
    """The orgs that give 创业指导 and 小额担保贷款 to this graduate, nearest first."""
    out = []
    for rank, h in enumerate(helpers):
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
                rules=["entrepreneurship"],
                reason=text + "。优先规则：" + RULE_LABELS["entrepreneurship"] + "。",
                extra={"kind_label": "创业指导与贷款"},
            )
        )
    return out
