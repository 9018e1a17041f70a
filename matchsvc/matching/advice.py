"""What would place a graduate the plan left unplaced, said per graduate: of the posts that still
have seats after the plan, are there some their degree fits but outside the regions they wish
(扩大求职地区), some of another kind (见习岗位), or only ones whose degree or major do not fit
(培训)? Plain Python over the profiles the plan read; the reason names the numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ..models import Degree
from ..orgs.service import place_name
from .engine.placement import Plan
from .engine.profiles import GraduateProfile, PositionProfile

#: Enough to advise an officer; a plan with more unplaced graduates advises the first ones.
MAX_ADVISED = 2000


def _rank(degree: str | None) -> int:
    return Degree(degree).rank if degree else 0


def _prefix(code: str) -> str:
    """A region code as the prefix of what lies in it: 440000 → 44, 440100 → 4401."""
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


def _in_wishes(region: str, wishes: tuple[str, ...]) -> bool:
    return not wishes or any(region.startswith(_prefix(w)) for w in wishes)


def _city(region: str) -> str:
    """The city (or municipality) of a work region, for grouping advice."""
    return region[:4] + "00" if len(region) == 6 else region


def advise_unplaced(
    plan: Plan,
    graduates: Iterable[GraduateProfile],
    positions: Iterable[PositionProfile],
    held: Mapping[int, int],
) -> None:
    """Add to each unplaced graduate's reason what would place them."""
    given = {pid: used for pid, (_, used) in plan.capacity.items()}
    free = [
        p
        for p in positions
        if p.headcount - held.get(p.id, 0) - given.get(p.id, 0) > 0 and p.kind != "public_welfare"
    ]
    if not plan.unplaced:
        return
    by_id = {g.id: g for g in graduates}
    for u in plan.unplaced[:MAX_ADVISED]:
        g = by_id.get(u.graduate_id)
        if g is None:
            continue
        words = advice(g, free)
        if words:
            u.reason = f"{u.reason}；{words}"


def advice(g: GraduateProfile, free: list[PositionProfile]) -> str:
    """One sentence of advice for one graduate, from the posts still open to take."""
    if not free:
        return "辖区内已没有尚有空缺的岗位：可推荐技能培训，或请上级工会在更大范围安置"
    fits_degree = [p for p in free if _rank(g.degree) >= _rank(p.min_degree)]
    if not fits_degree:
        label = Degree(g.degree).label
        return f"尚有空缺的 {len(free)} 个岗位学历要求都高于其{label}：可推荐技能培训"
    jobs = [p for p in fits_degree if p.kind == "job"]
    elsewhere = [p for p in jobs if not _in_wishes(p.region, g.wish_regions)]
    if elsewhere and len(elsewhere) == len(jobs):
        cities = Counter(_city(p.region) for p in elsewhere).most_common(2)
        names = "、".join(f"{place_name(c)} {n} 个" for c, n in cities)
        return f"其求职地区内没有空缺岗位；扩大求职地区可有机会：{names}岗位尚有空缺"
    internships = [p for p in fits_degree if p.kind == "internship"]
    if internships and g.wants_internship:
        return f"可考虑见习岗位：{len(internships)} 个尚有空缺（本人愿意参加见习）"
    if internships:
        return f"可征求本人意见，改为见习岗位：{len(internships)} 个尚有空缺"
    near = [p for p in jobs if _in_wishes(p.region, g.wish_regions)]
    if near:
        return (
            f"求职地区内尚有 {len(near)} 个空缺岗位，但专业与其“{g.major_text}”不对口："
            "可推荐相关技能培训后再匹配"
        )
    return ""
