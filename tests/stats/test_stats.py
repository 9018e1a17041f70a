"""Items 06–16 against numbers worked out by hand, for a county, a city, a province and HQ."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.assistance.service import record_fair, record_service, void_service
from matchsvc.employers.service import PositionInput, create_position, register_employer
from matchsvc.graduates.service import change_status, register_graduate
from matchsvc.graduates.transfers import decide_transfer, request_transfer
from matchsvc.models import Campaign, EmployerKind, EmploymentStatus, PositionKind, ServiceKind
from matchsvc.orgs.service import add_org, get_org
from matchsvc.stats.compute import compute_table, compute_tables
from matchsvc.stats.items import KEYS

from ..conftest import graduate_input, make_id

D = date


@pytest.fixture
def scenario(session: Session, hq_actor: Actor) -> Campaign:
    a = hq_actor
    add_org(session, a, "440106", "天河区总工会", "440100")
    campaign = Campaign(year=2012, **Campaign.default_dates(2012))
    session.add(campaign)
    org = lambda code: get_org(session, code)  # noqa: E731

    def grad(n: int, home: str, school: str, year: int, registered: date, **kw: object):  # type: ignore[no-untyped-def]
        return register_graduate(
            session,
            a,
            graduate_input(
                make_id("440106", seq=f"{n:03d}"),
                home,
                school,
                graduation_year=year,
                registered_on=registered,
                **kw,
            ),
        )

    g1 = grad(1, "440106", "440100", 2012, D(2012, 7, 2))  # fresh, 天河, studies in 广州
    g2 = grad(2, "440100", "420100", 2011, D(2012, 7, 5))  # previous, 广州, studies in 武汉
    g3 = grad(3, "420100", "440100", 2012, D(2012, 6, 1))  # fresh, 武汉, studies in 广州
    grad(4, "440100", "440100", 2012, D(2012, 9, 2))  # registered after the cutoff
    grad(5, "440100", "440100", 2013, D(2012, 7, 2))  # graduates after the campaign year
    g6 = grad(6, "420000", "440100", 2010, D(2012, 3, 1))  # previous, 湖北省
    change_status(session, a, g2, EmploymentStatus.EMPLOYED, D(2012, 9, 5))  # after the cutoff
    change_status(session, a, g3, EmploymentStatus.SIGNED, D(2012, 8, 31))  # on the cutoff: counts
    # g6's archive moves from 湖北省 to 武汉 after the cutoff: the table keeps it in 湖北省.
    transfer = request_transfer(session, a, g6, "420100", "迁居")
    decide_transfer(session, a, transfer.id, accept=True)

    def svc(g, kind, on, code, amount=None):  # type: ignore[no-untyped-def]
        return record_service(session, a, g, kind=kind, on=on, org=org(code), amount=amount)

    svc(g1, ServiceKind.INTERNSHIP, D(2012, 7, 10), "440106")
    svc(g1, ServiceKind.SKILL_TRAINING, D(2012, 7, 15), "440100")
    svc(g2, ServiceKind.CERTIFICATE, D(2012, 8, 20), "420100")  # given by another province
    svc(g2, ServiceKind.LOAN, D(2012, 8, 1), "440100", Decimal("50000"))
    svc(g3, ServiceKind.JOB_SUBSIDY, D(2012, 8, 31), "420100", Decimal("800"))
    svc(g3, ServiceKind.JOB_SUBSIDY, D(2012, 9, 1), "420100", Decimal("1200"))  # after the cutoff
    void_service(session, a, svc(g1, ServiceKind.POLICY, D(2012, 7, 20), "440106"), "录错")
    svc(g1, ServiceKind.EMPLOYED, D(2012, 9, 3), "440100")  # after the cutoff (and g1's status)
    svc(g6, ServiceKind.BUSINESS_GUIDANCE, D(2012, 7, 1), "420000")  # the first day counts
    svc(g6, ServiceKind.BUSINESS_TRAINING, D(2012, 6, 30), "420000")  # before the campaign

    record_fair(
        session,
        a,
        name="专场招聘会",
        held_on=D(2012, 7, 20),
        org=org("440100"),
        positions_offered=300,
    )
    record_fair(
        session, a, name="政策宣讲", held_on=D(2012, 8, 31), org=org("440106"), positions_offered=0
    )
    record_fair(
        session,
        a,
        name="秋季招聘会",
        held_on=D(2012, 9, 1),
        org=org("440000"),
        positions_offered=500,
    )

    soe = register_employer(
        session,
        a,
        name="国企",
        uscc="91350100M000100Y43",
        kind=EmployerKind.SOE,
        org_code="440100",
        approve=True,
    )
    other = register_employer(
        session,
        a,
        name="民企",
        uscc="91110000600037341L",
        kind=EmployerKind.OTHER,
        org_code="440100",
        approve=True,
    )
    gov = register_employer(
        session,
        a,
        name="人社局",
        uscc="11100000000013127D",
        kind=EmployerKind.PUBLIC_WELFARE,
        org_code="420100",
        approve=True,
    )

    def post(e, kind, title, n, on):  # type: ignore[no-untyped-def]
        return create_position(
            session,
            a,
            e,
            PositionInput(
                kind=kind, title=title, work_region_code="440100", headcount=n, published_on=on
            ),
        )

    post(soe, PositionKind.JOB, "站务员", 10, D(2012, 7, 1))
    post(soe, PositionKind.INTERNSHIP, "见习生", 5, D(2012, 7, 1))  # internships count under 07
    post(soe, PositionKind.JOB, "司机", 4, D(2012, 6, 30))  # before the campaign
    post(other, PositionKind.JOB, "文员", 7, D(2012, 7, 1))  # not one of item 10's employer kinds
    post(gov, PositionKind.PUBLIC_WELFARE, "协管员", 3, D(2012, 8, 31))
    session.flush()
    return campaign


EXPECTED = {
    #        06A 06B 06C 07A 08A 08B 09A 09Ap 10A 11A 11B 11C 11C$  12A 13A 14A 14B  15A 16A
    "000000": (4, 2, 2, 1, 1, 1, 2, 300, 13, 1, 0, 1, 50000, 0, 0, 1, 0.08, 1, 2),
    "440000": (2, 1, 1, 1, 1, 0, 2, 300, 10, 0, 0, 1, 50000, 0, 0, 0, 0.0, 1, 1),
    "440100": (2, 1, 1, 1, 1, 0, 2, 300, 10, 0, 0, 1, 50000, 0, 0, 0, 0.0, 1, 1),
    "440106": (1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0),
    "420000": (2, 1, 1, 0, 0, 1, 0, 0, 3, 1, 0, 0, 0, 0, 0, 1, 0.08, 0, 1),
    "420100": (1, 1, 0, 0, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 1, 0.08, 0, 0),
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_every_item_against_hand_counts(session: Session, scenario: Campaign, code: str) -> None:
    table = compute_table(session, scenario, get_org(session, code))
    assert table["org"] == code and table["campaign"] == 2012 and table["cutoff"] == "2012-08-31"
    assert table["items"] == dict(zip(KEYS, EXPECTED[code], strict=True))


def test_types_follow_domain(session: Session, scenario: Campaign) -> None:
    items = compute_table(session, scenario, get_org(session, "000000"))["items"]
    assert all(isinstance(items[k], int) for k in KEYS if k not in ("14B", "11C_amount"))
    assert isinstance(items["14B"], float) and items["11C_amount"] == 50000


def test_later_entries_about_later_dates_change_nothing(
    session: Session, scenario: Campaign, hq_actor: Actor
) -> None:
    before = compute_tables(session, scenario)
    late = register_graduate(
        session,
        hq_actor,
        graduate_input(
            make_id("440106", seq="099"), "440100", "440100", registered_on=D(2012, 9, 20)
        ),
    )
    change_status(session, hq_actor, late, EmploymentStatus.EMPLOYED, D(2012, 10, 1))
    record_service(
        session,
        hq_actor,
        late,
        kind=ServiceKind.POLICY,
        on=D(2012, 9, 15),
        org=get_org(session, "440100"),
    )
    assert compute_tables(session, scenario) == before


def test_an_earlier_cutoff(session: Session, scenario: Campaign) -> None:
    tables = compute_tables(session, scenario, D(2012, 7, 31))
    hq = tables[get_org(session, "000000").id]
    assert hq["06A"] == 4 and hq["08B"] == 0 and hq["11C"] == 0 and hq["14A"] == 0
    assert hq["09A"] == 1 and hq["10A"] == 10
    # g3 signed on 08-31: as of 07-31 still unemployed, so 广州 counts two fresh unemployed students.
    assert tables[get_org(session, "440100").id]["15A"] == 2


def test_cli_campaign_create(runner, session: Session) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.cli import main

    first = runner.invoke(main, ["campaign", "create", "2013"])
    assert (
        first.exit_code == 0
        and "2013-07-01 至 2013-08-31" in first.output
        and "2013-09-10" in first.output
    )
    again = runner.invoke(main, ["campaign", "create", "2013", "--cutoff", "2013-08-15"])
    assert again.exit_code == 0 and "已存在" in again.output
    assert session.scalar(select(Campaign.cutoff_on).where(Campaign.year == 2013)) == D(2013, 8, 31)
    bad = runner.invoke(main, ["campaign", "create", "2014", "--cutoff", "2014-06-01"])
    assert bad.exit_code == 1 and "截止日期" in bad.output
    custom = runner.invoke(
        main, ["campaign", "create", "2015", "--start", "2015-06-15", "--due", "2015-09-20"]
    )
    assert custom.exit_code == 0 and "2015-06-15" in custom.output


def test_cli_stats(runner, session: Session, scenario: Campaign) -> None:  # type: ignore[no-untyped-def]
    import json

    from matchsvc.cli import main

    session.commit()
    result = runner.invoke(main, ["stats", "--campaign", "2012"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    assert table["org"] == "000000" and table["items"] == dict(
        zip(KEYS, EXPECTED["000000"], strict=True)
    )
    city = json.loads(
        runner.invoke(main, ["stats", "--campaign", "2012", "--org", "440106"]).output
    )
    assert city["org_name"] == "天河区总工会" and city["items"]["06A"] == 1
    early = json.loads(
        runner.invoke(main, ["stats", "--campaign", "2012", "--cutoff", "2012-07-31"]).output
    )
    assert early["cutoff"] == "2012-07-31" and early["items"]["14A"] == 0
    csv_out = runner.invoke(
        main, ["stats", "--campaign", "2012", "--org", "440000", "--format", "csv"]
    ).output
    assert (
        "广东省总工会" in csv_out
        and "（15）,（A）,在本地就读的尚未签约就业的应届困难职工家庭高校毕业生" in csv_out
    )
    missing = runner.invoke(main, ["stats", "--campaign", "2099"])
    assert missing.exit_code == 1 and "2099" in missing.output


def test_snapshot_job_is_idempotent(session: Session, scenario: Campaign) -> None:
    from datetime import UTC, datetime

    from matchsvc.jobs import JOBS

    from matchsvc.models import Org, StatsSnapshot

    job = next(j for j in JOBS if j.id == "stats_nightly_snapshot")

    during = datetime(2012, 9, 5, 2, 0, tzinfo=UTC)  # after the cutoff, before the report is due
    orgs = session.scalar(select(func.count()).select_from(Org))
    assert job.run(session, during) == orgs
    assert job.run(session, during) == orgs  # the same day again: refreshed
    snapshots = session.scalars(select(StatsSnapshot)).all()
    assert len(snapshots) == orgs
    hq = next(s for s in snapshots if s.org_id == get_org(session, "000000").id)
    assert hq.cutoff_on == D(2012, 8, 31) and hq.items == dict(
        zip(KEYS, EXPECTED["000000"], strict=True)
    )
    early = datetime(2012, 7, 31, 20, 0, tzinfo=UTC)  # 1 August, China time: as of that day
    job.run(session, early)
    assert {s.cutoff_on for s in session.scalars(select(StatsSnapshot))} == {
        D(2012, 8, 31),
        D(2012, 8, 1),
    }
    assert job.run(session, datetime(2012, 12, 1, tzinfo=UTC)) == 0  # campaign over


def test_api_stats_within_jurisdiction(
    app, session: Session, scenario: Campaign, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    session.commit()
    anonymous = app.test_client()
    assert anonymous.get("/api/v1/stats?campaign=2012").status_code == 401
    gz = app.test_client()
    login(gz, "gz", "Passw0rd!")
    own = gz.get("/api/v1/stats?campaign=2012&org=440100")
    assert own.status_code == 200 and own.json["items"] == dict(
        zip(KEYS, EXPECTED["440100"], strict=True)
    )
    assert gz.get("/api/v1/stats?campaign=2012&org=440106").json["items"]["06A"] == 1
    assert gz.get("/api/v1/stats?campaign=2012&org=440000").status_code == 404  # above the officer
    assert gz.get("/api/v1/stats?campaign=2012&org=420100").status_code == 404  # another province
    assert gz.get("/api/v1/stats?campaign=2012&org=440100&cutoff=2012-13-01").status_code == 422
    assert gz.get("/api/v1/stats?org=440100").status_code == 422
    boss = app.test_client()
    login(boss, "boss", "Passw0rd!")
    national = boss.get("/api/v1/stats?campaign=2012&cutoff=2012-07-31")
    assert (
        national.status_code == 200
        and national.json["cutoff"] == "2012-07-31"
        and national.json["org"] == "000000"
    )
    # a municipality's 市辖区 row is the municipality (GB/T 2260 lists it; systems use it)
    beijing = boss.get("/api/v1/stats?campaign=2012&org=110100")
    assert beijing.status_code == 200 and beijing.json["org"] == "110000"
    assert boss.get("/api/v1/stats?campaign=2012&org=999999").status_code == 404


def test_xlsx_export_reads_back_to_the_json_numbers(
    runner, session: Session, scenario: Campaign, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import json

    from openpyxl import load_workbook

    from matchsvc.cli import main
    from matchsvc.stats.export import notice_title, read_notice_xlsx

    session.commit()
    out = tmp_path / "gd.xlsx"
    result = runner.invoke(
        main, ["stats", "--campaign", "2012", "--org", "440000", "--format", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = json.loads(
        runner.invoke(main, ["stats", "--campaign", "2012", "--org", "440000"]).output
    )
    assert read_notice_xlsx(out.read_bytes()) == table["items"]
    sheet = load_workbook(out).active
    assert sheet is not None
    assert (
        sheet["A1"].value == notice_title(2012) == "2012年各地工会金秋助学和阳光就业行动情况统计表"
        and str(sheet["A2"].value).startswith("广东省总工会")
        and "填报人：" in str(sheet["A2"].value)
    )
    assert [sheet.cell(row=r, column=1).value for r in (4, 7, 8)] == ["（06）", "（07）", "（08）"]
    assert (
        sheet.cell(row=sheet.max_row - 1, column=1).value
        == "填报说明：数据统计截止日期为2012年8月31日。"
    )
    assert str(sheet.cell(row=sheet.max_row, column=1).value).startswith("填报单位（盖章）")
    assert (
        str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.fitToHeight == 1
    )
    assert runner.invoke(main, ["stats", "--campaign", "2012", "--format", "xlsx"]).exit_code == 1


def test_national_workbook(app, session: Session, scenario: Campaign, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import login

    create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gd", password="Passw0rd!", org_code="440000"
    )
    session.commit()
    officer = app.test_client()
    login(officer, "gd", "Passw0rd!")
    assert officer.get("/stats/national.xlsx?campaign=2012").status_code == 403
    boss = app.test_client()
    login(boss, "boss", "Passw0rd!")
    response = boss.get("/stats/national.xlsx?campaign=2012")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    from matchsvc.stats.export import NATIONAL_FIRST as F

    header = [c.value for c in sheet[2]]
    assert header[:3] == ["区划代码", "省（区、市）总工会", "数据"]
    assert header[3] == "（01）（A）助学活动共筹集资金（万元）"  # the items' wording, 01 to 16
    assert header[F] == "（06）（A）省（区、市）共有困难职工家庭高校毕业生（人）"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 32  # the 31 provincial unions and the total
    by_code = {r[0]: r for r in rows}
    assert by_code["440000"][F:] == list(EXPECTED["440000"]) and by_code["420000"][F:] == list(
        EXPECTED["420000"]
    )
    assert by_code["440000"][1] == "广东省总工会" and by_code["440000"][2] == "实时（未上报）"
    assert rows[-1][1] == "全国合计" and rows[-1][F:] == list(EXPECTED["000000"])
    notes = load_workbook(io.BytesIO(response.data))["总结报告"]
    assert [c.value for c in notes[1]][-1] == "总结报告" and notes.max_row == 32
    # amounts print as the form has them, and the wide table fits the paper's width
    money = [i for i, h in enumerate(header) if str(h).endswith("（万元）")]
    assert header.index("（B）发放求职补贴（万元）") in money  # 14B
    for index in money:
        assert all(row[index].number_format == "0.00" for row in sheet.iter_rows(min_row=3))
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_cols == "$A:$C"
    assert notes.page_setup.orientation == "landscape"
    for index in range(3, len(rows[0])):  # the total row is the sum of the provinces
        assert abs(sum(r[index] or 0 for r in rows[:-1]) - rows[-1][index]) < 1e-9


def test_every_number_drills_down_to_what_it_counts(
    session: Session, scenario: Campaign, hq_actor: Actor
) -> None:
    from matchsvc.stats.drilldown import drill

    for code, expected in EXPECTED.items():
        org = get_org(session, code)
        values = dict(zip(KEYS, expected, strict=True))
        for key, value in values.items():
            result = drill(session, hq_actor, scenario, org, key)
            if key == "09A_positions":
                assert sum(f.positions_offered for f in result.rows) == value, (code, key)
            elif key == "10A":
                assert sum(p.headcount for p in result.rows) == value, (code, key)
            elif key == "11C_amount":
                assert sum(s.amount for s in result.rows) == value, (code, key)
            elif key == "14B":
                assert float(sum(s.amount for s in result.rows) / 10000) == value, (code, key)
            else:
                assert result.total == len(result.rows) == value, (code, key)


def test_drill_down_respects_jurisdiction(
    app, session: Session, scenario: Campaign, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", "Passw0rd!")
    page = client.get("/stats/items/15A?campaign=2012&org=440100")
    assert page.status_code == 200 and "共 1 人" in page.get_data(as_text=True)
    assert client.get("/stats/items/06A?campaign=2012&org=440000").status_code == 404  # above
    assert client.get("/stats/items/06A?campaign=2012&org=420100").status_code == 404  # elsewhere
    assert client.get("/stats/items/99Z?campaign=2012&org=440100").status_code == 404
    table = client.get("/stats/?campaign=2012").get_data(as_text=True)
    assert "/stats/items/07A?campaign=2012&amp;org=440100" in table


def test_personal_access_tokens(app, session: Session, scenario: Campaign, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    import re

    from matchsvc.auth.service import create_user
    from matchsvc.models import ApiToken, Role

    from ..helpers import csrf, login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gd", password="Passw0rd!", org_code="440000"
    )
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    city = app.test_client()
    login(city, "gz", "Passw0rd!")
    assert city.get("/stats/tokens").status_code == 403  # only HQ and provinces issue tokens
    gd = app.test_client()
    login(gd, "gd", "Passw0rd!")
    page = gd.post(
        "/stats/tokens", data={"csrf_token": csrf(gd, "/stats/tokens"), "label": "省统计系统"}
    ).get_data(as_text=True)
    value = re.search(r"新令牌：(msv_[\w-]+)", page)
    assert value is not None
    token = value.group(1)
    stored = session.scalar(select(ApiToken))
    assert stored is not None and stored.token_hash != token and token not in str(stored.__dict__)
    api = app.test_client()  # no session: the token alone
    auth = {"Authorization": f"Bearer {token}"}
    ok = api.get("/api/v1/stats?campaign=2012&org=440000", headers=auth)
    assert ok.status_code == 200 and ok.json["items"] == dict(
        zip(KEYS, EXPECTED["440000"], strict=True)
    )
    assert api.get("/api/v1/stats?campaign=2012&org=440106", headers=auth).status_code == 200
    assert api.get("/api/v1/stats?campaign=2012&org=420000", headers=auth).status_code == 404
    assert api.get("/api/v1/stats?campaign=2012", headers=auth).status_code == 404  # HQ is above
    # a statistics token reads statistics only: not a graduate's or a position's lists
    from matchsvc.models import Employer, Graduate, Org, Position, User
    from matchsvc.stats.tokens import MATCHING_READ, issue

    g = session.scalar(
        select(Graduate).join(Org, Org.id == Graduate.home_org_id).where(Org.code == "440100")
    )
    p = session.scalar(
        select(Position)
        .join(Employer, Employer.id == Position.employer_id)
        .join(Org, Org.id == Employer.org_id)
        .where(Org.path.like("/000000/440000/%"))
    )
    assert g is not None and p is not None
    lists = (f"/api/v1/graduates/{g.id}/recommendations", f"/api/v1/positions/{p.id}/candidates")
    for path in lists:
        refused = api.get(path, headers=auth)
        assert refused.status_code == 403 and "统计令牌" in refused.json["error"]
    gd_user = session.scalar(select(User).where(User.username == "gd"))
    assert gd_user is not None
    _, matcher = issue(session, Actor.for_user(gd_user), "匹配系统", (MATCHING_READ,))
    session.commit()
    both = {"Authorization": f"Bearer {matcher}"}
    assert all(api.get(path, headers=both).status_code == 200 for path in lists)
    assert api.get("/api/v1/stats?campaign=2012&org=440000", headers=both).status_code == 403
    session.refresh(stored)
    assert stored.last_used_at is not None
    assert "省统计系统" in gd.get("/stats/tokens").get_data(as_text=True)
    assert (
        gd.post(
            f"/stats/tokens/{stored.id}/revoke", data={"csrf_token": csrf(gd, "/stats/tokens")}
        ).status_code
        == 302
    )
    assert api.get("/api/v1/stats?campaign=2012&org=440000", headers=auth).status_code == 401
    assert (
        api.get(
            "/api/v1/stats?campaign=2012&org=440000", headers={"Authorization": "Bearer msv_forged"}
        ).status_code
        == 401
    )


def test_hq_dashboard_charts(app, session: Session, scenario: Campaign, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import login

    create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gd", password="Passw0rd!", org_code="440000"
    )
    session.commit()
    boss = app.test_client()
    login(boss, "boss", "Passw0rd!")
    page = boss.get("/stats/dashboard?campaign=2012&item=10A").get_data(as_text=True)
    assert "上报进度：0 / 31" in page and "全国合计 13 个" in page
    # Bars in order: 广东 10, 湖北 3, then the provinces with 0.
    assert page.index(">广东省<") < page.index(">湖北省<") < page.index(">北京市<")
    assert "<script" not in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[
        0
    ].replace("http://www.w3.org", "")
    officer = app.test_client()
    login(officer, "gd", "Passw0rd!")
    assert officer.get("/stats/dashboard?campaign=2012").status_code == 403
