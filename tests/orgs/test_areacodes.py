"""Region codes as papers carry them: the municipalities' 市辖区 rows, and codes abolished since
1981 read as their successors today, on every path a code is read."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import areacodes
from matchsvc.actors import Actor
from matchsvc.errors import DomainError
from matchsvc.imports.engine import run_import
from matchsvc.models import Graduate, Position
from matchsvc.orgs.service import region_name
from matchsvc.validators import parse_origin_code, parse_region_code

from ..conftest import make_id, officer_actor
from ..graduates.test_desk import PASSWORD, form_data, officers  # noqa: F401 (fixture)
from ..helpers import login
from ..imports.sheets import GRADUATE_HEADER, graduate_row, xlsx
from ..imports.test_imports import POSITION_HEADER


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("110100", "110000"),
        ("120100", "120000"),
        ("310100", "310000"),
        ("500100", "500000"),
        ("500200", "500000"),
    ],
)
def test_a_municipalitys_shixiaqu_row_is_the_municipality(typed: str, read_as: str) -> None:
    assert parse_region_code(typed) == read_as
    assert parse_origin_code(typed) == read_as


def test_a_past_code_is_read_as_its_successor_and_shown_with_both() -> None:
    assert parse_region_code("371202") == "370116"  # 莱城区 → 济南市莱芜区
    assert parse_origin_code("371202") == "371202"  # 生源地 keeps what the ID card says
    assert region_name("371202") == "371202 莱城区（2019年起为济南市莱芜区）"
    assert areacodes.counted_as("110103") == "110101"  # 崇文区 → 东城区 (2010)
    # a prefecture abolished whole goes where its counties went
    assert areacodes.counted_as("371200") == "370100"
    # split three ways within 大同: counted under the city they share, each part named
    assert areacodes.counted_as("140211") == "140200"
    assert "分属" in (areacodes.describe("140211") or "")
    # a code that moved province (重庆, 1997) is counted in its province today
    counted = areacodes.counted_as("510200")
    assert counted is not None and counted.startswith("50")


def test_every_past_code_resolves_to_a_division_in_use_today() -> None:
    today = areacodes.current()
    assert len(areacodes.history()) > 3000
    unresolved = []
    for code in areacodes.history():
        counted = areacodes.counted_as(code)
        if counted is None:
            unresolved.append(code)
            with pytest.raises(DomainError, match="分属多个省份"):
                parse_region_code(code)
        else:
            assert counted in today, code
            assert parse_region_code(code) == counted
    assert len(unresolved) < 5, unresolved  # split across provinces: the user says which today
    assert areacodes.missing_successors() == []


def test_a_code_that_never_was_is_still_refused() -> None:
    for code in ("999999", "110199", "371299"):
        with pytest.raises(DomainError, match=f"没有区划代码为 {code} 的地区"):
            parse_region_code(code)


def test_forms_keep_a_past_origin_and_read_the_shixiaqu_rows(
    client: FlaskClient,
    session: Session,
    officers: None,  # noqa: F811
) -> None:
    login(client, "gz", PASSWORD)
    made = client.post(
        "/graduates/new",
        data=form_data(client, origin_region_code="371202", wish_regions="110100、310100"),
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    graduate = session.scalar(select(Graduate).where(Graduate.name == "李小明"))
    assert graduate is not None
    assert graduate.origin_region_code == "371202"
    assert graduate.wish_regions == ["110000", "310000"]
    page = client.get(f"/graduates/{graduate.id}").get_data(as_text=True)
    assert "371202 莱城区（2019年起为济南市莱芜区）" in page
    # the edit form carries the past code until another place is chosen; saving keeps it
    edit = client.get(f"/graduates/{graduate.id}/edit").get_data(as_text=True)
    assert 'name="origin_region_code" value="371202"' in edit
    data = form_data(
        client, origin_region_code="371202", major_text="软件工程", version=str(graduate.version)
    )
    data.update({f"origin_region_code-{n}": "" for n in (1, 2, 3)})  # the selects, untouched
    saved = client.post(f"/graduates/{graduate.id}/edit", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    session.expire_all()
    kept = session.get(Graduate, graduate.id)
    assert kept is not None and kept.origin_region_code == "371202"
    # choosing today's place in the selects replaces it
    data = form_data(client, origin_region_code="371202", version=str(kept.version))
    data.update({"origin_region_code-1": "370000", "origin_region_code-2": "370100"})
    data["origin_region_code-3"] = "370116"
    assert client.post(f"/graduates/{graduate.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(Graduate, graduate.id).origin_region_code == "370116"  # type: ignore[union-attr]


def test_imports_read_past_codes_and_shixiaqu_rows(session: Session, hq_actor: Actor) -> None:
    from matchsvc.imports.graduates import GraduateImporter
    from matchsvc.imports.records import PositionImporter

    header = [*GRADUATE_HEADER, "生源地代码"]
    row = [*graduate_row(make_id("371202", "19910304", "123")), "371202"]
    report = run_import(
        session, hq_actor, GraduateImporter, xlsx(header, [row]), "g.xlsx", dry_run=False
    )
    assert report.error_count == 0, report.errors
    graduate = session.scalar(select(Graduate).where(Graduate.origin_region_code == "371202"))
    assert graduate is not None

    positions = [
        [
            "北京地铁运营有限公司",
            "91350100M000100Y43",
            "国有大中型企业",
            "110000",
            "站务员",
            "就业岗位",
            "110100",
            "10",
            "2012-07-01",
            "",
        ]
    ]
    beijing = officer_actor(session, "110000")
    report = run_import(
        session,
        beijing,
        PositionImporter,
        xlsx(POSITION_HEADER, positions),
        "p.xlsx",
        dry_run=False,
    )
    assert report.error_count == 0, report.errors
    position = session.scalar(select(Position).where(Position.title == "站务员"))
    assert position is not None and position.work_region_code == "110000"
