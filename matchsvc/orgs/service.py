"""The org tree: shipped reference data (GB/T 2260) and counties added by officers."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import areacodes
from ..actors import Actor
from ..areacodes import Region
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import org_in_region
from ..models import HQ_CODE, Org, OrgLevel
from ..validators import parse_region_code

HQ_NAME = "中华全国总工会"


def regions() -> dict[str, Region]:
    """GB/T 2260 divisions (民政部, 2024) down to county level, from the package data."""
    return areacodes.current()


@cache
def _children() -> dict[str, list[Region]]:
    out: dict[str, list[Region]] = {}
    for region in regions().values():
        out.setdefault(region.parent, []).append(region)
    for kids in out.values():
        kids.sort(key=lambda r: r.code)
    return out


def region_children(code: str) -> list[Region]:
    """The divisions directly under a code (000000: the provinces), in code order."""
    return _children().get(code, [])


def region_path(code: str | None) -> list[Region]:
    """Province → city → county down to the code (a municipality's districts sit under the
    province); empty for an unknown code or 全国."""
    path: list[Region] = []
    table = regions()
    while code and code in table:
        path.insert(0, table[code])
        code = table[code].parent
    return path


def region_name(code: str | None) -> str:
    if not code:
        return ""
    if code == HQ_CODE:
        return "全国"
    region = regions().get(code)
    if region:
        return region.name
    past = areacodes.describe(code)  # as papers carry it: 371202 莱城区（2019年起为济南市莱芜区）
    if past:
        return f"{code} {past}"
    counted = areacodes.counted_as(code)  # a municipality's 市辖区 row: the municipality
    return regions()[counted].name if counted in regions() else code


def place_name(code: str | None) -> str:
    """A work place as people say it: a district with its city (广州市海珠区), a city with its
    province (广东省广州市), a municipality's district (北京市朝阳区), a province by its name."""
    path = region_path(code)
    if len(path) <= 1:
        return region_name(code)
    return "".join(r.name for r in path[1:]) if len(path) == 3 else path[0].name + path[-1].name


def union_name(region: Region) -> str:
    return f"{region.name}总工会"


def seed_orgs(session: Session) -> int:
    """Create HQ and every shipped org that is missing; returns how many were created."""
    existing = dict(session.execute(select(Org.code, Org.id)).all())
    created = 0
    if HQ_CODE not in existing:
        hq = Org(code=HQ_CODE, name=HQ_NAME, level=OrgLevel.HQ, path=f"/{HQ_CODE}/")
        session.add(hq)
        session.flush()
        existing[HQ_CODE] = hq.id
        created += 1
    paths = dict(session.execute(select(Org.code, Org.path)).all())
    # Parents sort before children: provinces, then cities, then 省直辖县.
    order = {"province": 0, "city": 1, "county": 2}
    for region in sorted(regions().values(), key=lambda r: (order[r.level], r.code)):
        if not region.shipped or region.code in existing:
            continue
        parent_code = region.parent
        org = Org(
            code=region.code,
            name=union_name(region),
            level=OrgLevel.PROVINCE
            if region.level == "province"
            else OrgLevel.CITY
            if region.level == "city"
            else OrgLevel.COUNTY,
            parent_id=existing[parent_code],
            path=f"{paths[parent_code]}{region.code}/",
        )
        session.add(org)
        session.flush()
        existing[org.code], paths[org.code] = org.id, org.path
        created += 1
    return created


def get_org(session: Session, code: str) -> Org:
    """The org of a code, a 市辖区 row or a past code read as the division it is today."""
    org = session.scalar(select(Org).where(Org.code == (areacodes.counted_as(code) or code)))
    if org is None:
        raise NotFound(f"没有区划代码为 {code} 的工会组织")
    return org


def add_org(session: Session, actor: Actor, code: str, name: str, parent_code: str) -> Org:
    """Add an org (normally a county) below a parent within the actor's region."""
    code = parse_region_code(code)
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError("组织名称不能为空，且不超过100个字")
    parent = get_org(session, parse_region_code(parent_code))
    if not org_in_region(actor, parent):
        raise NotFound(f"没有区划代码为 {parent.code} 的工会组织，或不在您的管辖范围内")
    if session.scalar(select(Org.id).where(Org.code == code)) is not None:
        raise Conflict(f"区划代码 {code} 的工会组织已存在")
    if parent.level == OrgLevel.COUNTY:
        raise DomainError("县级工会下不能再设下级组织")
    level = {OrgLevel.HQ: OrgLevel.PROVINCE, OrgLevel.PROVINCE: OrgLevel.CITY}.get(
        parent.level, OrgLevel.COUNTY
    )
    known = regions().get(code)
    if known is not None and known.level == "county":
        level = OrgLevel.COUNTY
    org = Org(code=code, name=name, level=level, parent_id=parent.id, path=f"{parent.path}{code}/")
    session.add(org)
    session.flush()
    record(session, actor, "create", org, org_id=parent.id, details={"code": code, "name": name})
    return org


#: GB/T 2260 lists 台湾省, 香港 and 澳门, but the ACFTU has no union org there to review an
#: employer, keep an archive or host a school's region: forms never offer them.
NO_UNION_PREFIXES = ("71", "81", "82")


def org_choices(session: Session, actor: Actor | None = None) -> list[tuple[str, str]]:
    """(code, name) of the orgs in the actor's region (all orgs without an actor), tree order;
    never 台湾省, 香港 or 澳门 (NO_UNION_PREFIXES)."""
    stmt = select(Org.code, Org.name, Org.level).order_by(Org.path)
    for prefix in NO_UNION_PREFIXES:
        stmt = stmt.where(~Org.code.startswith(prefix))
    if actor is not None and not actor.is_national:
        stmt = stmt.where(Org.path.startswith(actor.org_path or "/none/", autoescape=True))
    indent = {OrgLevel.HQ: "", OrgLevel.PROVINCE: "", OrgLevel.CITY: "　", OrgLevel.COUNTY: "　　"}
    return [
        (code, f"{indent[level]}{name}（{code}）") for code, name, level in session.execute(stmt)
    ]
