"""Exporting the officer's list: masked personal data, formulas written as text, audited."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.exports import csv_safe
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, Role

from ..conftest import graduate_input, make_id
from ..helpers import login


def setup(session: Session, hq_actor: Actor) -> list[str]:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    numbers = [
        make_id("440106", seq="101"),
        make_id("440106", seq="202"),
        make_id("420106", seq="303"),
    ]
    register_graduate(
        session,
        hq_actor,
        graduate_input(numbers[0], "440100", "440100", name='=HYPERLINK("x")', phone="13800138000"),
    )
    register_graduate(
        session,
        hq_actor,
        graduate_input(numbers[1], "440100", "440100", name="王五", school_name="@SUM(A1)"),
    )
    register_graduate(
        session, hq_actor, graduate_input(numbers[2], "420100", "420100", name="外省人")
    )
    session.commit()
    return numbers


def test_csv_safe() -> None:
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("-3") == "'-3" and csv_safe("+x") == "'+x"
    assert csv_safe("@a") == "'@a" and csv_safe("正常") == "正常" and csv_safe(None) == ""


def test_xlsx_export(client: FlaskClient, session: Session, hq_actor: Actor) -> None:
    numbers = setup(session, hq_actor)
    login(client, "gz", "Passw0rd!")
    response = client.get("/graduates/export.xlsx?sort=name&dir=asc")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["姓名", "身份证号", "手机号"]
    body = rows[1:]
    assert len(body) == 2  # the 湖北 graduate is outside 广州's jurisdiction
    names = {r[0] for r in body}
    assert names == {'=HYPERLINK("x")', "王五"}
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type == "s" for c in row if c.value is not None)  # text, never a formula
    flat = str(rows)
    assert all(n not in flat for n in numbers) and "13800138000" not in flat
    assert "440106********" in flat and "138****8000" in flat
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event is not None and event.details["rows"] == 2 and event.details["format"] == "xlsx"


def test_csv_export_with_filters(client: FlaskClient, session: Session, hq_actor: Actor) -> None:
    setup(session, hq_actor)
    login(client, "gz", "Passw0rd!")
    response = client.get("/graduates/export.csv?q=@SUM")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][0] == "王五" and rows[1][5] == "'@SUM(A1)"
    everything = list(
        csv.reader(io.StringIO(client.get("/graduates/export.csv").data.decode("utf-8-sig")))
    )
    assert any(r[0] == '\'=HYPERLINK("x")' for r in everything)
