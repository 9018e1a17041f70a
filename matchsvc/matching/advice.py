"""What would place a graduate the plan left unplaced, said per graduate: of the posts that still
have seats after the plan, are there some their degree fits but outside the regions they wish
(扩大求职地区), some of another kind (见习岗位), or only ones whose degree or major do not fit
(培训)? Plain Python over the profiles the plan read; the reason names the numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..models import Degree
from ..orgs.service import place_name
from .engine.placement import Plan
from .engine.profiles import GraduateProfile, PositionProfile

#: Enough to advise an officer; a plan with more unplaced graduates advises the first ones.
MAX_ADVISED = 2000


#: A degree's rank (专科 0 … 博士 3); a post asking for none asks for the lowest.
_RANK = {d.value: n for n, d in enumerate(Degree)}


def _rank(degree: str | None) -> int:
    return _RANK[degree] if degree else 0


@dataclass
class _Open:
    """The posts with seats left that a graduate of one degree may take: how many, their jobs
    by work region (in the posts' order), how many internships."""

    count: int = 0
    jobs: dict[str, int] = field(default_factory=dict)
    internships: int = 0


def _open_by_degree(free: list[PositionProfile]) -> list[_Open]:
    """`_Open` for each degree rank, read once for all the graduates a plan advises."""
    out = [_Open() for _ in _RANK]
    for p in free:
        for o in out[_rank(p.min_degree) :]:
            o.count += 1
            if p.kind == "job":
                o.jobs[p.region] = o.jobs.get(p.region, 0) + 1
            elif p.kind == "internship":
                o.internships += 1
    return out


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
    tables = _open_by_degree(free)
    for u in plan.unplaced[:MAX_ADVISED]:
        g = by_id.get(u.graduate_id)
        if g is None:
            continue
        words = _advice(g, len(free), tables)
        if words:
            u.reason = f"{u.reason}；{words}"


def advice(g: GraduateProfile, free: list[PositionProfile]) -> str:
    """One sentence of advice for one graduate, from the posts still open to take."""
    return _advice(g, len(free), _open_by_degree(free))


def _advice(g: GraduateProfile, free: int, tables: list[_Open]) -> str:
    if not free:
        return "辖区内已没有尚有空缺的岗位：可推荐技能培训，或请上级工会在更大范围安置"
    fits = tables[_rank(g.degree)]
    if not fits.count:
        label = Degree(g.degree).label
        return f"尚有空缺的 {free} 个岗位学历要求都高于其{label}：可推荐技能培训"
    near = sum(n for region, n in fits.jobs.items() if _in_wishes(region, g.wish_regions))
    if fits.jobs and not near:  # every job is outside the wished regions
        cities: Counter[str] = Counter()
        for region, n in fits.jobs.items():
            cities[_city(region)] += n
        names = "、".join(f"{place_name(c)} {n} 个" for c, n in cities.most_common(2))
        return f"其求职地区内没有空缺岗位；扩大求职地区可有机会：{names}岗位尚有空缺"
    if fits.internships and g.wants_internship:
        return f"可考虑见习岗位：{fits.internships} 个尚有空缺（本人愿意参加见习）"
    if fits.internships:
        return f"可征求本人意见，改为见习岗位：{fits.internships} 个尚有空缺"
    if near:
        return (
            f"求职地区内尚有 {near} 个空缺岗位，但专业与其“{g.major_text}”不对口："
            "可推荐相关技能培训后再匹配"
        )
    return ""
