"""`matchsvc bench load`: the production setup (gunicorn, 2 workers) under a mixed load from a
load generator on the same machine — officers searching and recording services, graduates reading
their recommendations, employers posting positions — with requests/s and p50/p95/p99 per endpoint.

The demo data (one county's officer, the demo employer and graduates activated for the run) is
loaded into the database first; the service runs in a child process, the load in threads of this
one, each user on their own connection and session (login, CSRF tokens as a browser would)."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import clock
from ..app import create_app
from ..demo.build import build_demo
from ..extensions import db
from ..migrate import upgrade
from ..models import ACTIVE_ARCHIVE_STATES, Employer, Graduate, Role, User
from .server import Browser, running_server

PASSWORD = "Load-test-2012"
RECORD = "POST /graduates/<id>/services (record)"
POST = "POST /employer/positions/new (post)"


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: (monotonic end time, seconds, endpoint, ok) of every request, in order of completion.
    events: list[tuple[float, float, str, bool]] = field(default_factory=list)
    #: What the service acknowledged writing: service remarks and position titles.
    written: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    #: Status codes of the failed requests (0: no answer).
    failures: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, seconds: float, status: int, expected: int) -> None:
        ok = status == expected
        with self.lock:
            self.times[name].append(seconds)
            self.events.append((time.monotonic(), seconds, name, ok))
            if not ok:
                self.errors[name] += 1
                self.failures[status] += 1

    def acknowledged(self, kind: str, key: str) -> None:
        with self.lock:
            self.written[kind].append(key)


def prepare(url: str, graduates: int) -> dict[str, Any]:
    """The demo in the database, every login with the load's password, graduates activated."""

    app = create_app({"DATABASE_URL": url})
    try:
        return _fill(app, graduates)
    finally:
        app.extensions["matchsvc.db"]["engine"].dispose()


def _fill(app: Any, graduates: int) -> dict[str, Any]:
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    with app.app_context():
        upgrade(db.engine)
        with db.factory() as s:
            build_demo(s, graduate_count=graduates)
            s.commit()
            for user in s.scalars(select(User)):
                user.password_hash = generate_password_hash(PASSWORD)
            grads = s.scalars(
                select(Graduate)
                .where(
                    Graduate.home_org.has(code="440100"),
                    Graduate.archive_state.in_(ACTIVE_ARCHIVE_STATES),  # services are given
                )
                .limit(40)
            ).all()
            for g in grads:
                if s.scalar(select(User.id).where(User.graduate_id == g.id)) is None:
                    s.add(
                        User(
                            username=f"load_g{g.id}",
                            role=Role.GRADUATE,
                            graduate_id=g.id,
                            password_hash=generate_password_hash(PASSWORD),
                        )
                    )
            s.commit()
            employer = s.scalar(select(Employer).join(User, User.employer_id == Employer.id))
            ids = [g.id for g in grads]
            return {
                "graduates": ids,
                "graduate_users": [f"load_g{i}" for i in ids],
                "employer": employer.id if employer else None,
            }


