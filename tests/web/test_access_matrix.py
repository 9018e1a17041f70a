"""The access-control matrix: eleven users (HQ, two provinces, a city in each, a county, two
employers, two graduates, anonymous) against every GET route of the URL map, with objects that lie
in their own region, below it, in a sibling region and above it. The expected answer is derived
from the jurisdiction rule of DOMAIN.md (written out here, not taken from the code under test); a
route missing from the audience table fails the test, so a new route cannot be forgotten."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.archives.review import draw
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.employers.licence import save_licence
from matchsvc.export_runs import service as export_runs
from matchsvc.graduates.search import GraduateQuery
from matchsvc.graduates.service import register_graduate
from matchsvc.imports import pending, queued
from matchsvc.internships.service import approve_base
from matchsvc.models import (
    Approver,
    Campaign,
    ExportRun,
    FollowUp,
    Graduate,
    ImportRun,
    Org,
    Position,
    Role,
    ServiceKind,
    User,
)
from matchsvc.orgs.service import add_org
from matchsvc.referrals.service import refer
from matchsvc.training.service import TrainingInput, create_offer

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, employer, login, login_with_code, post, second_factor

PUBLIC = {
    "archives.apply",  # the online application (申请)
    "auth.login",
    "graduate_portal.activate",
    "employer_portal.signup",
    "openapi.openapi_json",
    "regions.children",  # the region table is public (the sign-up form's choosers read it)
    "auth.forgot",
    "auth.reset_password",  # with a link's token (a wrong one: back to 忘记密码)
    "main.favicon",
}
ANY_USER = {
    "auth.change_password",
    "auth.two_factor",
    "main.home",
    "notices.index",
    "notices.preferences",
}
#: The code page comes only right after a right password: without one, nobody gets it.
AFTER_PASSWORD = {"auth.second_factor"}
STAFF = {
    "assistance.fairs",
    "employers.index",
    "graduates.index",
    "graduates.parent_employers",
    "graduates.register",
    "graduates.transfers",
    "imports.index",
    "imports.template",
    "majors.catalogue_page",
    "majors.review",
    "matching.placement",
    "referrals.index",
    "officer_portal.requests",
    "stats.index",
    "stats.download",
    "stats.item",
    "training.index",
    "graduates.export",
    "followups.index",
    "followups.retention_page",
    "worklist.index",
    "worklist.archives",
    "archives.index",
    "archives.reviews",
    "welfare.index",  # 公益性岗位, over the officer's own region
    "welfare.months_csv",
    "welfare.report_sheet",  # without ?id= it leads to the ledger
    "internships.index",  # 就业见习: the region's bases
    "work_study.index",  # 勤工俭学: the summer's report over the officer's region
    "work_study.report_csv",
}
TOKEN_ISSUERS = {"stats.tokens_page"}  # HQ and province officers issue API tokens
#: 推荐效果: HQ and the provinces, each over its own region.
PROVINCES_AND_HQ = {"outcomes.index", "outcomes.export"}
HQ_ONLY = {
    "ops.jobs",
    "ops.audit_log",
    "stats.dashboard",
    "stats.provinces",
    "stats.national",
    "stats.campaigns",
    "stats.province",
    "auth.reset_two_factor",
    "internships.rates",  # 见习补贴标准 are kept by HQ
}
EMPLOYER = {"employer_portal.home", "employer_portal.edit:new", "employer_portal.licence"}
GRADUATE = {
    "graduate_portal.home",
    "graduate_portal.download",
    "graduate_portal.positions",
    "graduate_portal.wishes",
}
GRADUATE_POSITION = {"graduate_portal.position"}  # a graduate, any open position
GRADUATE_VIEW = {"graduates.detail", "matching.graduate"}  # staff who may see the graduate
GRADUATE_API = {"matching_api.recommendations"}  # … and the graduate themself
#: The home org's subtree.
GRADUATE_EDIT = {"graduates.edit", "archives.step", "welfare.graduate", "internships.graduate"}
#: A 见习基地's month, its 花名册 and 补贴申领: staff of the base's org region.
BASE_ORG = {"internships.base", "internships.sheet"}
REVIEW_ORG = {"archives.review_page"}  # staff of the reviewing province's region
GRADUATE_UNMASK = {"graduates.unmask"}  # officers (not HQ) of the home org's subtree
OFFICERS = {"graduates.export_unmasked"}  # officers, not HQ (the file holds kept archives only)
EMPLOYER_ORG = {"employers.detail", "employers.reject", "employers.licence"}  # staff of its region
#: The position's employer; staff of the referring org's region or who see the graduate.
REFERRAL = {"employer_portal.step"}
#: Staff who see the graduate, and the graduate themself (a follow-up after a hire).
FOLLOW_UP = {"followups.answer"}
OFFER_ORG = {"training.detail"}  # staff of the offer's org region
ANY_POSITION_STAFF = {"matching.position"}  # staff refer to any position in the country
CANDIDATES_API = {"matching_api.candidates"}  # staff, and the position's own employer
OWN_POSITION = {"employer_portal.position", "employer_portal.edit"}  # its employer only
REGION_API = {"stats_api.stats"}  # staff whose region holds the org asked for
IMPORT_RUN = {"imports.run"}  # a queued import: only the officer who sent the sheet
EXPORT_RUN = {"export_runs.run", "export_runs.download"}  # only the officer who asked for it
KNOWN = (
    PUBLIC
    | ANY_USER
    | AFTER_PASSWORD
    | STAFF
    | TOKEN_ISSUERS
    | PROVINCES_AND_HQ
    | HQ_ONLY
    | EMPLOYER
    | GRADUATE
    | GRADUATE_POSITION
    | GRADUATE_VIEW
    | GRADUATE_API
    | GRADUATE_EDIT
    | GRADUATE_UNMASK
    | OFFICERS
    | EMPLOYER_ORG
    | OFFER_ORG
    | ANY_POSITION_STAFF
    | CANDIDATES_API
    | OWN_POSITION
    | REGION_API
    | IMPORT_RUN
    | EXPORT_RUN
    | REFERRAL
    | FOLLOW_UP
    | REVIEW_ORG
    | BASE_ORG
    | {"static"}
)


def _path(session: Session, code: str) -> str:
    return session.scalar(select(Org.path).where(Org.code == code)) or ""


def _world(session: Session, hq: Actor) -> dict[str, object]:
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    if session.scalar(select(Org.id).where(Org.code == "440106")) is None:
        add_org(session, hq, "440106", "天河区总工会", "440100")
    staff = {
        "hq": None,
        "gd": "440000",
        "hb": "420000",
        "gz": "440100",
        "wh": "420100",
        "th": "440106",
    }
    for name, code in staff.items():
        create_user(
            session,
            hq,
            role=Role.HQ if code is None else Role.OFFICER,
            username=name,
            password=PASSWORD,
            org_code=code,
        )
    session.commit()
    # staff may unmask: they sign in with their second factor (tests/auth/test_second_factor.py)
    secrets = {name: second_factor(session, name) for name in staff}
    homes = {
        "G_th": ("440106", "440100"),
        "G_gz": ("440100", "420100"),
        "G_gd": ("440000", "440000"),
        "G_wh": ("420100", "420100"),
        "G_hb": ("420000", "440100"),
    }
    graduates = {}
    for n, (key, (home, school)) in enumerate(homes.items()):
        actor = officer_actor(session, home)
        graduates[key] = register_graduate(
            session,
            actor,
            graduate_input(make_id("440106", seq=f"{n:03d}"), home, school, name=f"甲{n}"),
        )
    e_gz, e_wh = employer(session, 61, "440100"), employer(session, 62, "420100")
    positions = {
        "P_gz": post(session, e_gz, "岗位甲", []),
        "P_wh": post(session, e_wh, "岗位乙", [], region="420100"),
    }
    offers = {}
    for key, code in (("T_gd", "440000"), ("T_wh", "420100")):
        offers[key] = create_offer(
            session,
            officer_actor(session, code),
            TrainingInput(
                name=f"培训{key}",
                kind=__import__("matchsvc.models", fromlist=["TrainingKind"]).TrainingKind.SKILL,
                skills="Python",
                certificate=None,
                org_code=code,
                region_code=code,
                starts_on=TODAY + timedelta(days=10),
                ends_on=TODAY + timedelta(days=20),
                seats=10,
                signup_closes_on=TODAY + timedelta(days=5),
            ),
        )
    for e in (e_gz, e_wh):  # each has its 营业执照 on file
        save_licence(session, hq, e, "licence.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    # a hire of a graduate kept in 天河 and schooled in 武汉, with its follow-ups
    hired = register_graduate(
        session,
        officer_actor(session, "440106"),
        graduate_input(make_id("440106", seq="888"), "440106", "420100", name="丙"),
    )
    record_service(
        session, officer_actor(session, "440106"), hired, kind=ServiceKind.EMPLOYED,
        on=TODAY - timedelta(days=40), org=session.scalars(select(Org).where(Org.code == "440106")).one(),
    )  # fmt: skip
    follow_ups = session.scalars(
        select(FollowUp).where(FollowUp.graduate_id == hired.id).order_by(FollowUp.months)
    ).all()
    portal_account(session, hq, "emp_gz", PASSWORD, employer_uscc=e_gz.uscc)
    portal_account(session, hq, "emp_wh", PASSWORD, employer_uscc=e_wh.uscc)
    portal_account(
        session, hq, "grad_gz", PASSWORD, graduate_id_number=make_id("440106", seq="001")
    )
    portal_account(
        session, hq, "grad_wh", PASSWORD, graduate_id_number=make_id("440106", seq="003")
    )
    referrals = {
        "R_gz": refer(session, officer_actor(session, "440100"), graduates["G_gz"].id,
                      positions["P_gz"].id, TODAY),
        "R_wh": refer(session, officer_actor(session, "420100"), graduates["G_wh"].id,
                      positions["P_wh"].id, TODAY),
    }  # fmt: skip
    reviews = {
        f"V_{code}": draw(session, officer_actor(session, code), TODAY.year)
        for code in ("440000", "420000")
    }
    bases = {
        f"B_{key[2:]}": approve_base(
            session, hq, e, Approver.UNION, f"认定{key}", TODAY - timedelta(days=30),
            TODAY + timedelta(days=300),
        )
        for key, e in (("E_gz", e_gz), ("E_wh", e_wh))
    }  # fmt: skip
    session.commit()
    return {
        "bases": bases,
        "reviews": reviews,
        "referrals": referrals,
        "follow_ups": {"F_th": follow_ups[0]},
        "staff": staff,
        "secrets": secrets,
        "graduates": graduates,
        "employers": {"E_gz": e_gz, "E_wh": e_wh},
        "positions": positions,
        "offers": offers,
        "import_runs": {"I_gz": _import_run(session, "gz")},
        "export_runs": {"X_gz": _export_run(session, "gz")},
    }


def _export_run(session: Session, username: str) -> ExportRun:
    """A long list the officer asked to export, built by the job (their own to download)."""
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    run = export_runs.queue(
        session, Actor.for_user(user), GraduateQuery(), "csv", 30_000, "广州市-毕业生.csv"
    )
    session.commit()
    session.expire_all()  # the job reads the graduates as stored, in a session of its own
    export_runs.run_one(session, str(run.id))
    session.commit()
    return run


def _import_run(session: Session, username: str) -> ImportRun:
    """A large sheet the officer confirmed, waiting for the job (their own to look at)."""
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    run = queued.queue(
        session, Actor.for_user(user), pending.Upload("graduates", "大.csv", b"x"), 20_000
    )
    session.commit()
    return run


#: URL (or form) arguments naming an object → the world's collection of such objects.
OBJECT_KINDS = {
    "graduate_id": "graduates",
    "employer_id": "employers",
    "position_id": "positions",
    "offer_id": "offers",
    "service_id": "services",
    "transfer_id": "transfers",
    "referral_id": "referrals",
    "request_id": "requests",
    "enrollment_id": "enrolments",
    "token_id": "tokens",
    "interest_id": "interests",
    "follow_up_id": "follow_ups",
    "review_id": "reviews",
    "base_id": "bases",
    "run_id": "import_runs",
    "export_id": "export_runs",
}


def _objects(world: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {arg: world[kind] for arg, kind in OBJECT_KINDS.items() if kind in world}


def sign_in(client: FlaskClient, session: Session, world: dict, user: str) -> None:  # type: ignore[type-arg]
    """Staff with their second factor, the others with their password."""
    if user in world["secrets"]:
        assert (
            login_with_code(client, session, user, PASSWORD, world["secrets"][user]).status_code
            == 302
        )
    else:
        login(client, user, PASSWORD)


def _users(world: dict) -> list[str]:  # type: ignore[type-arg]
    return [*world["staff"], "emp_gz", "emp_wh", "grad_gz", "grad_wh", "anonymous"]


def _viewer(session: Session, user: str, world: dict) -> tuple[bool, bool, Callable[[str], bool]]:  # type: ignore[type-arg]
    """Whether the user is staff, is national, and which org paths lie in their region."""
    staff: dict[str, str | None] = world["staff"]
    is_staff = user in staff
    national = user == "hq"
    path = _path(session, staff[user]) if is_staff and staff[user] else ""

    def within(org_path: str) -> bool:
        return national or (bool(path) and org_path.startswith(path))

    return is_staff, national, within


def _expected(session: Session, user: str, world: dict, endpoint: str, obj: object | None) -> bool:  # type: ignore[type-arg]
    is_staff, national, within = _viewer(session, user, world)
    if endpoint in AFTER_PASSWORD:
        return False
    if endpoint in PUBLIC:
        return True
    if user == "anonymous":
        return False
    if endpoint in ANY_USER:
        return True
    if endpoint in STAFF:
        return is_staff
    if endpoint in HQ_ONLY:
        return national
    if endpoint in OFFICERS:
        return is_staff and user != "hq"
    if endpoint in TOKEN_ISSUERS | PROVINCES_AND_HQ:
        return user in ("hq", "gd", "hb")
    if endpoint in EMPLOYER:
        return user.startswith("emp")
    if endpoint in GRADUATE | GRADUATE_POSITION:
        return user.startswith("grad")
    if endpoint in GRADUATE_VIEW | GRADUATE_API | GRADUATE_EDIT | GRADUATE_UNMASK:
        g = obj
        home, school = g.home_org.path, g.school_org.path  # type: ignore[attr-defined]
        if endpoint in GRADUATE_API and user.startswith("grad"):
            own = {"grad_gz": "G_gz", "grad_wh": "G_wh"}[user]
            return world["graduates"][own] is g
        if not is_staff:
            return False
        if endpoint in GRADUATE_EDIT:
            return within(home)
        if endpoint in GRADUATE_UNMASK:
            return user != "hq" and within(home)
        return within(home) or within(school)
    if endpoint in EMPLOYER_ORG:
        return is_staff and within(obj.org.path)  # type: ignore[attr-defined]
    if endpoint in BASE_ORG:
        return is_staff and within(obj.employer.org.path)  # type: ignore[attr-defined]
    if endpoint in OFFER_ORG | REVIEW_ORG:
        return is_staff and within(obj.org.path)  # type: ignore[attr-defined]
    if endpoint in ANY_POSITION_STAFF:
        return is_staff
    if endpoint in CANDIDATES_API | OWN_POSITION:
        own = {"emp_gz": "E_gz", "emp_wh": "E_wh"}.get(user)
        mine = own is not None and obj.employer_id == world["employers"][own].id  # type: ignore[attr-defined]
        return mine or (is_staff and endpoint in CANDIDATES_API)
    if endpoint in REGION_API:
        return is_staff and within(_path(session, "440106"))
    if endpoint in IMPORT_RUN | EXPORT_RUN:
        return user == "gz"  # the run's officer (I_gz), not even HQ
    if endpoint in REFERRAL:
        position = session.get(Position, obj.position_id)  # type: ignore[attr-defined]
        own = {"emp_gz": "E_gz", "emp_wh": "E_wh"}.get(user)
        if own is not None:
            return position.employer_id == world["employers"][own].id  # type: ignore[union-attr]
        g = session.get(Graduate, obj.graduate_id)  # type: ignore[attr-defined]
        referring = session.get(Org, obj.org_id)  # type: ignore[attr-defined]
        return is_staff and (
            within(referring.path) or within(g.home_org.path) or within(g.school_org.path)  # type: ignore[union-attr]
        )
    if endpoint in FOLLOW_UP:
        g = session.get(Graduate, obj.graduate_id)  # type: ignore[attr-defined]
        return is_staff and (within(g.home_org.path) or within(g.school_org.path))  # type: ignore[union-attr]
    raise AssertionError(f"no audience for {endpoint}")


@pytest.mark.system
def test_every_route_for_every_user(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    world = _world(session, hq_actor)
    users = _users(world)
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    unknown = {r.endpoint for r in rules} - {e.split(":")[0] for e in KNOWN}
    assert unknown == set(), f"routes without an audience in this test: {unknown}"
    objects = _objects(world)
    cells: list[tuple[str, str, str, object | None]] = []
    with app.test_request_context():
        for rule in rules:
            args = [a for a in rule.arguments if a in objects]
            fixed = {
                "fmt": "csv" if rule.endpoint == "graduates.export" else "json",
                "kind": "unverified" if rule.endpoint == "worklist.archives" else "graduates",
                "key": "13A",
                "code": "440000",
                "token": "not-a-token",
                "step": "recovered",
                "table": "provinces",
                "sheet": "roster",
            }
            values = {a: fixed[a] for a in rule.arguments if a in fixed}
            if args:
                for obj in objects[args[0]].values():  # type: ignore[attr-defined]
                    url = url_for(rule.endpoint, **values, **{args[0]: obj.id})
                    cells.append((rule.endpoint, url, args[0], obj))
            else:
                endpoint = (
                    "employer_portal.edit:new"
                    if rule.endpoint == "employer_portal.edit"
                    else rule.endpoint
                )
                url = url_for(rule.endpoint, **values)
                if rule.endpoint in REGION_API:
                    url += "?campaign=2012&org=440106"
                cells.append((endpoint, url, "", None))
    clients = {}
    for user in users:
        client = app.test_client()
        if user != "anonymous":
            sign_in(client, session, world, user)
        clients[user] = client
    mismatches, tally = [], Counter()
    for user in users:
        for endpoint, url, _arg, obj in cells:
            response = clients[user].get(url)
            location = response.headers.get("Location", "")
            denied = response.status_code in (401, 403, 404) or (
                response.status_code == 302 and "/login" in location
            )
            allowed = response.status_code in (200, 302) and not denied
            expected = _expected(
                session,
                user,
                world,
                endpoint.split(":")[0] if endpoint != "employer_portal.edit:new" else endpoint,
                obj,
            )
            tally["allowed" if expected else "denied"] += 1
            if expected != allowed:
                mismatches.append(
                    (
                        user,
                        url,
                        response.status_code,
                        "expected allowed" if expected else "expected denied",
                    )
                )
    print(
        f"\n访问控制矩阵：{len(users)} 个用户 × {len(cells)} 个地址 = {len(users) * len(cells)} 格，{dict(tally)}，不符 {len(mismatches)}"
    )
    assert mismatches == []


def test_forged_fields_are_ignored_or_refused(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.models import Graduate, Position, User

    from ..helpers import csrf

    world = _world(session, hq_actor)
    e_gz, e_wh = world["employers"]["E_gz"], world["employers"]["E_wh"]  # type: ignore[index]
    emp = app.test_client()
    login(emp, "emp_gz", PASSWORD)
    made = emp.post(
        "/employer/positions/new",
        data={
            "csrf_token": csrf(emp, "/employer/positions/new"),
            "kind": "job",
            "title": "伪造岗位",
            "work_region_code": "440100",
            "headcount": "1",
            "published_on": TODAY.isoformat(),
            "min_degree": "",
            "employer_id": str(e_wh.id),
            "org": "420000",
            "status": "filled",
        },
    )
    assert made.status_code == 302, re.findall(
        r'role="alert">([^<]+)<', made.get_data(as_text=True)
    )
    forged = session.scalar(select(Position).where(Position.title == "伪造岗位"))
    assert forged is not None and forged.employer_id == e_gz.id and forged.status.value == "open"

    gz = app.test_client()
    sign_in(gz, session, world, "gz")
    before = session.scalar(select(__import__("sqlalchemy").func.count()).select_from(Graduate))
    refused = gz.post(
        "/graduates/new",
        data={
            "csrf_token": csrf(gz, "/graduates/new"),
            "name": "越权",
            "id_number": make_id("420106", seq="777"),
            "home_org": "420100",
            "school_name": "武汉大学",
            "school_region": "420100",
            "major_text": "法学",
            "degree": "benke",
            "graduation_year": "2012",
            "family_kind": "worker",
            "registered_on": "2012-07-02",
            "status": "unemployed",
        },
    )
    assert refused.status_code in (404, 422)
    assert (
        session.scalar(select(__import__("sqlalchemy").func.count()).select_from(Graduate))
        == before
    )

    anon = app.test_client()
    from ..helpers import uscc

    anon.post(
        "/employer/signup",
        data={
            "csrf_token": csrf(anon, "/employer/signup"),
            "name": "某公司",
            "uscc": uscc(99),
            "kind": "other",
            "org": "440100",
            "contact_name": "甲",
            "contact_phone": "13800000000",
            "username": "sneaky",
            "password": PASSWORD,
            "role": "hq",
            "is_active": "1",
        },
    )
    sneaky = session.scalar(select(User).where(User.username == "sneaky"))
    assert sneaky is not None and sneaky.role == Role.EMPLOYER and sneaky.org_id is None
