"""`matchsvc serve` (gunicorn) in a child process on a free port, for the benchmarks and tests
that need the production setup: started, waited for, and stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    #: What the server printed (gunicorn's log), once it has stopped; empty unless captured.
    #: Captured output is also kept in `cwd/server-<port>.log`.
    output: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def wait_ready(port: int, seconds: float = 60) -> bool:
    """Whether /login answered within the time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).read()
            return True
        except OSError:
            time.sleep(0.5)
    return False


@contextmanager
def running_server(
    database_url: str,
    cwd: Path,
    *,
    workers: int = 2,
    scheduler: bool = False,
    env: dict[str, str] | None = None,
    capture: bool = False,
    wait: bool = True,
) -> Iterator[Served]:
    """Run the service against the database until the block ends; `capture` keeps its output."""
    port = free_port()
    command = [sys.executable, "-m", "matchsvc", "serve", "--port", str(port)]
    command += ["--workers", str(workers)] + ([] if scheduler else ["--no-scheduler"])
    # Captured output goes to a file, not a pipe: a pipe nobody reads fills and stalls the server.
    log = cwd / f"server-{port}.log"
    with open(log if capture else os.devnull, "wb") as sink:
        proc = subprocess.Popen(
            command,
            env={**os.environ, **(env or {}), "MATCHSVC_DATABASE_URL": database_url},
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    served = Served(proc, port)
    try:
        if wait:
            wait_ready(port)
        yield served
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        if capture:
            served.output = log.read_text("utf-8", "replace")
