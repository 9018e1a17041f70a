"""The graduate's own record: who is signed in, and the download of everything held about them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..clock import china_time
from ..errors import Forbidden, NotFound
from ..models import (
    Graduate,
    GraduateRequest,
    Interest,
    Notice,
    Position,
    Referral,
    Role,
    ServiceRecord,
    StatusChange,
    User,
)
from ..orgs.service import place_name


def own_graduate(session: Session, actor: Actor) -> Graduate:
    if actor.role != Role.GRADUATE or actor.graduate_id is None:
        raise Forbidden("仅限毕业生本人")
    graduate = session.get(Graduate, actor.graduate_id)
    if graduate is None:
        raise NotFound("没有找到您的档案")
    return graduate


def _when(moment: datetime | None) -> str | None:
    """An instant as the graduate reads it: 北京时间, to the minute."""
    return china_time(moment).strftime("%Y-%m-%d %H:%M（北京时间）") if moment else None


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _post(session: Session, position_id: int) -> str:
    position = session.get(Position, position_id)
    if position is None:
        return ""
    return f"{position.employer.name} {position.title}"


def export_all(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything the service holds about the graduate, for them to download: in their words
    (Chinese headings, places and posts by name, times in 北京时间), not the database's."""
    g = own_graduate(session, actor)
    return {
        "导出时间": _when(datetime.now(UTC)),
        "档案": {
            "姓名": g.name,
            "身份证号": g.id_number,
            "手机号": g.phone,
            "性别": g.sex.label,
            "出生日期": g.birth_date.isoformat(),  # their own: from the number
            "建档工会": g.home_org.name,
            "生源地": place_name(g.origin_region_code) or None,
            "院校": g.school_name,
            "院校所在地": g.school_org.name,
            "专业": g.major_text,
            "专业代码": g.major_code,
            "学历": g.degree.label,
            "毕业年份": g.graduation_year,
            "家庭类别": g.family_kind.label,
            "困难类别": [h.label for h in g.hardship_categories],
            "父母工作单位": g.parent_employer_name,
            "求职意向地区": [place_name(code) for code in g.wish_regions],
            "求职意向": g.wish_work,
            "希望参加培训": _yes(g.wants_training),
            "希望参加见习": _yes(g.wants_internship),
            "希望创业": _yes(g.wants_business),
            "技能": g.skills,
            "证书": g.certificates,
            "帮扶档案编号": g.archive_no,
            "登记日期": g.registered_on.isoformat(),
            "就业状态": g.status.label,
            "状态生效日期": g.status_since.isoformat(),
            "个性化推荐": _yes(g.personalised),
        },
        "账号": _account_data(session, actor),
        "就业状态变化": [
            {"状态": s.status.label, "生效日期": s.effective_on.isoformat(), "说明": s.note}
            for s in session.scalars(
                select(StatusChange)
                .where(StatusChange.graduate_id == g.id)
                .order_by(StatusChange.effective_on, StatusChange.id)
            )
        ],
        "帮扶记录": [
            {
                "类别": s.kind.label,
                "日期": s.service_date.isoformat(),
                "服务单位": s.org.name,
                "金额（元）": str(s.amount) if s.amount is not None else None,
                "已作废": _yes(s.voided_at is not None),
            }
            for s in session.scalars(
                select(ServiceRecord)
                .where(ServiceRecord.graduate_id == g.id)
                .order_by(ServiceRecord.service_date)
            )
        ],
        "应聘和推荐": [
            {
                "岗位": _post(session, r.position_id),
                "来源": r.source.label,
                "进展": r.state.label,
                "经过": [
                    {"进展": s.state.label, "日期": s.on_date.isoformat(), "原因": s.reason}
                    for s in r.steps
                ],
            }
            for r in session.scalars(select(Referral).where(Referral.graduate_id == g.id))
        ],
        "表达的意向": [
            {"岗位": _post(session, i.position_id), "意向": i.kind.label, "原因": i.reason}
            for i in session.scalars(select(Interest).where(Interest.graduate_id == g.id))
        ],
        "我的申请": [
            {
                "类别": r.kind.label,
                "内容": r.text,
                "提交时间": _when(r.created_at),
                "处理结果": r.outcome,
            }
            for r in session.scalars(
                select(GraduateRequest).where(GraduateRequest.graduate_id == g.id)
            )
        ],
    }


def _account_data(session: Session, actor: Actor) -> dict[str, Any]:
    """The graduate's account: the e-mail and the consents given, and every notice sent."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        return {}
    return {
        "用户名": user.username,
        "电子邮箱": pii.keyring().open(user.email_enc) if user.email_enc else None,
        "接收邮件通知": _yes(user.notify_email),
        "接收短信通知": _yes(user.notify_sms),
        "同意个人信息保护说明的时间": _when(user.privacy_accepted_at),
        "收到的通知": [
            {"时间": _when(n.created_at), "内容": n.text}
            for n in session.scalars(
                select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)
            )
        ],
    }
