"""The 就业见习 pages: a base approved from the region's list (a bad period said beside its field,
what was typed kept), HQ's rate with its source, an intern's agreement step by step on their
page (going on the post without insurance refused, nothing written), the base's month with its
花名册 and 补贴申领 downloads, and another province seeing none of it."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Internship, InternshipBase, InternshipState, PositionKind, Role

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post


def _cells(body: bytes) -> str:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_a_base_an_intern_and_the_months_printed(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 99)
    p = post(session, e, "财务见习", [], kind=PositionKind.INTERNSHIP, headcount=2)
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq="991"), "440100", "440100", name="见习甲")
    )
    for name, role, code in (("gz", Role.OFFICER, "440100"), ("wh", Role.OFFICER, "420000"),
                             ("boss", Role.HQ, None)):  # fmt: skip
        create_user(
            session, hq_actor, role=role, username=name, password=PASSWORD,
            **({"org_code": code} if code else {}),
        )  # fmt: skip
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    token = csrf(c, "/internships/")
    start = clock.add_months(TODAY, -2)
    bad = c.post(
        "/internships/",
        data={"csrf_token": token, "employer_id": str(e.id), "approver": "hrss",
              "approval_ref": "穗人社函〔2026〕8号", "approved_from": str(TODAY),
              "approved_until": str(TODAY - timedelta(days=1))},
    )  # fmt: skip
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "认定截止日期不能早于起始日期" in text
    assert "穗人社函〔2026〕8号" in text  # what was typed is kept
    assert session.scalar(select(InternshipBase.id)) is None
    ok = c.post(
        "/internships/",
        data={"csrf_token": token, "employer_id": str(e.id), "approver": "hrss",
              "approval_ref": "穗人社函〔2026〕8号", "approved_from": str(start - timedelta(days=30)),
              "approved_until": str(TODAY + timedelta(days=365))},
    )  # fmt: skip
    assert ok.status_code == 302
    base = session.scalars(select(InternshipBase)).one()
    listed = c.get("/internships/").get_data(as_text=True)
    assert "单位99" in listed and '<span class="error">一年内没有见习人员在岗' not in listed

    url = f"/internships/graduates/{g.id}"
    assert "财务见习（单位99）" in c.get(url).get_data(as_text=True)

    def act(action: str, **fields: str):  # type: ignore[no-untyped-def]
        return c.post(url, data={"csrf_token": token, "action": action, **fields})

    assert act("apply", position_id=str(p.id), applied_on=str(start)).status_code == 302
    i = session.scalars(select(Internship)).one()
    ident = str(i.id)
    bad_months = act("sign", internship_id=ident, signed_on=str(start), starts_on=str(start),
                     months="13", allowance="1800")  # fmt: skip
    assert bad_months.status_code == 422 and "须为 3 至 12 个月" in bad_months.get_data(
        as_text=True
    )
    assert act("sign", internship_id=ident, signed_on=str(start), starts_on=str(start),
               months="6", allowance="1800").status_code == 302  # fmt: skip
    refused = act("start", internship_id=ident, on=str(start))
    assert refused.status_code == 422 and "尚未登记人身意外伤害保险" in refused.get_data(
        as_text=True
    )
    session.expire_all()
    assert session.get_one(Internship, i.id).state == InternshipState.SIGNED
    end = clock.add_months(start, 6) - timedelta(days=1)
    assert act("insure", internship_id=ident, policy_no="PICC-9", insurer="人保",
               insured_from=str(start), insured_until=str(end)).status_code == 302  # fmt: skip
    assert act("start", internship_id=ident, on=str(start)).status_code == 302
    page = c.get(url).get_data(as_text=True)
    assert "在岗" in page and "PICC-9（人保）" in page and "提前终止" in page

    month = f"{start:%Y-%m}"
    day = c.get(f"/internships/bases/{base.id}?month={month}").get_data(as_text=True)
    assert "见习甲" in day and "本省尚未设定见习补贴标准" in day
    hq = app.test_client()
    login(hq, "boss", PASSWORD)
    assert c.get("/internships/rates").status_code == 403
    rates_token = csrf(hq, "/internships/rates")
    no_source = hq.post(
        "/internships/rates",
        data={"csrf_token": rates_token, "province_code": "440000", "minimum_wage": "2300",
              "share_pct": "60", "higher_pct": "70", "source": ""},
    )  # fmt: skip
    assert no_source.status_code == 422 and "请注明依据文件" in no_source.get_data(as_text=True)
    assert hq.post(
        "/internships/rates",
        data={"csrf_token": rates_token, "province_code": "440000", "minimum_wage": "2300",
              "share_pct": "60", "higher_pct": "70", "source": "广东省见习补贴文件（测试）"},
    ).status_code == 302  # fmt: skip
    day = c.get(f"/internships/bases/{base.id}?month={month}").get_data(as_text=True)
    assert "申领金额 <strong>1380.00 元</strong>" in day
    assert c.get(f"/internships/bases/{base.id}?month=2026-13").status_code == 400

    roster = c.get(f"/internships/bases/{base.id}/roster.xlsx?month={month}")
    cells = _cells(roster.get_data())
    assert "见习甲" in cells and "440106************" in cells and "PICC-9" in cells
    assert make_id("440106", seq="991") not in cells  # never the number in full
    claim = _cells(c.get(f"/internships/bases/{base.id}/claim.xlsx?month={month}").get_data())
    assert "1380.00 元" in claim and "广东省见习补贴文件（测试）" in claim

    # the intern reads it on their own page
    portal_account(
        session, hq_actor, "me", PASSWORD, graduate_id_number=make_id("440106", seq="991")
    )
    session.commit()
    me = app.test_client()
    login(me, "me", PASSWORD)
    own = me.get("/me").get_data(as_text=True)
    assert "我的就业见习" in own and "财务见习</strong> — 单位99：在岗" in own
    assert "暂不向您推荐其他岗位" in own

    wh = app.test_client()
    login(wh, "wh", PASSWORD)
    assert wh.get(url).status_code == 404
    assert wh.get(f"/internships/bases/{base.id}").status_code == 404
    assert "单位99" not in wh.get("/internships/").get_data(as_text=True)
