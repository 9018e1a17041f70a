"""Issue 27's low items on the graduate's side and the officer's: 报告已签约 is not offered to an
employed graduate (and refused if posted); "我仍在求职" answers with one message; 不予确认 takes a
reason the graduate is told; the activation slip carries the web address; an outgoing archive
transfer can be withdrawn; the org list's placeholder is no province."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.errors import Conflict, DomainError, NotFound
from matchsvc.graduates.service import change_status, register_graduate
from matchsvc.graduates.transfers import decide_transfer, request_transfer, withdraw_transfer
from matchsvc.models import (
    ArchiveTransfer,
    EmploymentStatus,
    GraduateRequest,
    RequestKind,
    Role,
    TransferState,
)
from matchsvc.portals.requests import ask, resolve

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, login, notice_texts


def _graduate(session: Session, hq: Actor, seq: str):  # type: ignore[no-untyped-def]
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq=seq), "440100", "440100", name=f"小事{seq}"),
    )
    create_user(
        session, hq, role=Role.GRADUATE, username=f"g{seq}", password=PASSWORD,
        graduate_id_number=make_id("440106", seq=seq),
    )  # fmt: skip
    return g


def test_an_employed_graduate_is_not_offered_to_report_a_signing(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    g = _graduate(session, hq_actor, "961")
    session.commit()
    login(client, "g961", PASSWORD)
    assert "报告已签约" in client.get("/me").get_data(as_text=True)
    change_status(session, officer_actor(session, "440100"), g, EmploymentStatus.EMPLOYED, TODAY)
    session.commit()
    home = client.get("/me").get_data(as_text=True)
    assert "报告已签约" not in home
    me = Actor(role=Role.GRADUATE, label="g", graduate_id=g.id)
    with pytest.raises(Conflict, match="无需报告签约"):
        ask(session, me, RequestKind.SIGNED, "某公司", signed_on=TODAY)

    looked = client.post(
        "/me/looking", data={"csrf_token": csrf(client, "/me"), "text": ""}, follow_redirects=True
    ).get_data(as_text=True)
    said = [w for w in ("已恢复岗位推荐", "您已申请继续接收岗位推荐", "仍在求职：等待工会处理")
            if w in looked]  # fmt: skip
    assert said == ["已恢复岗位推荐"]  # one message, not three
    again = client.get("/me").get_data(as_text=True)
    assert "您已申请继续接收岗位推荐" in again and "已恢复岗位推荐" not in again


def test_not_confirming_takes_a_reason_the_graduate_reads(
    session: Session, hq_actor: Actor
) -> None:
    g = _graduate(session, hq_actor, "962")
    me = Actor(role=Role.GRADUATE, label="g", graduate_id=g.id)
    request = ask(session, me, RequestKind.CORRECTION, "手机号已更换")
    officer = officer_actor(session, "440100")
    with pytest.raises(DomainError, match="不予确认"):
        resolve(session, officer, request.id, False, "  ")
    assert session.get_one(GraduateRequest, request.id).resolved_at is None
    resolve(session, officer, request.id, False, "请携带身份证到工会办理")
    assert any("未获确认：请携带身份证到工会办理" in t for t in notice_texts(session, "g962"))


def test_the_slip_says_where_to_activate(session: Session, hq_actor: Actor, client) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="963"), "440100", "440100"),
    )
    session.commit()
    login(client, "gz", PASSWORD)
    slip = client.post(
        f"/officer/graduates/{g.id}/activation",
        data={"csrf_token": csrf(client, f"/graduates/{g.id}")},
    ).get_data(as_text=True)
    assert 'id="activate-address"' in slip and "http://localhost/activate" in slip


def test_an_outgoing_transfer_can_be_withdrawn(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="964"), "440100", "440100"),
    )
    gz, wuhan = officer_actor(session, "440100"), officer_actor(session, "420100")
    t = request_transfer(session, gz, g, "420100", "随父母迁居武汉")
    with pytest.raises(NotFound):
        withdraw_transfer(session, wuhan, t.id)  # only the sending side
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get("/graduates/transfers").get_data(as_text=True)
    assert f"/graduates/transfers/{t.id}/withdraw" in page
    done = client.post(
        f"/graduates/transfers/{t.id}/withdraw",
        data={"csrf_token": csrf(client, "/graduates/transfers"), "note": "家长改变主意"},
    )
    assert done.status_code == 302
    session.expire_all()
    t2 = session.get_one(ArchiveTransfer, t.id)
    assert t2.state == TransferState.WITHDRAWN and t2.decision_note == "家长改变主意"
    with pytest.raises(Conflict):
        decide_transfer(session, wuhan, t.id, accept=True)
    assert g.home_org.code == "440100"
    form = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    chooser = form[form.index('name="to_org"') :].split("</select>")[0]
    assert 'label="0000"' not in chooser and '<optgroup label="广东省">' in chooser
    assert chooser.index("请选择接收单位") < chooser.index("<optgroup")  # above the groups
    assert session.scalar(select(ArchiveTransfer.id).where(ArchiveTransfer.graduate_id == g.id))
