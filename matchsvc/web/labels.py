"""What templates print: the audit log's and history's words, masked numbers, region names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from .. import pii
from ..clock import china_time
from ..clock import today as china_today
from ..graduates import lookups
from ..graduates.fields import FIELD_LABELS
from ..models import (
    ArchiveReason,
    ArchiveState,
    EmploymentStatus,
    ReferralState,
    ReviewOutcome,
    ServiceKind,
)
from ..orgs.service import place_name, region_name

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
    "totp_enable": "启用两步验证",
    "totp_reset": "重置两步验证",
    "recovery_code_used": "使用恢复码登录",
    "void_codes": "激活码因尝试次数过多作废",
    "export_unmasked": "导出完整信息",
    "approve": "审核通过",
    "enrol": "报名培训",
    "correct": "更正",
    "enable": "启用账号",
    "disable": "停用账号",
    "issue_code": "发放激活码",
    "looking_again": "毕业生申请重新接收推荐",
    "majors": "确认岗位专业要求",
    "password": "修改密码",
    "personalised": "切换个性化推荐",
    "refer": "推荐毕业生到岗位",
    "referral_step": "记录推荐进展",
    "reject": "审核不通过",
    "reopen": "退回统计表",
    "resolve_request": "处理毕业生申请",
    "revoke": "撤销访问令牌",
    "submit": "上报统计表",
    "chase": "催报",
    "aid": "填写第01–05项（金秋助学）",
    "apply": "毕业生应聘岗位",
    "take_interest": "用人单位处理毕业生的意向",
    "referral_closed": "毕业生已就业，等待中的推荐自动关闭",
    "hire_opened": "实现就业，安排就业回访",
    "withdraw_transfer": "撤回档案转移",
    "licence_uploaded": "上传营业执照",
    "referral_chased": "催办推荐结果",
    "follow_up_answered": "记录就业回访",
    "ask_training": "毕业生报名培训",
    "wishes": "毕业生修改求职意向",
    "privacy_accepted": "毕业生同意隐私说明",
    "notice_consent": "修改通知方式",
    "reset_password": "重置用人单位密码",
    "lookup": "按号码查到本档案",
    "archive_reviewed": "初审通过",
    "archive_visited": "登记入户调查",
    "archive_publicised": "开始公示",
    "archive_opened": "公示期满，建档",
    "archive_assisting": "开始帮扶",
    "archive_recovered": "脱困",
    "archive_closed": "撤档",
    "archive_cancelled": "注销档案",
    "archive_reopened": "恢复档案",
    "archive_applied_again": "再次收到线上申请",
    "archive_entered_application": "代为录入建档申请",
    "tenure_placed": "安置公益性岗位",
    "tenure_ended": "公益性岗位退出",
    "internship_base": "认定见习基地",
    "internship_step": "见习协议办理",
    "internship_rate": "修改见习补贴标准",
    "vacancy_reported": "报送空岗报告",
    "annual_review_drawn": "抽取年度复核样本",
    "annual_review_outcome": "记录年度复核结果",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def field_labels(fields: list[str]) -> str:
    return "、".join(FIELD_LABELS.get(f.removesuffix("_id"), f) for f in fields)


def audit_details(details: dict[str, Any] | None) -> str:
    """A readable summary of an audit event's details (which never hold personal data)."""
    details = details or {}
    if "place" in details and "field" in details:  # a lookup by a personal number
        return lookups.describe(details)
    parts = []
    if "fields" in details:
        parts.append("字段：" + "、".join(FIELD_LABELS.get(f, f) for f in details["fields"]))
    if "status" in details:
        label = EmploymentStatus(details["status"]).label
        since = details.get("effective_on")
        parts.append(f"{label}，自 {since}" if since else label)
    if "state" in details and details["state"] in {r.value for r in ReferralState}:
        parts.append(f"进展：{ReferralState(details['state']).label}，{details.get('on', '')}")
    if details.get("archive") in {s.value for s in ArchiveState}:
        parts.append(f"档案：{ArchiveState(details['archive']).label}，{details.get('on', '')}")
    if details.get("archive_reason") in {r.value for r in ArchiveReason}:
        parts.append(f"原因：{ArchiveReason(details['archive_reason']).label}")
    if details.get("outcome") in {o.value for o in ReviewOutcome}:
        parts.append(
            f"{details.get('year', '')} 年度复核：{ReviewOutcome(details['outcome']).label}"
        )
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


def position_status(position: Any) -> str:
    """A position's status as users read it: 已截止 as soon as its closing date has passed
    (the nightly job closes it later)."""
    closes = position.closes_on
    if position.status.value == "open" and closes is not None and closes < china_today():
        return "已截止"
    return str(position.status.label)


def install(app: Flask) -> None:
    app.jinja_env.filters.update(
        action_label=action_label,
        audit_details=audit_details,
        field_labels=field_labels,
        position_status=position_status,
    )
    app.jinja_env.globals.update(
        mask_id=pii.mask_id_number,
        mask_phone=pii.mask_phone,
        region_name=region_name,
        place_name=place_name,
        beijing=beijing,
        today=china_today,
    )
