"""`matchsvc bench restart`: a PostgreSQL crash and restart under load, survived.

A private PostgreSQL cluster is created for the run (initdb in a temporary directory, its own
port; never the machine's shared server), the demo loaded into it, and the production setup
(gunicorn, 2 workers) run against it under the mixed load of `bench load`. Partway through, the
cluster is stopped the hard way (`pg_ctl stop -m immediate`: no checkpoint, crash recovery at
start), kept down for a few seconds and started again; the service itself is not touched.

Reported: errors before, during and after the outage, the recovery time (from the database being
back to the last failed request), and whether every write the service acknowledged is in the
database afterwards with the audit chain intact.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import audit
from ..db import make_engine, make_session_factory
from ..models import Position, ServiceRecord
from .load import Stats, drive, prepare
from .server import free_port, running_server

#: Seconds after the database is back during which a failure still counts as the outage's: a
#: request that found the database down may be answered just after it came back.
IN_FLIGHT = 1.0


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (or no user to run them as)."""


def _bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterUnavailable("找不到 PostgreSQL 服务器程序（initdb）；请安装 postgresql")


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, trust auth, on its own port."""

    def __init__(self, root: Path) -> None:
        self.bindir = _bindir()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterUnavailable("以 root 运行时需要 postgres 系统用户") from None
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bindir / args[0]), *args[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    root = Path(tempfile.mkdtemp(prefix="matchsvc-pg-"))
    cluster = PrivateCluster(root)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)


def run(
    seconds: float = 60,
    users: int = 10,
    down_at: float = 20,
    down_for: float = 5,
    graduates: int = 2000,
) -> dict[str, Any]:
    with private_cluster() as cluster:
        print(f"私有 PostgreSQL 集群：端口 {cluster.port}；准备 {graduates:,} 名毕业生的演示数据 …")
        world = prepare(cluster.url, graduates)
        tmp = Path(tempfile.mkdtemp(prefix="matchsvc-restart-"))
        stats = Stats()
        with running_server(cluster.url, tmp, capture=True) as served:
            load = threading.Thread(target=drive, args=(served.port, world, users, seconds, stats))
            started = time.monotonic()
            load.start()
            time.sleep(down_at)
            t_down = time.monotonic()
            cluster.stop("immediate")  # a crash: no checkpoint, WAL replay at start
            time.sleep(down_for)
            t_start = time.monotonic()
            cluster.start()
            t_up = time.monotonic()
            load.join()
        result = _summarise(stats, started, t_down, t_start, t_up)
        result.update(_check_writes(cluster.url, stats))
        result["server_log"] = str(tmp / f"server-{served.port}.log")
    _print(result, users)
    return result


def _summarise(
    stats: Stats, started: float, t_down: float, t_start: float, t_up: float
) -> dict[str, Any]:
    failed = [end for end, _, _, ok in stats.events if not ok]
    last_error = max(failed, default=t_down)
    after_up = [e for e in stats.events if e[0] > max(t_up, last_error)]
    settled = t_up + IN_FLIGHT  # requests begun while the database was down may end after t_up
    return {
        "requests": len(stats.events),
        "errors": len(failed),
        "errors_before": sum(1 for end in failed if end < t_down),
        "errors_during": sum(1 for end in failed if t_down <= end <= settled),
        "errors_after": sum(1 for end in failed if end > settled),
        "down_at": t_down - started,
        "outage": t_up - t_down,
        "restart_seconds": t_up - t_start,
        "recovery": max(0.0, last_error - t_up),
        "first_ok_after_up": min((e[0] for e in stats.events if e[0] > t_up and e[3]), default=t_up)
        - t_up,
        "last_error_after_down": last_error - t_down,
        "ok_after_recovery": sum(1 for e in after_up if e[3]),
        "acknowledged": {k: len(v) for k, v in stats.written.items()},
        "failure_statuses": dict(sorted(stats.failures.items())),
    }


def _check_writes(url: str, stats: Stats) -> dict[str, Any]:
    """Every acknowledged write is in the database, and the audit chain verifies."""
    from sqlalchemy import select

    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            remarks = set(s.scalars(select(ServiceRecord.remark)))
            titles = set(s.scalars(select(Position.title)))
            lost = [r for r in stats.written["service"] if r not in remarks]
            lost += [t for t in stats.written["position"] if t not in titles]
            checked, broken = audit.verify(s)
    finally:
        engine.dispose()
    return {"lost_writes": len(lost), "audit_checked": checked, "audit_broken": len(broken)}


def _print(r: dict[str, Any], users: int) -> None:
    print(
        f"{users} 个并发用户，{r['requests']} 个请求；第 {r['down_at']:.1f} 秒数据库崩溃停机，"
        f"{r['outage']:.1f} 秒后恢复（启动含崩溃恢复 {r['restart_seconds']:.1f} 秒）"
    )
    print(
        f"  错误：停机前 {r['errors_before']}，停机期间 {r['errors_during']}，"
        f"恢复 {IN_FLIGHT:.0f} 秒后 {r['errors_after']}（最后一个错误在数据库恢复后 {r['recovery']:.2f} 秒，"
        f"数据库恢复后 {r['first_ok_after_up']:.2f} 秒即有请求成功）；"
        f"失败请求的状态码 {r['failure_statuses']}"
    )
    print(
        f"  恢复后成功请求 {r['ok_after_recovery']}；已确认的写入 {r['acknowledged']}，"
        f"丢失 {r['lost_writes']}；审计链 {r['audit_checked']} 条，断裂 {r['audit_broken']}"
    )
