"""The access-control matrix for state changes: the same eleven users (see test_access_matrix)
against every POST route of the URL map, each with the objects it acts on lying in the user's own
region, below, in a sibling region and above. Every request carries a valid CSRF token and an
empty form, so a user allowed to act gets an answer about the form (422, 400, 409, a redirect)
while a user not allowed gets 401/403/404 or the login page — before any field is looked at —
and nothing is written (the audit log and nine tables' row counts are unchanged). The expected
answer is the jurisdiction rule written out here; a POST route missing from the table fails."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.graduates.service import register_graduate
from matchsvc.graduates.transfers import request_transfer
from matchsvc.models import (
    ArchiveTransfer,
    AuditEvent,
    Employer,
    Graduate,
    GraduateRequest,
    InterestKind,
    Org,
    Position,
    Referral,
    RequestKind,
    ServiceKind,
    ServiceRecord,
    TrainingEnrollment,
    User,
)
from matchsvc.portals.requests import ask
from matchsvc.referrals.interest import set_interest
from matchsvc.referrals.service import refer
from matchsvc.stats import tokens
from matchsvc.training.service import enrol

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY
from .test_access_matrix import _objects, _users, _viewer, _world, sign_in

PUBLIC = {
    "archives.apply",
    "auth.login",
    "graduate_portal.activate",
    "employer_portal.signup",
    "auth.forgot",
    "auth.reset_password",
}
ANY_USER = {"auth.change_password", "auth.logout", "auth.two_factor", "notices.preferences"}
#: The code page acts only right after a right password: without one, for nobody.
AFTER_PASSWORD = {"auth.second_factor"}
STAFF = {
    "assistance.fairs",
    "employers.index",
    "graduates.export",  # a long list: the POST queues its export (export_runs)
    "graduates.register",
    "imports.confirm",
    "imports.preview",
    "majors.review",
    "matching.placement",
    "training.index",
    "archives.reviews",
    "welfare.submitted",  # the report's id in the form; its org's region is checked after
    "internships.index",  # 认定见习基地: the employer is chosen among the region's
}
OFFICERS = {"graduates.export_unmasked"}  # not HQ
TOKEN_ISSUERS = {"stats.tokens_page", "outcomes.replay_request"}  # HQ and province officers
PROVINCE_OFFICERS = {"stats.submit", "stats.aid"}  # a province reports its own table
HQ_ONLY = {
    "stats.campaigns",
    "stats.reopen",
    "stats.chase",
    "auth.reset_two_factor",
    "internships.rates",
}
EMPLOYER = {"employer_portal.edit:new", "employer_portal.licence"}
GRADUATE = {
    "graduate_portal.correction",
    "graduate_portal.signed",
    "graduate_portal.personalised",
    "graduate_portal.looking",
    "graduate_portal.wishes",
}
#: a graduate, any open position (or training offer)
GRADUATE_POSITION = {
    "graduate_portal.interest",
    "graduate_portal.apply_to",
    "graduate_portal.ask_training",
}
INTEREST = {"employer_portal.take_interest"}  # the employer of the position
GRADUATE_SERVE = {"assistance.record", "referrals.refer"}  # staff who see the graduate
GRADUATE_EDIT = {  # the home org's subtree
    "archives.step",
    "welfare.graduate",
    "internships.graduate",
    "graduates.change_status",
    "graduates.edit",
    "graduates.parent_employers",
    "graduates.transfer",
    "officer_portal.activation",
}
GRADUATE_UNMASK = {"graduates.unmask"}  # officers (not HQ) of the home org's subtree
SERVICE_VOID = {"assistance.void"}  # sees the graduate and the giving org is in the region
TRANSFER_TO = {"graduates.decide"}  # the receiving org's region
EMPLOYER_ORG = {
    "employers.approve",
    "employers.reject",
    "employers.reopen",
    "employers.detail",
    "employers.reset_password",
}
OFFER_ORG = {"training.detail"}
ENROLMENT_OFFER_ORG = {"training.complete"}  # the offer's org's region, seeing the graduate
OWN_POSITION = {"employer_portal.edit", "employer_portal.status"}
POSITION_MAJORS = {"employer_portal.majors"}  # the position's employer, or staff of its org
REFERRAL = {"employer_portal.step"}
#: 催办: staff of the referring org's region.
CHASE = {"referrals.chase"}
#: A follow-up's answer: staff who see the graduate (the home org's subtree records it).
FOLLOW_UP = {"followups.answer"}
#: Withdrawing a transfer: the sending org's region.
TRANSFER_FROM = {"graduates.withdraw"}  # the position's employer; staff of the org or the graduate
#: the home org's subtree: confirming a report changes the archive (the school's region only sees)
REQUEST_GRADUATE = {"officer_portal.decide"}
OWN_TOKEN = {"stats.revoke_token"}  # the issuing org's officers
REVIEW_ORG = {"archives.outcome"}  # staff of the reviewing province's region
TABLE = {
    name: group
    for group in (
        PUBLIC,
        ANY_USER,
        AFTER_PASSWORD,
        STAFF,
        OFFICERS,
        TOKEN_ISSUERS,
        PROVINCE_OFFICERS,
        HQ_ONLY,
        EMPLOYER,
        GRADUATE,
        GRADUATE_POSITION,
        GRADUATE_SERVE,
        GRADUATE_EDIT,
        GRADUATE_UNMASK,
        SERVICE_VOID,
        TRANSFER_TO,
        EMPLOYER_ORG,
        OFFER_ORG,
        ENROLMENT_OFFER_ORG,
        OWN_POSITION,
        POSITION_MAJORS,
        REFERRAL,
        REQUEST_GRADUATE,
        OWN_TOKEN,
        INTEREST,
        CHASE,
        FOLLOW_UP,
        TRANSFER_FROM,
        REVIEW_ORG,
    )
    for name in group
}
#: Which variant of a route with a choice in its URL is exercised (the gentler one).
FIXED = {
    "decision": None,
    "action": "interest",
    "code": "440000",
    "fmt": "csv",
    "token": "not-a-token",
    "step": "recovered",
}
DECISIONS = {
    "graduates.decide": "refuse",
    "officer_portal.decide": "close",
}
#: Routes that name their object in the form rather than the URL: (object kind, form fields).
FORM_OBJECTS = {
    "graduates.parent_employers": ("graduate_id", lambda g, w: {"graduate": g.id}),
    "referrals.refer": (
        "graduate_id",
        lambda g, w: {"graduate_id": g.id, "position_id": w["positions"]["P_gz"].id},
    ),
}
COUNTED = (
    AuditEvent,
    ServiceRecord,
    ArchiveTransfer,
    Referral,
    GraduateRequest,
    TrainingEnrollment,
    Position,
    Employer,
    Graduate,
    User,
)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _more(session: Session, hq: Actor, world: dict) -> None:  # type: ignore[type-arg]
    """The objects POST routes act on, each in a known region."""
    g = world["graduates"]
    th, wh, gz = (officer_actor(session, c) for c in ("440106", "420100", "440100"))
    orgs = {c: session.scalar(select(Org).where(Org.code == c)) for c in ("440106", "420100")}
    world["services"] = {
        "S_th": record_service(
            session, th, g["G_th"], kind=ServiceKind.POLICY, on=TODAY, org=orgs["440106"]
        ),
        "S_wh": record_service(
            session, wh, g["G_wh"], kind=ServiceKind.POLICY, on=TODAY, org=orgs["420100"]
        ),
    }
    moving = register_graduate(
        session, hq, graduate_input(make_id("440106", seq="777"), "440106", "440100", name="乙")
    )
    world["transfers"] = {"X_th_wh": request_transfer(session, th, moving, "420100", "家庭迁居")}
    if "referrals" not in world:  # the GET matrix's world makes them already
        world["referrals"] = {
            "R_gz": refer(session, gz, g["G_gz"].id, world["positions"]["P_gz"].id, TODAY),
            "R_wh": refer(session, wh, g["G_wh"].id, world["positions"]["P_wh"].id, TODAY),
        }
    world["requests"] = {}
    for user, key in (("grad_gz", "G_gz"), ("grad_wh", "G_wh")):
        u = session.scalar(select(User).where(User.username == user))
        world["requests"][key] = ask(session, Actor.for_user(u), RequestKind.CORRECTION, "姓名有误")
    world["enrolments"] = {
        "E_th_gd": enrol(
            session, officer_actor(session, "440000"), world["offers"]["T_gd"], g["G_th"], TODAY
        ),
        "E_wh_wh": enrol(session, wh, world["offers"]["T_wh"], g["G_wh"], TODAY),
    }
    world["interests"] = {}
    for user, key, pos in (("grad_gz", "G_gz", "P_wh"), ("grad_wh", "G_wh", "P_gz")):
        u = session.scalar(select(User).where(User.username == user))
        world["interests"][key] = set_interest(
            session, Actor.for_user(u), world["positions"][pos].id, InterestKind.INTERESTED
        )
    world["tokens"] = {}
    for user in ("gd", "hb"):
        u = session.scalar(select(User).where(User.username == user))
        world["tokens"][user], _ = tokens.issue(session, Actor.for_user(u), "对接省平台")
    session.commit()


def _expected(session: Session, user: str, world: dict, endpoint: str, obj: object | None) -> bool:  # type: ignore[type-arg]
    staff: dict[str, str | None] = world["staff"]
    is_staff, national, within = _viewer(session, user, world)

    def sees(g: Graduate) -> bool:
        return is_staff and (within(g.home_org.path) or within(g.school_org.path))

    group = TABLE[endpoint]
    if group is AFTER_PASSWORD:
        return False
    if group is PUBLIC:
        return True
    if user == "anonymous":
        return False
    if group is ANY_USER:
        return True
    if group is STAFF:
        return is_staff
    if group is OFFICERS:
        return is_staff and not national
    if group is TOKEN_ISSUERS:
        return user in ("hq", "gd", "hb")
    if group is PROVINCE_OFFICERS:
        return user in ("gd", "hb")
    if group is HQ_ONLY:
        return national
    if group is EMPLOYER:
        return user.startswith("emp")
    if group is GRADUATE or group is GRADUATE_POSITION:
        return user.startswith("grad")
    if group is GRADUATE_SERVE:
        return sees(obj)  # type: ignore[arg-type]
    if group is GRADUATE_EDIT:
        return is_staff and within(obj.home_org.path)  # type: ignore[attr-defined]
    if group is GRADUATE_UNMASK:
        return is_staff and not national and within(obj.home_org.path)  # type: ignore[attr-defined]
    if group is SERVICE_VOID:
        g = session.get(Graduate, obj.graduate_id)  # type: ignore[attr-defined]
        return sees(g) and within(session.get(Org, obj.org_id).path)  # type: ignore[arg-type, attr-defined, union-attr]
    if group is TRANSFER_TO:
        return is_staff and within(session.get(Org, obj.to_org_id).path)  # type: ignore[attr-defined, union-attr]
    if group is EMPLOYER_ORG or group is OFFER_ORG or group is REVIEW_ORG:
        return is_staff and within(obj.org.path)  # type: ignore[attr-defined]
    if group is ENROLMENT_OFFER_ORG:
        offer = next(o for o in world["offers"].values() if o.id == obj.offer_id)  # type: ignore[attr-defined]
        g = session.get(Graduate, obj.graduate_id)  # type: ignore[attr-defined]
        return is_staff and within(offer.org.path) and sees(g)  # type: ignore[arg-type]
    own = {"emp_gz": "E_gz", "emp_wh": "E_wh"}.get(user)
    if group is INTEREST:
        position = session.get(Position, obj.position_id)  # type: ignore[attr-defined]
        return own is not None and position.employer_id == world["employers"][own].id  # type: ignore[union-attr]
    if group is OWN_POSITION:
        return own is not None and obj.employer_id == world["employers"][own].id  # type: ignore[attr-defined]
    if group is POSITION_MAJORS:
        employer = session.get(Employer, obj.employer_id)  # type: ignore[attr-defined]
        if own is not None:
            return obj.employer_id == world["employers"][own].id  # type: ignore[attr-defined]
        return is_staff and within(employer.org.path)  # type: ignore[union-attr]
    if group is REFERRAL:
        position = session.get(Position, obj.position_id)  # type: ignore[attr-defined]
        if own is not None:
            return position.employer_id == world["employers"][own].id  # type: ignore[union-attr]
        referring = session.get(Org, obj.org_id)  # type: ignore[attr-defined]
        return is_staff and (
            within(referring.path) or sees(session.get(Graduate, obj.graduate_id))  # type: ignore[arg-type, attr-defined, union-attr]
        )
    if group is CHASE:
        return is_staff and within(session.get(Org, obj.org_id).path)  # type: ignore[attr-defined, union-attr]
    if group is FOLLOW_UP:
        return sees(session.get(Graduate, obj.graduate_id))  # type: ignore[arg-type, attr-defined]
    if group is TRANSFER_FROM:
        return is_staff and within(session.get(Org, obj.from_org_id).path)  # type: ignore[attr-defined, union-attr]
    if group is REQUEST_GRADUATE:
        g = session.get(Graduate, obj.graduate_id)  # type: ignore[attr-defined]
        return is_staff and within(g.home_org.path)  # type: ignore[union-attr]
    if group is OWN_TOKEN:
        return (
            is_staff
            and not national
            and staff[user] is not None
            and (
                session.get(Org, obj.org_id).code == staff[user]  # type: ignore[attr-defined, union-attr]
            )
        )
    raise AssertionError(f"no audience for {endpoint}")


def _counts(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0 for m in COUNTED)


@pytest.mark.system
def test_every_post_route_for_every_user(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    world = _world(session, hq_actor)
    _more(session, hq_actor, world)
    users = _users(world)
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    unknown = {r.endpoint for r in rules} - {e.split(":")[0] for e in TABLE}
    assert unknown == set(), f"POST routes without an audience in this test: {unknown}"
    objects = _objects(world)
    cells: list[tuple[str, str, object | None, dict[str, object]]] = []
    with app.test_request_context():
        for rule in sorted(rules, key=lambda r: r.endpoint == "auth.logout"):  # logout last
            fixed = {**FIXED, "decision": DECISIONS.get(rule.endpoint)}
            values = {a: fixed[a] for a in rule.arguments if a in fixed}
            args = [a for a in rule.arguments if a in objects]
            if rule.endpoint in FORM_OBJECTS:
                kind, fields = FORM_OBJECTS[rule.endpoint]
                for obj in objects[kind].values():  # type: ignore[attr-defined]
                    url = url_for(rule.endpoint, **values)
                    cells.append((rule.endpoint, url, obj, fields(obj, world)))
            elif args:
                for obj in objects[args[0]].values():  # type: ignore[attr-defined]
                    url = url_for(rule.endpoint, **values, **{args[0]: obj.id})
                    cells.append((rule.endpoint, url, obj, {}))
            else:
                endpoint = (
                    "employer_portal.edit:new"
                    if rule.endpoint == "employer_portal.edit"
                    else rule.endpoint
                )
                cells.append((endpoint, url_for(rule.endpoint, **values), None, {}))
    mismatches, tally, statuses = [], Counter(), Counter()
    for user in users:
        client = app.test_client()
        if user != "anonymous":
            sign_in(client, session, world, user)
        for endpoint, url, obj, fields in cells:
            page = client.get("/account/password" if user != "anonymous" else "/login")
            token = TOKEN.search(page.get_data(as_text=True))
            before = _counts(session)
            data = {"csrf_token": token.group(1) if token else "", **fields}
            response = client.post(url, data=data)
            location = response.headers.get("Location", "")
            denied = response.status_code in (401, 403, 404) or (
                response.status_code == 302 and "/login" in location
            )
            expected = _expected(session, user, world, endpoint, obj)
            tally["allowed" if expected else "denied"] += 1
            statuses[response.status_code] += 1
            problem = None
            if response.status_code >= 500:
                problem = f"{response.status_code}"
            elif expected == denied and not (endpoint == "auth.logout" and expected):
                problem = "expected allowed" if expected else "expected denied"
            elif denied and _counts(session) != before:
                problem = "denied but wrote"
            if problem:
                mismatches.append((user, url, response.status_code, problem))
    print(
        f"\n写操作访问控制矩阵：{len(users)} 个用户 × {len(cells)} 个地址 = "
        f"{len(users) * len(cells)} 格，{dict(tally)}，状态码 {dict(sorted(statuses.items()))}，"
        f"不符 {len(mismatches)}"
    )
    assert mismatches == [], "\n".join(map(str, mismatches))
