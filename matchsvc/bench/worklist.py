"""`matchsvc bench worklist`: 今日待办 at a province of 50,000 archives — the page's counts and
lines for the province officer and a city officer, and the per-org table — p50/p95 over repeated
requests, beside a baseline measured in the same run (every archive of the province loaded and
checked in Python, as a page without its queries would). Target: p95 < 300 ms on PostgreSQL."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..models import (
    LOOKING_STATUSES,
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    EmploymentStatus,
    FamilyKind,
    FollowUp,
    FollowUpState,
    Graduate,
    GraduateRequest,
    Hire,
    HireSource,
    Org,
    Position,
    PositionKind,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
    RequestKind,
    Role,
    ServiceKind,
    ServiceRecord,
    Sex,
)
from ..orgs.service import seed_orgs
from ..worklist import service as worklist
from .stats import _insert, prepared

PROVINCE = "440000"


def build(session: Session, graduates: int, seed: int = 22) -> None:
    """A province's archives with a year of casework: services, hires with follow-ups (some
    due), referrals (some past the answer deadline), graduates' requests (some overdue)."""
    rng = random.Random(seed)
    seed_orgs(session)
    orgs = session.scalars(
        select(Org.id).where(Org.path.startswith(f"/000000/{PROVINCE}/"), Org.code != PROVINCE)
    ).all()
    today = clock.today()
    now = datetime.now(UTC)
    day = lambda days: today - timedelta(days=rng.randrange(days))  # noqa: E731
    graduate_rows: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    hires: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    home: dict[int, int] = {}
    for i in range(1, graduates + 1):
        registered = day(900)
        home[i] = rng.choice(orgs)
        employed = rng.random() < 0.3
        graduate_rows.append(
            {
                "id": i, "name": "毕业生", "name_pinyin": f"b{i}", "name_initials": "b",
                "id_number_enc": "x", "id_number_hash": f"{i:064d}", "id_last4_hash": f"{i:064d}",
                "sex": Sex.FEMALE, "birth_year": 1995, "home_org_id": home[i],
                "school_name": "大学", "school_org_id": rng.choice(orgs), "major_text": "会计",
                "degree": Degree.BENKE, "graduation_year": 2025, "family_kind": FamilyKind.WORKER,
                "wish_regions": [], "wants_training": False, "wants_internship": False,
                "wants_business": False, "registered_on": registered,
                "verified_on": day(700) if rng.random() < 0.7 else None,
                "status": EmploymentStatus.EMPLOYED if employed else EmploymentStatus.UNEMPLOYED,
                "status_since": registered, "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
        if rng.random() < 0.5:
            served = day(400)
            services.append(
                {
                    "id": len(services) + 1, "graduate_id": i,
                    "kind": ServiceKind.EMPLOYED if employed else ServiceKind.POLICY,
                    "service_date": served, "org_id": home[i], "created_at": now,
                }
            )  # fmt: skip
            if employed:
                hired = served
                hires.append(
                    {
                        "id": len(hires) + 1, "graduate_id": i, "source": HireSource.RECORDED,
                        "hired_on": hired, "service_record_id": services[-1]["id"],
                        "created_at": now,
                    }
                )  # fmt: skip
                for months in (1, 3, 6):
                    due = clock.add_months(hired, months)
                    answered = due < today - timedelta(days=20) and rng.random() < 0.8
                    follow_ups.append(
                        {
                            "hire_id": hires[-1]["id"], "graduate_id": i, "months": months,
                            "due_on": due,
                            "state": FollowUpState.ANSWERED if answered else FollowUpState.DUE,
                            "answered_on": due if answered else None,
                            "still_employed": True if answered else None,
                            "by_graduate": False,
                        }
                    )  # fmt: skip
    _insert(session, Graduate, graduate_rows)
    _insert(session, ServiceRecord, services)
    _insert(session, Hire, hires)
    _insert(session, FollowUp, follow_ups)
    employers = [
        {
            "id": e, "name": f"单位{e}", "uscc": f"{e:018d}", "kind": EmployerKind.OTHER,
            "org_id": rng.choice(orgs),
            "status": EmployerStatus.PENDING if e % 50 == 0 else EmployerStatus.APPROVED,
            "created_at": now,
        }
        for e in range(1, 501)
    ]  # fmt: skip
    _insert(session, Employer, employers)
    posts = [
        {
            "id": p, "employer_id": rng.randint(1, 500), "kind": PositionKind.JOB,
            "title": f"岗位{p}", "work_region_code": "440100", "headcount": 5,
            "published_on": day(90), "created_at": now,
        }
        for p in range(1, 2001)
    ]  # fmt: skip
    _insert(session, Position, posts)
    referrals, steps, asks = [], [], []
    for r, g in enumerate(rng.sample(range(1, graduates + 1), graduates // 10), start=1):
        referrals.append(
            {
                "id": r, "graduate_id": g, "position_id": rng.randint(1, 2000),
                "org_id": home[g], "source": ReferralSource.OFFICER,
                "state": ReferralState.REFERRED, "created_at": now, "chase_count": 0,
            }
        )  # fmt: skip
        steps.append({"referral_id": r, "state": ReferralState.REFERRED, "on_date": day(60)})
    for g in rng.sample(range(1, graduates + 1), graduates // 50):
        made = datetime.combine(day(20), day_time(10), clock.CHINA)
        asks.append(
            {"graduate_id": g, "kind": RequestKind.CORRECTION, "text": "更正", "created_at": made}
        )
    _insert(session, Referral, referrals)
    _insert(session, ReferralStep, steps)
    _insert(session, GraduateRequest, asks)


def _timed(what: Callable[[], Any], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        what()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _figures(label: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{label}：p50 {statistics.median(ordered):.0f} ms，p95 {p95:.0f} ms（{len(ordered)} 次）"
    )
    return p95


def naive_counts(session: Session, org: Org, on: date) -> dict[str, int]:
    """The baseline: every archive of the org's subtree loaded, its follow-ups and requests read
    one graduate at a time, the same counts made in Python."""
    counts = {"follow_ups": 0, "unverified": 0, "never_helped": 0, "requests": 0}
    subtree = select(Org.id).where(Org.path.startswith(org.path))
    for g in session.scalars(select(Graduate).where(Graduate.home_org_id.in_(subtree))):
        due = session.scalars(select(FollowUp).where(FollowUp.graduate_id == g.id)).all()
        counts["follow_ups"] += sum(f.state == FollowUpState.DUE and f.due_on <= on for f in due)
        if g.status in LOOKING_STATUSES:
            last = g.verified_on or g.registered_on
            counts["unverified"] += last < on - timedelta(days=365)
            helped = session.scalars(
                select(ServiceRecord.id).where(ServiceRecord.graduate_id == g.id)
            ).first()
            counts["never_helped"] += helped is None
        counts["requests"] += len(
            session.scalars(
                select(GraduateRequest.id).where(
                    GraduateRequest.graduate_id == g.id, GraduateRequest.resolved_at.is_(None)
                )
            ).all()
        )
    return counts


def run(graduates: int, url: str | None, repeat: int) -> None:
    engine, factory = prepared(url, "worklist")
    started = time.perf_counter()
    with factory() as session:
        build(session, graduates)
        session.commit()
    print(
        f"生成数据：{PROVINCE} 省 {graduates} 份档案，用时 {time.perf_counter() - started:.0f} 秒"
    )
    with factory() as session:
        session.connection().exec_driver_sql("ANALYZE")
        province = session.scalars(select(Org).where(Org.code == PROVINCE)).one()
        city = session.scalars(select(Org).where(Org.code == "440100")).one()
        actors = {
            "省总工会": Actor(
                role=Role.OFFICER, label="省", org_id=province.id, org_path=province.path
            ),
            "广州市总工会": Actor(
                role=Role.OFFICER, label="市", org_id=city.id, org_path=city.path
            ),
        }
        today = clock.today()
        worst = 0.0
        for name, actor in actors.items():
            groups = {g.key: g for g in worklist.groups(session, actor, on=today)}
            print(
                f"{name}：回访到期 {groups['follow_ups'].count}，待反馈 {groups['feedback'].count}，"
                f"申请 {groups['requests'].count}，一年未核实 {groups['unverified'].count}，"
                f"从未帮扶过 {groups['never_helped'].count}"
            )

            def page_of(a: Actor = actor) -> object:
                return worklist.groups(session, a, on=today)

            page = _timed(page_of, repeat)
            worst = max(worst, _figures("  今日待办（各组计数和前 5 行）", page))
        by_org = _timed(lambda: worklist.by_org(session, actors["省总工会"], on=today), repeat)
        worst = max(worst, _figures("  下级组织逾期情况（省）", by_org))
        started = time.perf_counter()
        naive = naive_counts(session, city, today)
        baseline = (time.perf_counter() - started) * 1000
        mine = {g.key: g.count for g in worklist.groups(session, actors["广州市总工会"], on=today)}
        for key, count in naive.items():
            if mine[key] != count:
                raise AssertionError(f"baseline and page differ on {key}: {count} ≠ {mine[key]}")
        print(f"基线（逐份档案取出再计数，广州市，结果一致）：{baseline:.0f} ms")
        print(f"最慢的 p95 {worst:.0f} ms（目标：PostgreSQL < 300 ms）；基线是广州市页面的 "
              f"{baseline / max(statistics.median(page), 0.001):.0f} 倍")  # fmt: skip
    engine.dispose()
