"""Spreadsheet import: all or nothing, every error with its row, keys and updates, hostile files."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.employers.service import register_employer
from matchsvc.imports import reader
from matchsvc.imports.engine import run_import
from matchsvc.imports.graduates import GraduateImporter
from matchsvc.imports.reader import FileRefused
from matchsvc.imports.registry import template_xlsx
from matchsvc.models import EmployerKind, EmploymentStatus, Graduate, Hardship

from ..conftest import make_id, officer_actor
from .sheets import GRADUATE_HEADER, csv_bytes, graduate_row, xlsx


def ids(n: int, region: str = "440106") -> list[str]:
    return [
        make_id(region, f"1990{1 + i // 28 % 12:02d}{1 + i % 28:02d}", f"{i % 1000:03d}")
        for i in range(n)
    ]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Graduate)) or 0


def state(session: Session) -> list[tuple[object, ...]]:
    return [
        tuple(r)
        for r in session.execute(
            select(
                Graduate.id_number_hash,
                Graduate.name,
                Graduate.major_text,
                Graduate.status,
                Graduate.status_since,
            ).order_by(Graduate.id_number_hash)
        )
    ]


def test_one_bad_row_among_1000_writes_nothing_and_is_reported(
    session: Session, hq_actor: Actor
) -> None:
    rows = [graduate_row(i) for i in ids(1000)]
    rows[499][1] = rows[499][1][:-1] + ("0" if rows[499][1][-1] != "0" else "1")  # sheet row 501
    before = count(session)
    report = run_import(
        session, hq_actor, GraduateImporter, xlsx(GRADUATE_HEADER, rows), "g.xlsx", dry_run=False
    )
    assert report.error_count == 1 and not report.applied
    assert (report.errors[0].row, report.errors[0].column) == (501, "身份证号")
    assert "校验位" in report.errors[0].reason
    assert count(session) == before


def test_good_file_twice_gives_the_same_database(session: Session, hq_actor: Actor) -> None:
    data = xlsx(
        GRADUATE_HEADER,
        [
            graduate_row(
                i, status="已就业" if n % 3 == 0 else "", since="2012-08-01" if n % 3 == 0 else ""
            )
            for n, i in enumerate(ids(300))
        ],
    )
    first = run_import(session, hq_actor, GraduateImporter, data, "g.xlsx", dry_run=False)
    assert (first.created, first.updated, first.error_count, first.applied) == (300, 0, 0, True)
    after_first = state(session)
    second = run_import(session, hq_actor, GraduateImporter, data, "g.xlsx", dry_run=False)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 300)
    assert state(session) == after_first
    g = session.scalar(select(Graduate).where(Graduate.status == EmploymentStatus.EMPLOYED))
    assert g is not None and g.hardship_categories == [Hardship.DIBAO]
    assert [(s.status, s.effective_on.isoformat()) for s in g.status_history] == [
        (EmploymentStatus.UNEMPLOYED, "2012-07-02"),
        (EmploymentStatus.EMPLOYED, "2012-08-01"),
    ]
    assert g.name_pinyin == "wangfang" and g.phone == "13800138000"


def test_update_and_dry_run(session: Session, hq_actor: Actor) -> None:
    people = ids(3)
    run_import(
        session,
        hq_actor,
        GraduateImporter,
        xlsx(GRADUATE_HEADER, [graduate_row(i) for i in people]),
        "g.xlsx",
        dry_run=False,
    )
    changed = [
        graduate_row(people[0], major="审计学"),
        graduate_row(people[1]),
        graduate_row(people[2]),
    ]
    data = xlsx(GRADUATE_HEADER, changed)
    preview = run_import(session, hq_actor, GraduateImporter, data, "g.xlsx", dry_run=True)
    assert (preview.updated, preview.unchanged, preview.applied) == (1, 2, False)
    assert preview.changes[0].fields == ["major_text"]
    assert session.scalar(select(func.count()).where(Graduate.major_text == "审计学")) == 0
    real = run_import(session, hq_actor, GraduateImporter, data, "g.xlsx", dry_run=False)
    assert (
        real.updated == 1
        and session.scalar(select(func.count()).where(Graduate.major_text == "审计学")) == 1
    )


def test_rows_archived_elsewhere_are_errors_naming_the_org(
    session: Session, hq_actor: Actor
) -> None:
    person = ids(1, "420106")[0]
    run_import(
        session,
        hq_actor,
        GraduateImporter,
        xlsx(GRADUATE_HEADER, [graduate_row(person, home="420100")]),
        "g.xlsx",
        dry_run=False,
    )
    gz = officer_actor(session, "440100")
    report = run_import(
        session,
        gz,
        GraduateImporter,
        xlsx(GRADUATE_HEADER, [graduate_row(person, major="x")]),
        "g.xlsx",
        dry_run=False,
    )
    assert report.error_count == 1 and "武汉市总工会" in report.errors[0].reason
    outside = run_import(
        session,
        gz,
        GraduateImporter,
        xlsx(GRADUATE_HEADER, [graduate_row(ids(1)[0], home="510100")]),
        "g.xlsx",
        dry_run=False,
    )
    assert "不在您的管辖范围内" in outside.errors[0].reason


def test_every_error_is_listed_with_row_and_column(session: Session, hq_actor: Actor) -> None:
    good = ids(5)
    rows = [graduate_row(i) for i in good]
    rows[0][6] = "中专"  # not a degree level of graduates
    rows[1][7] = "二〇一二"
    rows[2][8] = "2012/13/01"
    rows[3][1] = good[0]  # duplicate of row 2 in the file
    rows[4][2] = "999999"
    report = run_import(
        session,
        hq_actor,
        GraduateImporter,
        csv_bytes(GRADUATE_HEADER, rows),
        "g.csv",
        dry_run=False,
    )
    found = {(p.row, p.column) for p in report.errors}
    assert found == {
        (2, "学历"),
        (3, "毕业年份"),
        (4, "登记日期"),
        (5, "身份证号"),
        (6, "建档单位代码"),
    }
    assert count(session) == 0


def test_excel_numeric_id_number_is_rejected_not_guessed(session: Session, hq_actor: Actor) -> None:
    row = graduate_row(ids(1)[0])
    row[1] = int(row[1][:17] + "0") if row[1][-1] != "X" else 440106199001010010
    report = run_import(
        session, hq_actor, GraduateImporter, xlsx(GRADUATE_HEADER, [row]), "g.xlsx", dry_run=False
    )
    assert report.errors[0].column == "身份证号" and "数字" in report.errors[0].reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(session: Session, hq_actor: Actor, encoding: str) -> None:
    data = csv_bytes(GRADUATE_HEADER, [graduate_row(i, name="欧阳娜娜") for i in ids(2)], encoding)
    report = run_import(session, hq_actor, GraduateImporter, data, "g.csv", dry_run=False)
    assert report.created == 2, report.errors
    assert session.scalar(select(Graduate.name).limit(1)) == "欧阳娜娜"


def test_missing_and_extra_columns(session: Session, hq_actor: Actor) -> None:
    header = [h for h in GRADUATE_HEADER if h != "专业"]
    rows = [
        [c for h, c in zip(GRADUATE_HEADER, graduate_row(ids(1)[0]), strict=True) if h != "专业"]
    ]
    report = run_import(
        session, hq_actor, GraduateImporter, xlsx(header, rows), "g.xlsx", dry_run=False
    )
    assert report.errors[0].row == 1 and "专业" in report.errors[0].column and count(session) == 0
    extra = run_import(
        session,
        hq_actor,
        GraduateImporter,
        xlsx([*GRADUATE_HEADER, "备注栏"], [[*graduate_row(ids(1)[0]), "x"]]),
        "g.xlsx",
        dry_run=False,
    )
    assert extra.created == 1 and extra.warnings[0].column == "备注栏"


def test_parent_employer_matching(session: Session, hq_actor: Actor) -> None:
    register_employer(
        session,
        hq_actor,
        name="广州地铁集团有限公司",
        uscc="91350100M000100Y43",
        kind=EmployerKind.SOE,
        org_code="440100",
        approve=True,
    )
    header = [*GRADUATE_HEADER, "父母工作单位"]
    people = ids(3)
    rows = [
        [*graduate_row(people[0]), "广州市地铁集团有限公司"],
        [*graduate_row(people[1]), "广州地铁集团"],
        [*graduate_row(people[2]), "某某贸易公司"],
    ]
    report = run_import(
        session, hq_actor, GraduateImporter, xlsx(header, rows), "g.xlsx", dry_run=False
    )
    assert report.created == 3
    matched = dict(
        session.execute(select(Graduate.parent_employer_name, Graduate.parent_employer_id)).all()
    )
    assert matched["广州市地铁集团有限公司"] is not None
    assert matched["广州地铁集团"] is None and matched["某某贸易公司"] is None
    assert [w.row for w in report.warnings] == [3]  # the uncertain one is listed for review


def test_template_downloads_and_imports_its_example(session: Session, hq_actor: Actor) -> None:
    data = template_xlsx(GraduateImporter)
    report = run_import(session, hq_actor, GraduateImporter, data, "template.xlsx", dry_run=True)
    assert report.rows == 1 and report.error_count == 0 and report.created == 1


# Hostile files -------------------------------------------------------------------------


def refused(session: Session, actor: Actor, data: bytes, name: str) -> str:
    started = time.monotonic()
    before = count(session)
    with pytest.raises(FileRefused) as err:
        run_import(session, actor, GraduateImporter, data, name, dry_run=False)
    assert time.monotonic() - started < 10  # refused quickly, not after reading it all
    assert count(session) == before
    return err.value.message


def zip_with(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_not_really_xlsx(session: Session, hq_actor: Actor) -> None:
    assert "不是有效的 .xlsx 或 .xls" in refused(
        session, hq_actor, b"<html>not a workbook</html>", "g.xlsx"
    )
    assert "workbook" in refused(session, hq_actor, zip_with({"a.txt": b"x"}), "g.xlsx")


def test_zip_bomb(session: Session, hq_actor: Actor) -> None:
    bomb = zip_with(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (300 * 1024 * 1024)}
    )
    assert len(bomb) < 2 * 1024 * 1024
    assert "压缩炸弹" in refused(session, hq_actor, bomb, "g.xlsx") or "200MB" in refused(
        session, hq_actor, bomb, "g.xlsx"
    )


def test_bombs_are_refused_in_bounded_memory(session: Session, hq_actor: Actor) -> None:
    """A 300 MB zip bomb and a billion-laughs sheet are refused without ever being inflated:
    the peak of Python allocations stays far below the bomb's size."""
    import tracemalloc

    bomb = zip_with(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (300 * 1024 * 1024)}
    )
    good = zipfile.ZipFile(io.BytesIO(xlsx(GRADUATE_HEADER, [graduate_row(ids(1)[0])])))
    entries = {n: good.read(n) for n in good.namelist()}
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %c "%s">' % (98 + i, b"".join(b"&%c;" % (97 + i) for _ in range(10)))
            for i in range(8)
        )
        + b"]>"
    )
    entries["xl/worksheets/sheet1.xml"] = (
        laughs + b"<worksheet><sheetData><row><c><v>&i;</v></c></row></sheetData></worksheet>"
    )
    entity_bomb = zip_with(entries)
    for payload in (bomb, entity_bomb):
        tracemalloc.start()
        message = refused(session, hq_actor, payload, "g.xlsx")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert message
        assert peak < 64 * 1024 * 1024, peak


