"""Importing services, positions and fairs: keyed rows, created through the services, updated in place."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select

from .. import pii
from ..assistance.service import record_fair, record_service
from ..audit import record
from ..employers.service import PositionInput, create_position, register_employer
from ..graduates import lookups
from ..jurisdiction import graduate_scope
from ..models import (
    MONEY_KINDS,
    Degree,
    Employer,
    EmployerKind,
    Graduate,
    JobFair,
    Org,
    Position,
    PositionKind,
    PositionMajor,
    ServiceKind,
    ServiceRecord,
)
from ..text import split_list
from ..validators import parse_credit_code, parse_region_code
from . import cells
from .cells import checked
from .context import Lookups, OrgRef
from .engine import Column, Importer
from .graduate_columns import id_number_cell

region = checked(parse_region_code)


def _position_kind(value: Any) -> PositionKind:
    kind: PositionKind = cells.choice(PositionKind, value)
    if kind == PositionKind.WORK_STUDY:
        raise cells.CellError(
            "勤工俭学岗位请在系统中发布（须填写暑期日期、每周小时数和每小时报酬）"
        )
    return kind


def _text(n: int) -> Any:
    return lambda v: cells.text(v, max_len=n)


class _Keyed(Importer):
    """Shared by the record importers: org look-ups and in-file duplicate keys."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lookups = Lookups(self.session, self.actor)
        self.seen: dict[tuple[Any, ...], int] = {}

    def org(self, number: int, header: str, code: str, *, own: bool = True) -> OrgRef | None:
        org = self.lookups.orgs.get(code)
        if org is None:
            self.report.error(number, header, f"没有区划代码为 {code} 的工会组织")
        elif own and not self.lookups.in_region(org):
            self.report.error(number, header, f"{org.name}不在您的管辖范围内")
            return None
        return org

    def org_model(self, org: OrgRef) -> Org:
        model = self.session.get(Org, org.id)
        assert model is not None
        return model

    def first(self, number: int, key: tuple[Any, ...], column: str) -> bool:
        if key in self.seen:
            self.report.error(number, column, f"与第{self.seen[key]}行重复")
            return False
        self.seen[key] = number
        return True


