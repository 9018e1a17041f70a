"""操作记录: headquarters reads every audited action (a password the union reset, an export with
full ID numbers), by action, a page at a time; an archive's 操作记录 shows the officer's 推荐 and
the graduate's 应聘 with the post, and how each moved."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.audit import record
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import ReferralState, Role
from matchsvc.referrals.service import apply, record_step, refer

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import (
    INTERVIEW,
    PASSWORD,
    TODAY,
    employer,
    login,
    login_with_code,
    post,
    second_factor,
)


def test_headquarters_reads_every_audited_action(app: Flask, session: Session, hq_actor: Actor) -> None:  # fmt: skip
    create_user(session, hq_actor, role=Role.HQ, username="boss", password=PASSWORD)
    gz = create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    officer = officer_actor(session, "440100")
    record(session, officer, "reset_password", gz, details={"by": "union"})
    record(session, officer, "export_unmasked", "graduates", details={"rows": 12, "reason": "核对"})
    session.commit()
    boss = app.test_client()
    login(boss, "boss", PASSWORD)
    page = boss.get("/admin/audit").get_data(as_text=True)
    assert ("操作记录" in page and "重置密码" in page) or "reset_password" in page
    assert "导出完整信息" in page and "条数：12" in page and "用途/原因：核对" in page
    only = boss.get("/admin/audit?action=export_unmasked").get_data(as_text=True)
    assert "导出完整信息" in only and "条数：12" in only and "by" not in only.split("<tbody>")[1]
    other = app.test_client()
    login(other, "gz", PASSWORD)
    assert other.get("/admin/audit").status_code == 403


def test_the_archive_shows_referrals_and_applications_with_their_posts(
    app: Flask, session: Session, hq_actor: Actor
) -> None:
    create_user(session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100")  # fmt: skip
    officer = officer_actor(session, "440100")
    g = register_graduate(
        session, officer, graduate_input(make_id("440106", seq="741"), "440100", "440100")
    )
    me = portal_account(session, hq_actor, "zhang", PASSWORD, graduate_id_number=make_id("440106", seq="741"))  # fmt: skip
    e = employer(session, 74)
    referred, applied = post(session, e, "地铁站务员", []), post(session, e, "数据录入员", [])
    r = refer(session, officer, g.id, referred.id, TODAY)
    record_step(session, officer, r, ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    grad = Actor(role=Role.GRADUATE, label="张三", user_id=me.id, graduate_id=g.id)
    apply(session, grad, applied.id, TODAY)
    session.commit()
    client = app.test_client()
    login_with_code(client, session, "gz", PASSWORD, second_factor(session, "gz"))
    page = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    history = page.split("<h2>操作记录</h2>")[1]
    assert "推荐毕业生到岗位" in history and "单位74 · 地铁站务员" in history
    assert "记录推荐进展" in history and "进展：面试" in history
    assert "毕业生应聘岗位" in history and "单位74 · 数据录入员" in history
