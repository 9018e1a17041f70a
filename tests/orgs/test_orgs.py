"""The org tree: shipped reference data and counties added by officers or the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.errors import Conflict, DomainError, NotFound
from matchsvc.models import Org, OrgLevel
from matchsvc.orgs.service import add_org, get_org, seed_orgs

from ..conftest import officer_actor


def test_shipped_tree(session: Session) -> None:
    counts = dict(session.execute(select(Org.level, func.count()).group_by(Org.level)).all())
    assert counts[OrgLevel.HQ] == 1
    assert counts[OrgLevel.PROVINCE] == 34
    assert counts[OrgLevel.CITY] == 333  # 地级行政区, 民政部 2024
    assert get_org(session, "440100").parent.code == "440000"
    # 省直辖县: directly under the province, by the tree.
    xiantao = get_org(session, "429004")
    assert xiantao.parent.code == "420000" and xiantao.level == OrgLevel.COUNTY
    assert xiantao.path == "/000000/420000/429004/"
    assert get_org(session, "441900").name == "东莞市总工会"


def test_seeding_twice_changes_nothing(session: Session) -> None:
    assert seed_orgs(session) == 0


def test_city_officer_adds_a_county(session: Session) -> None:
    gz = officer_actor(session, "440100")
    org = add_org(session, gz, "440106", "天河区总工会", "440100")
    assert org.level == OrgLevel.COUNTY and org.path == "/000000/440000/440100/440106/"
    with pytest.raises(Conflict):
        add_org(session, gz, "440106", "天河区总工会", "440100")


def test_officer_cannot_add_outside_their_region(session: Session) -> None:
    with pytest.raises(NotFound):
        add_org(session, officer_actor(session, "420000"), "440106", "天河区总工会", "440100")
    with pytest.raises(NotFound):
        add_org(session, officer_actor(session, "440300"), "440106", "天河区总工会", "440100")


def test_bad_org_input(session: Session, hq_actor: Actor) -> None:
    with pytest.raises(DomainError, match="6位数字"):
        add_org(session, hq_actor, "44010", "x", "440100")
    with pytest.raises(DomainError, match="没有区划代码为 999900 的地区"):  # not in the table
        add_org(session, hq_actor, "440106", "x", "999900")
    with pytest.raises(DomainError, match="没有区划代码为 440199 的地区"):
        add_org(session, hq_actor, "440199", "x", "440100")
    with pytest.raises(DomainError, match="不能为空"):
        add_org(session, hq_actor, "440106", " ", "440100")
    add_org(session, hq_actor, "440106", "天河区总工会", "440100")
    with pytest.raises(DomainError, match="县级工会下"):
        add_org(session, hq_actor, "440103", "x", "440106")


def test_cli_orgs_add(runner, session: Session) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.cli import main

    result = runner.invoke(main, ["orgs", "add", "420106", "武昌区总工会", "--parent", "420100"])
    assert result.exit_code == 0, result.output
    assert "已新增" in result.output
    bad = runner.invoke(main, ["orgs", "add", "420106", "武昌区总工会", "--parent", "420100"])
    assert bad.exit_code == 1 and "已存在" in bad.output
