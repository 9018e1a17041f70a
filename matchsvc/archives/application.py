"""The online application (申请): a graduate or their family applies for an archive on line, the
union they chose reviews it. The answer is the same whether or not the person already has an
archive — a duplicate is passed to the union holding it, the applicant learns nothing about
anyone — and the ID number, phone and hardship stay sealed as in every archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, pii
from ..actors import Actor
from ..audit import record
from ..errors import DomainError, NotFound
from ..graduates.service import GraduateInput, create_archive, register_graduate
from ..models import HQ_CODE, Graduate, OrgLevel, Role
from ..notices.service import notify, officers_of
from ..orgs.service import get_org
from ..validators import check_graduation_year, parse_id_number, parse_region_code
from . import service

#: Who acts for an online application in the audit log.
ONLINE = Actor(role=Role.GRADUATE, label="线上申请")
RECEIVED = "申请已提交。受理工会将在 5 个工作日内初审，并按您留下的手机号联系您；请保持电话畅通。"


@dataclass(frozen=True)
class Received:
    """What the applicant is told: the same words for a new and a known number."""

    message: str = RECEIVED


def apply_online(
    session: Session, data: GraduateInput, *, consent: bool, on: date | None = None
) -> Received:
    """Record an online application under the union chosen (any union but HQ), made today (the
    demo passes an earlier day); refused only for what the applicant typed wrong."""
    if not consent:
        raise DomainError("请阅读并同意个人信息使用说明和入户调查", field="consent")
    if not data.phone:
        raise DomainError("请填写手机号，受理工会据此联系您", field="phone")
    idn = parse_id_number(data.id_number)
    check_graduation_year(data.graduation_year, idn.birth_date.year)
    code = parse_region_code(data.home_org_code)
    if code == HQ_CODE:
        raise NotFound("请选择省、市或区县总工会", field="home_org_code")
    home = get_org(session, code)
    if home.level == OrgLevel.HQ:
        raise NotFound("请选择省、市或区县总工会", field="home_org_code")
    existing = session.scalar(
        select(Graduate).where(Graduate.id_number_hash == pii.keyring().digest(idn.value))
    )
    if existing is not None:
        # the union holding the archive follows it up; the applicant is told what anyone is
        record(session, ONLINE, "archive_applied_again", existing, org_id=existing.home_org_id)
        notify(
            session,
            officers_of(session, existing.home_org_id),
            f"有人为已在本单位建档（或申请中）的 {existing.name} 再次提交了线上申请，"
            "请电话联系核实是否需要更新档案。",
            f"/graduates/{existing.id}",
            "线上申请",
        )
        return Received()
    data.registered_on = on or clock.today()
    graduate = create_archive(session, ONLINE, data, idn, home)
    service.record_application(session, ONLINE, graduate, graduate.registered_on)
    notify(
        session,
        officers_of(session, home.id),
        f"收到新的线上建档申请：{graduate.name}，请初审。",
        f"/graduates/{graduate.id}",
        "线上申请",
    )
    return Received()


def enter_application(session: Session, actor: Actor, data: GraduateInput) -> Graduate:
    """An application an officer takes at the desk for a family (on paper, by phone): the same
    checks as registration (the number free, the home org in the officer's region), then the
    archive starts at 申请 and goes through 初审, 入户调查 and 公示 like one made on line."""
    graduate = register_graduate(session, actor, data)
    service.record_application(session, actor, graduate, graduate.registered_on)
    record(session, actor, "archive_entered_application", graduate, org_id=graduate.home_org_id)
    return graduate
