"""The 公益性岗位 pages: a graduate's periods with placement, 年度考核 and exit (each error beside
its field, nothing written), the region's ledger with the subsidy months and the 空岗报告 marked
filed, and another province seeing none of it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import PositionKind, Role, Tenure, VacancyReport

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, csrf, employer, login, post


def test_place_assess_exit_and_file_the_report(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 97)
    p = post(session, e, "社区公益岗", [], kind=PositionKind.PUBLIC_WELFARE, headcount=2)
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq="981"), "440100", "440100", name="安置人")
    )
    for name, code in (("gz", "440100"), ("wh", "420000")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code
        )
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    url = f"/welfare/graduates/{g.id}"
    page = c.get(url).get_data(as_text=True)
    assert "尚未安置过公益性岗位" in page and "社区公益岗" in page
    token = csrf(c, url)
    wrong = c.post(url, data={"csrf_token": token, "action": "place", "starts_on": "2025-13-01"})
    assert wrong.status_code == 422 and "请选择岗位" in wrong.get_data(as_text=True)
    assert session.scalar(select(Tenure.id)) is None
    placed = c.post(
        url,
        data={"csrf_token": token, "action": "place", "position_id": str(p.id),
              "starts_on": "2025-03-10"},
    )  # fmt: skip
    assert placed.status_code == 302
    session.expire_all()
    t = session.scalar(select(Tenure).where(Tenure.graduate_id == g.id))
    assert t is not None and t.planned_end == date(2028, 3, 9)
    overlap = c.post(
        url,
        data={"csrf_token": token, "action": "place", "position_id": str(p.id),
              "starts_on": "2026-01-01"},
    )  # fmt: skip
    assert overlap.status_code == 409 and "重叠" in overlap.get_data(as_text=True)
    assessed = c.post(
        url,
        data={"csrf_token": token, "action": "assess", "tenure_id": str(t.id), "year": "1",
              "outcome": "pass", "assessed_on": "2026-03-01"},
    )  # fmt: skip
    assert assessed.status_code == 302
    other = c.post(
        url,
        data={"csrf_token": token, "action": "exit", "tenure_id": str(t.id),
              "ended_on": "2026-06-30", "reason": "other"},
    )  # fmt: skip
    assert other.status_code == 422 and "请说明" in other.get_data(as_text=True)
    left = c.post(
        url,
        data={"csrf_token": token, "action": "exit", "tenure_id": str(t.id),
              "ended_on": "2026-06-30", "reason": "other_job"},
    )  # fmt: skip
    assert left.status_code == 302
    page = c.get(url).get_data(as_text=True)
    assert "2026-06-30 退出（另行就业）" in page and "第 1 年考核" in page
    assert "补贴月数（计至今日）：16 个月" in page
    ledger = c.get("/welfare/").get_data(as_text=True)
    assert ("社区公益岗" in ledger and "待报送" in ledger) or "已逾期" in ledger
    report = session.scalar(select(VacancyReport))
    assert report is not None
    done = c.post(
        "/welfare/reports", data={"csrf_token": csrf(c, "/welfare/"), "report_id": report.id}
    )
    assert done.status_code == 302
    session.expire_all()
    assert session.get(VacancyReport, report.id).submitted_on is not None  # type: ignore[union-attr]
    months = c.get("/welfare/months.csv").get_data(as_text=True)
    assert "社区公益岗" in months and ",1,16" in months
    wh = app.test_client()
    login(wh, "wh", PASSWORD)
    assert wh.get(url).status_code == 404
    assert "社区公益岗" not in wh.get("/welfare/").get_data(as_text=True)
