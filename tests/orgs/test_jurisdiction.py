"""The jurisdiction rule: home-org subtree edits; the school's region sees; nobody else."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.errors import Conflict, NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.jurisdiction import can_edit, get_graduate, graduate_scope
from matchsvc.models import Graduate, Role
from matchsvc.orgs.service import add_org

from ..conftest import graduate_input, make_id, officer_actor

GD, GZ, SZ, HB, WH, SC = "440000", "440100", "440300", "420000", "420100", "510000"


@pytest.fixture
def people(session: Session, hq_actor: Actor) -> dict[str, Graduate]:
    add_org(session, hq_actor, "440106", "天河区总工会", GZ)
    make = lambda key, home, school, region: register_graduate(  # noqa: E731
        session, hq_actor, graduate_input(make_id(region, seq=f"{len(key):03d}"), home, school)
    )
    return {
        # Home in 广州, studies in 武汉.
        "gz_in_wh": make("a", GZ, WH, "440106"),
        # Home in 湖北 (武汉), studies in 广州.
        "wh_in_gz": make("bb", WH, GZ, "420106"),
        # Home in 天河区 (county under 广州), studies in 深圳.
        "th_in_sz": make("ccc", "440106", SZ, "440106"),
        # Home in 仙桃 (省直辖县 under 湖北), studies in 成都.
        "xt_in_cd": make("dddd", "429004", "510100", "429004"),
    }


def visible(session: Session, actor: Actor) -> set[int]:
    return set(session.scalars(select(Graduate.id).where(graduate_scope(actor))))


def test_visibility_per_officer(session: Session, people: dict[str, Graduate]) -> None:
    ids = {k: g.id for k, g in people.items()}
    assert visible(session, officer_actor(session, GD)) >= {
        ids["gz_in_wh"],
        ids["wh_in_gz"],
        ids["th_in_sz"],
    }
    assert ids["xt_in_cd"] not in visible(session, officer_actor(session, GD))
    # 广州: own home org, its county below, and the 湖北 graduate studying in 广州.
    gz = visible(session, officer_actor(session, GZ)) & set(ids.values())
    assert gz == {ids["gz_in_wh"], ids["wh_in_gz"], ids["th_in_sz"]}
    # 深圳 sees only the one studying there.
    assert visible(session, officer_actor(session, SZ)) & set(ids.values()) == {ids["th_in_sz"]}
    # 湖北 province: its home graduates (仙桃 by the tree) and the 广州 one studying in 武汉.
    hb = visible(session, officer_actor(session, HB)) & set(ids.values())
    assert hb == {ids["gz_in_wh"], ids["wh_in_gz"], ids["xt_in_cd"]}
    # 武汉 city does not reach 仙桃, a 省直辖县, although both codes start with 42.
    assert ids["xt_in_cd"] not in visible(session, officer_actor(session, WH))
    # 四川 sees the 仙桃 graduate studying in 成都, nothing else of these.
    assert visible(session, officer_actor(session, SC)) & set(ids.values()) == {ids["xt_in_cd"]}


def test_only_the_home_subtree_edits(session: Session, people: dict[str, Graduate]) -> None:
    g = people["gz_in_wh"]
    assert can_edit(session, officer_actor(session, GZ), g)
    assert can_edit(session, officer_actor(session, GD), g)
    assert not can_edit(session, officer_actor(session, WH), g)  # school region: sees, not edits
    get_graduate(session, officer_actor(session, WH), g.id)
    with pytest.raises(NotFound):
        get_graduate(session, officer_actor(session, WH), g.id, edit=True)
    with pytest.raises(NotFound):
        get_graduate(session, officer_actor(session, SC), g.id)


def test_other_roles(session: Session, people: dict[str, Graduate]) -> None:
    g = people["gz_in_wh"]
    own = Actor(role=Role.GRADUATE, label="g", graduate_id=g.id)
    assert visible(session, own) == {g.id}
    employer = Actor(role=Role.EMPLOYER, label="e", employer_id=1)
    assert visible(session, employer) == set()


def test_national_one_person_rule(
    session: Session, people: dict[str, Graduate], hq_actor: Actor
) -> None:
    existing = people["wh_in_gz"]
    before = session.scalar(select(Graduate.id).order_by(Graduate.id.desc()).limit(1))
    with pytest.raises(Conflict, match="武汉市总工会"):
        register_graduate(
            session, officer_actor(session, GZ), graduate_input(existing.id_number.lower(), GZ, GZ)
        )
    assert session.scalar(select(Graduate.id).order_by(Graduate.id.desc()).limit(1)) == before


def test_officer_cannot_register_outside_region(session: Session) -> None:
    with pytest.raises(NotFound):
        register_graduate(
            session, officer_actor(session, GZ), graduate_input(make_id("420106"), WH, GZ)
        )


def test_http_404_outside_jurisdiction(
    app, client, session: Session, people: dict[str, Graduate], hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user

    from ..helpers import login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="sc", password="Passw0rd!", org_code=SC
    )
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gd", password="Passw0rd!", org_code=GD
    )
    session.commit()
    login(client, "sc", "Passw0rd!")
    # 四川 officer: a 广东 graduate studying in 武汉 is not theirs.
    assert client.get(f"/graduates/{people['gz_in_wh'].id}").status_code == 404
    assert client.get(f"/graduates/{people['xt_in_cd'].id}").status_code == 200
    client.post(
        "/logout", data={"csrf_token": csrf_from(client.get("/graduates/").get_data(as_text=True))}
    )
    login(client, "gd", "Passw0rd!")
    # 广东 officer sees the 湖北 graduate who studies in 广州, masked.
    page = client.get(f"/graduates/{people['wh_in_gz'].id}").get_data(as_text=True)
    full = people["wh_in_gz"].id_number
    assert full not in page and full[:6] + "*" * 12 in page
    listing = client.get("/graduates/").get_data(as_text=True)
    assert full not in listing and "张三" in listing


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)