class ServiceImporter(_Keyed):
    kind = "services"
    label = "帮扶记录"
    who = ("身份证号",)
    columns = (
        Column("身份证号", "id_number", id_number_cell, required=True, as_text=True),
        Column(
            "服务类别",
            "kind",
            lambda v: cells.choice(ServiceKind, v),
            required=True,
            choices=cells.labels(ServiceKind),
        ),
        Column("服务日期", "on", cells.day, required=True),
        Column("服务单位代码", "org", region, required=True),
        Column("金额（元）", "amount", cells.money),
        Column("备注", "remark", _text(500)),
    )
    example: ClassVar[dict[str, str]] = {
        "身份证号": "440106199001011235",
        "服务类别": "求职补贴",
        "服务日期": "2012-07-15",
        "服务单位代码": "440100",
        "金额（元）": "800",
        "备注": "首次求职补贴",
    }

    def handle(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        # each row names a graduate by number: a row that passes says the number is held in
        # reach, one refused rules it out; both are answers counted against the user's
        # allowance (graduates.lookups)
        lookups.guard(self.session, self.actor, "file")
        keyring = pii.keyring()
        digests = {n: keyring.digest(r["id_number"]) for n, r in rows}
        graduates = {
            g.id_number_hash: g
            for g in self.session.scalars(
                select(Graduate).where(
                    Graduate.id_number_hash.in_(digests.values()), graduate_scope(self.actor)
                )
            )
        }
        missed = 0
        for number, row in rows:
            graduate = graduates.get(digests[number])
            org = self.org(number, "服务单位代码", row["org"])
            if graduate is None:
                missed += 1
                self.report.error(
                    number, "身份证号", "没有该身份证号的毕业生，或不在您的管辖范围内"
                )
            kind: ServiceKind = row["kind"]
            if kind in MONEY_KINDS and row["amount"] is None:
                self.report.error(number, "金额（元）", f"“{kind.label}”须填写金额")
                continue
            if kind not in MONEY_KINDS and row["amount"] is not None:
                self.report.error(number, "金额（元）", f"“{kind.label}”不涉及金额")
                continue
            if graduate is None or org is None:
                continue
            key = (graduate.id, kind, row["on"], org.id, row["amount"])
            if not self.first(number, key, "身份证号"):
                continue
            existing = self.session.scalar(
                select(ServiceRecord).where(
                    ServiceRecord.graduate_id == graduate.id,
                    ServiceRecord.kind == kind,
                    ServiceRecord.service_date == row["on"],
                    ServiceRecord.org_id == org.id,
                    ServiceRecord.amount == row["amount"]
                    if row["amount"] is not None
                    else ServiceRecord.amount.is_(None),
                    ServiceRecord.voided_at.is_(None),
                )
            )
            label = f"{pii.mask_id_number(row['id_number'])} {kind.label}"
            if existing is None:
                self.report.change(number, "新建", label)
                if self.writing:
                    record_service(
                        self.session,
                        self.actor,
                        graduate,
                        kind=kind,
                        on=row["on"],
                        org=self.org_model(org),
                        amount=row["amount"],
                        remark=row["remark"],
                    )
            elif (existing.remark or None) != (row["remark"] or None):
                self.report.change(number, "更新", label, ["remark"])
                if self.writing:
                    existing.remark = row["remark"] or None
                    record(
                        self.session,
                        self.actor,
                        "update",
                        existing,
                        org_id=org.id,
                        details={"fields": ["remark"], "source": "import"},
                    )
            else:
                self.report.unchanged += 1
        if rows:
            lookups.answered(
                self.session,
                self.actor,
                "id_number",
                "import",
                list(graduates.values()),
                shown=False,
                misses=missed,
            )


class PositionImporter(_Keyed):
    kind = "positions"
    label = "岗位"
    who = ("单位名称", "岗位名称")
    columns = (
        Column("单位名称", "employer_name", _text(200), required=True),
        Column(
            "统一社会信用代码",
            "uscc",
            lambda v: checked(parse_credit_code)(cells.id_text(v)),
            required=True,
            as_text=True,
        ),
        Column(
            "单位类别",
            "employer_kind",
            lambda v: cells.choice(EmployerKind, v),
            required=True,
            choices=cells.labels(EmployerKind),
        ),
        Column("审核单位代码", "org", region, required=True),
        Column("岗位名称", "title", _text(100), required=True),
        Column(
            "岗位类别",
            "kind",
            _position_kind,
            required=True,
            choices=tuple(k.label for k in PositionKind if k != PositionKind.WORK_STUDY),
        ),
        Column("工作地点代码", "work_region_code", region, required=True),
        Column(
            "招聘人数", "headcount", lambda v: cells.integer(v, low=1, high=100000), required=True
        ),
        Column("发布日期", "published_on", cells.day, required=True),
        Column("专业要求", "majors", lambda v: split_list(cells.text(v, max_len=500))),
        Column(
            "学历要求",
            "min_degree",
            lambda v: cells.choice(Degree, v),
            choices=cells.labels(Degree),
        ),
        Column("薪酬下限", "pay_min", lambda v: cells.integer(v, low=0, high=10_000_000)),
        Column("薪酬上限", "pay_max", lambda v: cells.integer(v, low=0, high=10_000_000)),
        Column("截止日期", "closes_on", cells.day),
        Column("岗位描述", "description", _text(2000)),
    )
    example: ClassVar[dict[str, str]] = {
        "单位名称": "广州地铁集团有限公司",
        "统一社会信用代码": "91350100M000100Y43",
        "单位类别": "国有大中型企业",
        "审核单位代码": "440100",
        "岗位名称": "站务员",
        "岗位类别": "就业岗位",
        "工作地点代码": "440100",
        "招聘人数": "10",
        "发布日期": "2012-07-01",
        "专业要求": "交通运输、机电一体化技术",
        "学历要求": "专科",
        "薪酬下限": "3000",
        "薪酬上限": "4500",
        "截止日期": "2012-08-31",
        "岗位描述": "负责车站客运服务",
    }
    _FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "work_region_code",
        "headcount",
        "min_degree",
        "pay_min",
        "pay_max",
        "closes_on",
        "description",
    )

    def handle(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        for number, row in rows:
            org = self.org(number, "审核单位代码", row["org"])
            if org is None or not self.first(
                number, (row["uscc"], row["title"], row["published_on"]), "岗位名称"
            ):
                continue
            employer = self.session.scalar(select(Employer).where(Employer.uscc == row["uscc"]))
            if employer is not None and not self.lookups.in_region(
                self.lookups.org_by_id[employer.org_id]
            ):
                self.report.error(
                    number,
                    "统一社会信用代码",
                    f"该单位由“{self.lookups.org_by_id[employer.org_id].name}”审核，您无权为其导入岗位",
                )
                continue
            if (
                row["kind"] == PositionKind.PUBLIC_WELFARE
                and row["employer_kind"] != EmployerKind.PUBLIC_WELFARE
            ):
                self.report.error(number, "岗位类别", "只有政府公益性岗位单位可以发布公益性岗位")
                continue
            position = None
            if employer is not None:
                position = self.session.scalar(
                    select(Position).where(
                        Position.employer_id == employer.id,
                        Position.title == row["title"],
                        Position.published_on == row["published_on"],
                    )
                )
            label = f"{row['employer_name']} · {row['title']}"
            if position is None:
                self.report.change(number, "新建", label)
                if self.writing:
                    employer = employer or register_employer(
                        self.session,
                        self.actor,
                        name=row["employer_name"],
                        uscc=row["uscc"],
                        kind=row["employer_kind"],
                        org_code=org.code,
                        approve=True,
                    )
                    create_position(
                        self.session,
                        self.actor,
                        employer,
                        PositionInput(
                            kind=row["kind"],
                            title=row["title"],
                            work_region_code=row["work_region_code"],
                            headcount=row["headcount"],
                            published_on=row["published_on"],
                            description=row["description"],
                            majors=row["majors"] or [],
                            min_degree=row["min_degree"],
                            pay_min=row["pay_min"],
                            pay_max=row["pay_max"],
                            closes_on=row["closes_on"],
                        ),
                    )
                continue
            changed = [
                f for f in self._FIELDS if f in self.present and getattr(position, f) != row[f]
            ]
            majors = row["majors"] or []
            if "majors" in self.present and [m.text for m in position.majors] != majors:
                changed.append("majors")
            if not changed:
                self.report.unchanged += 1
                continue
            self.report.change(number, "更新", label, changed)
            if self.writing:
                for f in changed:
                    if f == "majors":
                        position.majors = [PositionMajor(text=m) for m in majors]
                    else:
                        setattr(position, f, row[f])
                record(
                    self.session,
                    self.actor,
                    "update",
                    position,
                    org_id=employer.org_id if employer else None,
                    details={"fields": changed, "source": "import"},
                )


class FairImporter(_Keyed):
    kind = "fairs"
    label = "招聘活动"
    who = ("活动名称",)
    columns = (
        Column("活动名称", "name", _text(200), required=True),
        Column("举办日期", "held_on", cells.day, required=True),
        Column("举办单位代码", "org", region, required=True),
        Column(
            "提供岗位数",
            "positions_offered",
            lambda v: cells.integer(v, low=0, high=10_000_000),
            required=True,
        ),
    )
    example: ClassVar[dict[str, str]] = {
        "活动名称": "高校毕业生专场招聘会",
        "举办日期": "2012-07-20",
        "举办单位代码": "440100",
        "提供岗位数": "320",
    }

    def handle(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        for number, row in rows:
            org = self.org(number, "举办单位代码", row["org"])
            if org is None or not self.first(
                number, (row["name"], row["held_on"], org.id), "活动名称"
            ):
                continue
            fair = self.session.scalar(
                select(JobFair).where(
                    JobFair.name == row["name"],
                    JobFair.held_on == row["held_on"],
                    JobFair.org_id == org.id,
                )
            )
            if fair is None:
                self.report.change(number, "新建", row["name"])
                if self.writing:
                    record_fair(
                        self.session,
                        self.actor,
                        name=row["name"],
                        held_on=row["held_on"],
                        org=self.org_model(org),
                        positions_offered=row["positions_offered"],
                    )
            elif fair.positions_offered != row["positions_offered"]:
                self.report.change(number, "更新", row["name"], ["positions_offered"])
                if self.writing:
                    fair.positions_offered = row["positions_offered"]
                    record(
                        self.session,
                        self.actor,
                        "update",
                        fair,
                        org_id=org.id,
                        details={"fields": ["positions_offered"], "source": "import"},
                    )
            else:
                self.report.unchanged += 1