def drive(port: int, world: dict[str, Any], users: int, seconds: float, stats: Stats) -> float:
    """Run the mixed load for `seconds` with `users` threads; returns the time it took."""
    stop = time.monotonic() + seconds
    rng = random.Random(2012)
    surnames = "王李张刘陈杨黄赵吴周"

    def officer(seed: int) -> None:
        r = random.Random(seed)
        b = Browser(port)
        b.login("gz_officer", PASSWORD)
        while time.monotonic() < stop:
            if r.random() < 0.75:
                t = time.perf_counter()
                status, _ = b.request(
                    "GET", "/graduates/?q=" + urllib.parse.quote(r.choice(surnames))
                )
                stats.add(
                    "GET /graduates/?q= (officer search)",
                    time.perf_counter() - t,
                    status,
                    200,
                )
            else:
                gid = r.choice(world["graduates"])
                remark = f"压力测试 {seed}-{r.randint(0, 10**9)}"
                page, token = b.token(f"/graduates/{gid}")
                if not token:  # the form did not load: the write is not attempted
                    stats.add(RECORD, 0.0, page, 302)
                    continue
                t = time.perf_counter()
                status, _ = b.request(
                    "POST",
                    f"/graduates/{gid}/services",
                    {
                        "csrf_token": token,
                        "kind": "policy",
                        "service_date": clock.today().isoformat(),
                        "org": "440100",
                        "remark": remark,
                        # today's 政策咨询 again for the same graduate is asked about first
                        # (可能重复录入): the load's officer confirms it is another one
                        "confirm": "yes",
                    },
                )
                stats.add(
                    RECORD,
                    time.perf_counter() - t,
                    status,
                    302,
                )
                if status == 302:
                    stats.acknowledged("service", remark)

    def graduate(seed: int) -> None:
        r = random.Random(seed)
        b = Browser(port)
        b.login(r.choice(world["graduate_users"]), PASSWORD)
        while time.monotonic() < stop:
            t = time.perf_counter()
            status, _ = b.request("GET", "/me")
            stats.add("GET /me (recommendations)", time.perf_counter() - t, status, 200)

    def employer(seed: int) -> None:
        r = random.Random(seed)
        b = Browser(port)
        b.login("gzmetro_hr", PASSWORD)
        n = 0
        while time.monotonic() < stop:
            n += 1
            page, token = b.token("/employer/positions/new")
            if not token:
                stats.add(POST, 0.0, page, 302)
                time.sleep(0.5)
                continue
            title = f"压测岗位{seed}-{n}-{r.randint(0, 10**6)}"
            t = time.perf_counter()
            status, _ = b.request(
                "POST",
                "/employer/positions/new",
                {
                    "csrf_token": token,
                    "kind": "job",
                    "title": title,
                    "majors": "计算机科学与技术",
                    "min_degree": "",
                    "work_region_code": "440100",
                    "headcount": "2",
                    "published_on": clock.today().isoformat(),
                },
            )
            stats.add(POST, time.perf_counter() - t, status, 302)
            if status == 302:
                stats.acknowledged("position", title)
            time.sleep(0.5)

    roles = [officer, graduate, graduate, officer, employer]
    threads = [
        threading.Thread(target=roles[i % len(roles)], args=(rng.randint(0, 10**6),))
        for i in range(users)
    ]
    started = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.monotonic() - started


def run(
    seconds: int, users: int, database_url: str | None, graduates: int = 2000
) -> dict[str, Any]:
    import platform

    tmp = Path(tempfile.mkdtemp(prefix="matchsvc-load-"))
    url = database_url or f"sqlite:///{tmp / 'load.sqlite3'}"
    print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核；数据库 {url.split(':')[0]}；准备 {graduates:,} 名毕业生的演示数据 …"
    )
    world = prepare(url, graduates)
    with running_server(url, tmp) as served:
        port = served.port
        stats = Stats()
        elapsed = drive(port, world, users, seconds, stats)
    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(
        f"{users} 个并发用户，{elapsed:.0f} 秒：{total} 个请求，{total / elapsed:.1f} 请求/秒，错误 {errors}"
    )
    result: dict[str, Any] = {
        "requests": total,
        "rps": total / elapsed,
        "errors": errors,
        "endpoints": {},
    }
    for name, times in sorted(stats.times.items()):
        ms = sorted(x * 1000 for x in times)

        def p(q: float, ms: list[float] = ms) -> float:
            return ms[min(len(ms) - 1, int(q * len(ms)))]

        result["endpoints"][name] = {
            "n": len(ms),
            "p50": statistics.median(ms),
            "p95": p(0.95),
            "p99": p(0.99),
            "errors": stats.errors[name],
        }
        print(
            f"  {name}: {len(ms)} 次，p50 {statistics.median(ms):.0f} ms，p95 {p(0.95):.0f} ms，p99 {p(0.99):.0f} ms，错误 {stats.errors[name]}"
        )
    return result