def test_macro_enabled_workbook(session: Session, hq_actor: Actor) -> None:
    good = zipfile.ZipFile(io.BytesIO(xlsx(GRADUATE_HEADER, [])))
    entries = {n: good.read(n) for n in good.namelist()} | {"xl/vbaProject.bin": b"macro"}
    assert "宏" in refused(session, hq_actor, zip_with(entries), "g.xlsx")


def test_xml_entity_bomb(session: Session, hq_actor: Actor) -> None:
    good = zipfile.ZipFile(io.BytesIO(xlsx(GRADUATE_HEADER, [graduate_row(ids(1)[0])])))
    entries = {n: good.read(n) for n in good.namelist()}
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    body = entries["xl/worksheets/sheet1.xml"]
    body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
    entries["xl/worksheets/sheet1.xml"] = lol + body.replace(b"<v>", b"<v>&lol3;", 1)
    assert "实体声明" in refused(session, hq_actor, zip_with(entries), "g.xlsx")


def _utf16_sheet_with_dtd() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(xlsx(GRADUATE_HEADER, [graduate_row(ids(1)[0])])))
    entries = {n: good.read(n) for n in good.namelist()}
    body = entries["xl/worksheets/sheet1.xml"].decode("utf-8")
    body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
    dtd = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    entries["xl/worksheets/sheet1.xml"] = (dtd + body.replace("<v>", "<v>&a;", 1)).encode("utf-16")
    return zip_with(entries)


