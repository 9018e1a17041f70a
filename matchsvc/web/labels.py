"""What templates print: the audit log's and history's words, masked numbers, region names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from .. import pii
from ..clock import china_time
from ..models import EmploymentStatus, ServiceKind
from ..orgs.service import region_name

ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "status": "变更就业状态",
    "void": "作废",
    "transfer": "申请档案转移",
    "accept_transfer": "接收档案",
    "refuse_transfer": "拒绝档案转移",
    "import": "导入",
    "export": "导出",
    "unmask": "查看完整身份证号和手机号",
    "export_unmasked": "导出完整信息",
    "approve": "审核通过",
    "enrol": "报名培训",
}
FIELD_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "home_org": "建档单位",
    "school_org": "院校所在地",
    "origin_region_code": "生源地",
    "school_name": "毕业院校",
    "major_text": "专业",
    "degree": "学历",
    "graduation_year": "毕业年份",
    "family_kind": "困难类别",
    "hardships": "具体困难",
    "parent_employer_name": "父母工作单位",
    "parent_employer_uscc": "父母单位信用代码",
    "wish_regions": "意向地区",
    "wish_work": "意向岗位",
    "wants_training": "培训意向",
    "wants_internship": "见习意向",
    "wants_business": "创业意向",
    "skills": "技能特长",
    "certificates": "证书",
    "archive_no": "帮扶档案编号",
    "registered_on": "登记日期",
    "parent_employer": "父母单位（匹配）",
    "status": "就业状态",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def field_labels(fields: list[str]) -> str:
    return "、".join(FIELD_LABELS.get(f.removesuffix("_id"), f) for f in fields)


def audit_details(details: dict[str, Any] | None) -> str:
    """A readable summary of an audit event's details (which never hold personal data)."""
    details = details or {}
    parts = []
    if "fields" in details:
        parts.append("字段：" + "、".join(FIELD_LABELS.get(f, f) for f in details["fields"]))
    if "status" in details:
        label = EmploymentStatus(details["status"]).label
        parts.append(f"{label}，自 {details.get('effective_on', '')}")
    if "kind" in details and details["kind"] in {k.value for k in ServiceKind}:
        parts.append(ServiceKind(details["kind"]).label)
    for key, label in (
        ("reason", "用途/原因"),
        ("to", "接收单位"),
        ("source", "来源"),
        ("rows", "条数"),
    ):
        if key in details:
            parts.append(f"{label}：{details[key]}")
    return "；".join(parts)


def beijing(moment: datetime | None) -> str:
    """An instant as users read it: 北京时间, to the minute."""
    return china_time(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def install(app: Flask) -> None:
    app.jinja_env.filters.update(
        action_label=action_label, audit_details=audit_details, field_labels=field_labels
    )
    app.jinja_env.globals.update(
        mask_id=pii.mask_id_number,
        mask_phone=pii.mask_phone,
        region_name=region_name,
        beijing=beijing,
    )
