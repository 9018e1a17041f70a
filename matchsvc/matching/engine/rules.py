"""The notice's priority rules, named, in the order they apply, and the Chinese explanations.

1. `public_welfare_conditions` — 公益性岗位 go only to graduates who meet the deployment's
   conditions (policy.py), and to them first: nobody else is offered or proposed for such a post.
2. `same_enterprise` — a graduate whose parent works at the employer comes first for that
   employer's posts (SOEs above all): in the graduate's list and in the position's candidates.
3. `fresh_graduate` — fresh graduates (graduation year = campaign year) come first for job
   information, training and internships: in a position's candidates and a course's list.
4. `entrepreneurship` — those who want to start a business are shown entrepreneurship training and
   the org that gives 创业指导 and 小额担保贷款; others are not.

Rules 2 and 3 lift a recommendation only when its fit is at least `PRIORITY_MIN_FIT`; below it the
rule is named but does not lift. Where a lifted item ends above one with a higher fit, its
explanation says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .policy import (
    LIST_MIN_FIT,
    MAJOR_ANY,
    MAJOR_CLASS,
    MAJOR_GROUP,
    MAJOR_RELATED,
    MAJOR_SAME,
    PRIORITY_MIN_FIT,
)

RULE_LABELS = {
    "public_welfare_conditions": "符合公益性岗位安置条件，优先安排",
    "same_enterprise": "父母在该单位工作，本企业困难职工家庭子女优先安置",
    "fresh_graduate": "应届毕业生优先提供就业信息、培训和见习",
    "entrepreneurship": "有创业意愿，优先提供创业指导、培训和小额担保贷款",
}
RULE_ORDER = tuple(RULE_LABELS)

MAJOR_WORDS = {
    MAJOR_SAME: "专业对口",
    MAJOR_CLASS: "专业同属一个专业类",
    MAJOR_ANY: "岗位专业不限",
    MAJOR_RELATED: "专业相近",
    MAJOR_GROUP: "专业仅同属一个门类",
}
REGION_WORDS = {
    1.0: "工作地在意向城市",
    0.9: "工作地在意向省份",
    0.8: "工作地在生源地",
    0.7: "工作地在院校所在城市",
    0.6: "工作地在生源地或意向城市所在省份",
    0.5: "工作地在院校所在省份",
    0.1: "工作地不在意向地区、生源地或院校所在地",
}


def inferred_note(classes: list[str], value: float, strength: float) -> str:
    """How a post naming no major was judged: "按岗位名称推断：计算机类（与本人专业相符）"."""
    from_where = "岗位名称" if strength >= 0.8 else "岗位描述"
    if value > 0.6 + 1e-6:
        fit = "与本人专业相符"
    elif value < 0.6 - 1e-6:
        fit = "与本人专业不同"
    else:
        fit = "岗位专业不限"
    return f"按{from_where}推断：{'、'.join(classes[:4])}（{fit}）"


INELIGIBLE = {
    1: "学历低于岗位要求",
    2: "工作地不在意向地区、生源地或院校所在地",
    3: "不符合公益性岗位安置条件",
    4: f"总体匹配度低于 {LIST_MIN_FIT:.0f} 分，不列入推荐",
}


@dataclass(frozen=True)
class Applied:
    rules: tuple[str, ...]
    lifted: bool


def lifts(fit: float) -> bool:
    return fit >= PRIORITY_MIN_FIT


def _word(table: dict[float, str], value: float) -> str | None:
    for level, word in table.items():
        if abs(value - level) < 1e-6:
            return word
    return None


def reason(
    fit: float,
    components: dict[str, float],
    rules: tuple[str, ...],
    *,
    major_name: str | None = None,
    skills: list[str] | None = None,
    outranks: bool = False,
    lifted: bool = False,
    major_note: str | None = None,
) -> str:
    """The sentence the UI shows: fit, each component in words, then the rules that applied.
    `major_note` says how the major was judged when the post names none (its title's 专业类)."""
    parts: list[str] = []
    major = _word(MAJOR_WORDS, components.get("major", -1))
    if major_note:
        parts.append(major_note)
    elif major:
        parts.append(f"{major}（{major_name}）" if major_name and major == "专业对口" else major)
    elif "major" in components:
        parts.append("专业不对口")
    if "degree" in components:
        parts.append("学历高于要求" if components["degree"] < 1 else "学历符合要求")
    region = _word(REGION_WORDS, components.get("region", -1))
    if region:
        parts.append(region)
    if skills:
        parts.append("技能证书匹配：" + "、".join(skills))
    if components.get("wishes", 0) >= 1:
        parts.append("符合本人意愿")
    text = f"匹配度 {fit:.1f}：" + "；".join(parts) + "。"
    if rules:
        text += "优先规则：" + "；".join(RULE_LABELS[r] for r in rules)
        if outranks and lifted:
            text += "（因此排在匹配度更高的推荐之前）"
        elif (
            any(r in ("same_enterprise", "fresh_graduate") for r in rules)
            and fit < PRIORITY_MIN_FIT
        ):
            text += f"（匹配度不到 {PRIORITY_MIN_FIT:.0f} 分，这条优先暂不起作用）"
        text += "。"
    return text