def test_a_dtd_in_a_utf16_part_is_refused(
    session: Session, hq_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _utf16_sheet_with_dtd()
    assert "实体声明" in refused(session, hq_actor, data, "g.xlsx")
    # and should a DTD get past the scan, the parser (defusedxml) refuses it cleanly, no 500
    monkeypatch.setattr(reader, "_has_dtd", lambda *_: False)
    assert "无法读取工作簿" in refused(session, hq_actor, data, "g.xlsx")


def test_a_parse_error_part_way_through_the_rows_is_a_refusal(
    session: Session, hq_actor: Actor
) -> None:
    good = zipfile.ZipFile(io.BytesIO(xlsx(GRADUATE_HEADER, [graduate_row(i) for i in ids(30)])))
    entries = {n: good.read(n) for n in good.namelist()}
    body = entries["xl/worksheets/sheet1.xml"]
    cut = body.index(b'<row r="20"')
    entries["xl/worksheets/sheet1.xml"] = body[:cut] + b"<row r=<<broken"
    assert "无法读取工作簿" in refused(session, hq_actor, zip_with(entries), "g.xlsx")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_huge_header_is_refused_at_once_and_duplicates_are_named(
    session: Session, hq_actor: Actor, kind: str
) -> None:
    row = graduate_row(ids(1)[0])
    make = (lambda h: csv_bytes(h, [row])) if kind == "csv" else (lambda h: xlsx(h, [row]))
    many = GRADUATE_HEADER + ["备注"] * (80_000 if kind == "csv" else 16_000)  # xlsx: ≤ 16,384
    assert f"超过 {reader.MAX_COLUMNS} 列" in refused(session, hq_actor, make(many), f"g.{kind}")
    twice = GRADUATE_HEADER + ["姓名"] * 50
    report = run_import(
        session, hq_actor, GraduateImporter, make(twice), f"g.{kind}", dry_run=False
    )
    assert report.created == 0 and any("列名重复" in e.reason for e in report.errors)


def test_a_gb18030_csv_with_its_bom_is_read(session: Session, hq_actor: Actor) -> None:
    rows = [graduate_row(i, name="欧阳娜娜") for i in ids(2)]
    data = b"\x84\x31\x95\x33" + csv_bytes(GRADUATE_HEADER, rows, "gb18030")
    report = run_import(session, hq_actor, GraduateImporter, data, "g.csv", dry_run=False)
    assert report.created == 2, report.errors


def test_formulas_are_refused(session: Session, hq_actor: Actor) -> None:
    row = graduate_row(ids(1)[0])
    row[5] = '=HYPERLINK("http://example.invalid","x")'
    assert "公式" in refused(session, hq_actor, xlsx(GRADUATE_HEADER, [row]), "g.xlsx")


def test_too_many_rows_and_too_large(
    session: Session, hq_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 50)
    many = [graduate_row(i) for i in ids(60)]
    assert "上限" in refused(session, hq_actor, csv_bytes(GRADUATE_HEADER, many), "g.csv")
    assert "上限" in refused(session, hq_actor, xlsx(GRADUATE_HEADER, many), "g.xlsx")
    million = b"\n".join(
        [",".join(GRADUATE_HEADER).encode()] + [b"a,b,c,d,e,f,g,h,i,j,k,l,m"] * 1_000_000
    )
    assert "MB" in refused(session, hq_actor, million, "g.csv")


def test_binary_garbage_as_csv(session: Session, hq_actor: Actor) -> None:
    assert refused(session, hq_actor, b"\x00\x01\x02\xff\xfe" * 100, "g.csv")


# Services, positions and fairs --------------------------------------------------------

SERVICE_HEADER = ["身份证号", "服务类别", "服务日期", "服务单位代码", "金额（元）", "备注"]
POSITION_HEADER = [
    "单位名称",
    "统一社会信用代码",
    "单位类别",
    "审核单位代码",
    "岗位名称",
    "岗位类别",
    "工作地点代码",
    "招聘人数",
    "发布日期",
    "专业要求",
]
FAIR_HEADER = ["活动名称", "举办日期", "举办单位代码", "提供岗位数"]


def test_services_import(session: Session, hq_actor: Actor) -> None:
    from matchsvc.imports.records import ServiceImporter
    from matchsvc.models import ServiceRecord

    people = ids(2)
    run_import(
        session,
        hq_actor,
        GraduateImporter,
        xlsx(GRADUATE_HEADER, [graduate_row(i) for i in people]),
        "g.xlsx",
        dry_run=False,
    )
    rows = [
        [people[0], "求职补贴", "2012-07-15", "440100", "800", "首次"],
        [people[0], "实现就业", "2012-08-02", "440100", "", ""],
        [people[1], "就业技能培训", "2012-07-20", "440000", "", ""],
    ]
    data = xlsx(SERVICE_HEADER, rows)
    first = run_import(session, hq_actor, ServiceImporter, data, "s.xlsx", dry_run=False)
    assert (first.created, first.error_count) == (3, 0)
    employed = session.scalar(select(Graduate).where(Graduate.status == EmploymentStatus.EMPLOYED))
    assert employed is not None and employed.status_since.isoformat() == "2012-08-02"
    again = run_import(session, hq_actor, ServiceImporter, data, "s.xlsx", dry_run=False)
    assert (again.created, again.unchanged) == (0, 3)
    rows[0][5] = "首次求职"
    assert (
        run_import(
            session, hq_actor, ServiceImporter, xlsx(SERVICE_HEADER, rows), "s.xlsx", dry_run=False
        ).updated
        == 1
    )
    bad = run_import(
        session,
        hq_actor,
        ServiceImporter,
        xlsx(
            SERVICE_HEADER,
            [
                [people[1], "小额担保贷款", "2012-07-20", "440000", "", ""],
                [ids(3)[2], "创业指导", "2012-07-20", "440000", "", ""],
                [people[1], "创业指导", "2012-07-20", "440000", "50", ""],
            ],
        ),
        "s.xlsx",
        dry_run=False,
    )
    assert [(p.row, p.column) for p in bad.errors] == [
        (2, "金额（元）"),
        (3, "身份证号"),
        (4, "金额（元）"),
    ]
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 3
    outsider = run_import(
        session, officer_actor(session, "420100"), ServiceImporter, data, "s.xlsx", dry_run=False
    )
    assert (
        outsider.error_count >= 3
        and session.scalar(select(func.count()).select_from(ServiceRecord)) == 3
    )


def test_positions_import(session: Session, hq_actor: Actor) -> None:
    from matchsvc.imports.records import PositionImporter
    from matchsvc.models import Employer, Position

    uscc = "91350100M000100Y43"
    rows = [
        [
            "广州地铁集团有限公司",
            uscc,
            "国有大中型企业",
            "440100",
            "站务员",
            "就业岗位",
            "440100",
            "10",
            "2012-07-01",
            "交通运输、机电一体化技术",
        ],
        [
            "广州地铁集团有限公司",
            uscc,
            "国有大中型企业",
            "440100",
            "见习站务员",
            "见习岗位",
            "440100",
            "5",
            "2012-07-01",
            "",
        ],
    ]
    gz = officer_actor(session, "440100")
    report = run_import(
        session, gz, PositionImporter, xlsx(POSITION_HEADER, rows), "p.xlsx", dry_run=False
    )
    assert (report.created, report.error_count) == (2, 0)
    employer = session.scalar(select(Employer).where(Employer.uscc == uscc))
    assert employer is not None and employer.status.value == "approved"
    rows[0][7] = "12"
    again = run_import(
        session, gz, PositionImporter, xlsx(POSITION_HEADER, rows), "p.xlsx", dry_run=False
    )
    assert (again.updated, again.unchanged) == (1, 1) and again.changes[0].fields == ["headcount"]
    assert session.scalar(select(Position.headcount).where(Position.title == "站务员")) == 12
    other = run_import(
        session,
        officer_actor(session, "420100"),
        PositionImporter,
        xlsx(POSITION_HEADER, [[*rows[0][:3], "420100", *rows[0][4:]]]),
        "p.xlsx",
        dry_run=False,
    )
    assert "广州市总工会" in other.errors[0].reason
    welfare = run_import(
        session,
        gz,
        PositionImporter,
        xlsx(POSITION_HEADER, [[*rows[0][:5], "公益性岗位", *rows[0][6:]]]),
        "p.xlsx",
        dry_run=False,
    )
    assert welfare.errors[0].column == "岗位类别"


def test_fairs_import(session: Session, hq_actor: Actor) -> None:
    from matchsvc.imports.records import FairImporter

    rows = [
        ["高校毕业生专场招聘会", "2012-07-20", "440100", "320"],
        ["公益性岗位对接会", "2012-08-01", "440100", "0"],
    ]
    assert (
        run_import(
            session, hq_actor, FairImporter, csv_bytes(FAIR_HEADER, rows), "f.csv", dry_run=False
        ).created
        == 2
    )
    rows[0][3] = "350"
    again = run_import(
        session,
        hq_actor,
        FairImporter,
        csv_bytes(FAIR_HEADER, [*rows, rows[1]]),
        "f.csv",
        dry_run=False,
    )
    assert [(p.row, p.column) for p in again.errors] == [
        (4, "活动名称")
    ]  # a duplicate key in the file
    assert (
        run_import(
            session, hq_actor, FairImporter, csv_bytes(FAIR_HEADER, rows), "f.csv", dry_run=False
        ).updated
        == 1
    )


# From the command line and the web ------------------------------------------------------


def test_cli_import(runner, session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.cli import main
    from matchsvc.models import AuditEvent

    good = tmp_path / "g.xlsx"
    good.write_bytes(xlsx(GRADUATE_HEADER, [graduate_row(i) for i in ids(20)]))
    dry = runner.invoke(main, ["import", "graduates", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "新建 20" in dry.output and "试运行" in dry.output
    assert count(session) == 0
    real = runner.invoke(main, ["import", "graduates", str(good)])
    assert real.exit_code == 0 and count(session) == 20
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
    assert event is not None and event.actor == "命令行" and event.details["created"] == 20
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(GRADUATE_HEADER, [graduate_row("123")]))
    result = runner.invoke(main, ["import", "graduates", str(bad)])
    assert result.exit_code == 1 and "第2行 [身份证号]" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    refused_ = runner.invoke(main, ["import", "graduates", str(broken)])
    assert refused_.exit_code == 1 and "不是有效的 .xlsx" in refused_.output


def test_web_upload_preview_confirm(client, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import csrf, login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    login(client, "gz", "Passw0rd!")
    template = client.get("/imports/template/graduates.xlsx")
    assert template.status_code == 200 and template.data.startswith(b"PK")
    data = xlsx(GRADUATE_HEADER, [graduate_row(i) for i in ids(5)])
    token = csrf(client, "/imports/")
    preview = client.post(
        "/imports/preview",
        data={"csrf_token": token, "kind": "graduates", "file": (io.BytesIO(data), "g.xlsx")},
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "新建 5" in html and count(session) == 0
    import re

    confirm_token = re.search(r'name="token" type="hidden" value="([^"]+)"', html)
    assert confirm_token is not None
    done = client.post(
        "/imports/confirm", data={"csrf_token": token, "token": confirm_token.group(1)}
    )
    assert done.status_code == 200 and "导入完成" in done.get_data(as_text=True)
    assert count(session) == 5
    replay = client.post(
        "/imports/confirm", data={"csrf_token": token, "token": confirm_token.group(1)}
    )
    assert replay.status_code == 422 and count(session) == 5  # the stored file is gone after use
    bad = client.post(
        "/imports/preview",
        data={"csrf_token": token, "kind": "graduates", "file": (io.BytesIO(b"junk"), "g.xlsx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "不是有效的 .xlsx" in bad.get_data(as_text=True)


# Spreadsheets as officers have them ---------------------------------------------------

FILES = Path(__file__).parent / "files"


def test_an_old_xls_workbook_is_read_and_its_bad_row_reported(
    session: Session, hq_actor: Actor
) -> None:
    """Saved by LibreOffice as Excel 97–2003 from three rows, the second with a wrong check
    digit (tests/imports/files/graduates-one-bad-row.xls)."""
    data = (FILES / "graduates-one-bad-row.xls").read_bytes()
    report = run_import(session, hq_actor, GraduateImporter, data, "g.xls", dry_run=False)
    assert report.rows == 3 and report.error_count == 1 and count(session) == 0
    (problem,) = report.errors
    assert (problem.row, problem.column) == (3, "身份证号") and "校验" in problem.reason
    # the other two rows were read right (names, dates, codes); all or nothing: none written
    assert report.created == 2 and not report.applied


def test_a_broken_xls_is_refused_like_any_hostile_file(session: Session, hq_actor: Actor) -> None:
    fake = reader.OLE2_MAGIC + b"\x00" * 4000
    assert ".xls" in refused(session, hq_actor, fake, "g.xls")
    assert "扩展名" in refused(session, hq_actor, fake, "g.csv")


def test_a_long_number_excel_wrote_into_a_csv_is_named_as_such(
    session: Session, hq_actor: Actor
) -> None:
    row = graduate_row(ids(1)[0])
    row[1] = "4.40106E+17"
    data = csv_bytes(GRADUATE_HEADER, [row])
    report = run_import(session, hq_actor, GraduateImporter, data, "g.csv", dry_run=True)
    assert any("被 Excel 存成了数字" in e.reason for e in report.errors)


def test_templates_format_whole_columns_as_text_and_offer_drop_down_lists() -> None:
    from openpyxl import load_workbook

    from matchsvc.imports.records import PositionImporter
    from matchsvc.imports.registry import TEMPLATE_ROWS

    sheet = load_workbook(io.BytesIO(template_xlsx(GraduateImporter))).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    for name in ("身份证号", "手机号"):
        column = headers.index(name) + 1
        assert all(
            sheet.cell(row=r, column=column).number_format == "@"
            for r in (2, 3, 500, TEMPLATE_ROWS + 1)
        ), name
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    letter = sheet.cell(row=1, column=headers.index("学历") + 1).column_letter
    assert "本科" in lists[letter] and "硕士" in lists[letter]
    hardship = sheet.cell(row=1, column=headers.index("困难类别") + 1).column_letter
    assert hardship in lists
    positions = load_workbook(io.BytesIO(template_xlsx(PositionImporter))).active
    assert positions is not None
    formulas = " ".join(v.formula1 for v in positions.data_validations.dataValidation)
    assert "公益性岗位" in formulas or "见习" in formulas  # 岗位类别
    uscc = [c.value for c in positions[1]].index("统一社会信用代码") + 1
    assert positions.cell(row=800, column=uscc).number_format == "@"


def test_the_error_list_downloads_as_a_workbook(client, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    import base64
    import re

    from openpyxl import load_workbook

    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import csrf, login

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    login(client, "gz", "Passw0rd!")
    data = (FILES / "graduates-one-bad-row.xls").read_bytes()
    preview = client.post(
        "/imports/preview",
        data={
            "csrf_token": csrf(client, "/imports/"),
            "kind": "graduates",
            "file": (io.BytesIO(data), "本月登记.xls"),
        },
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "本月登记-错误清单.xlsx" in html
    link = re.search(r'href="data:[^;]+;base64,([A-Za-z0-9+/=]+)"', html)
    assert link is not None
    sheet = load_workbook(io.BytesIO(base64.b64decode(link.group(1)))).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["行", "姓名/名称", "列", "填写内容", "原因"]
    assert rows[1][0] == 3 and rows[1][1] and rows[1][2] == "身份证号"
    assert rows[1][3] and "*" in rows[1][3]  # the offending number, masked
