"""`matchsvc serve` (gunicorn) in a child process on a free port, for the benchmarks and tests
that need the production setup: started, waited for, and stopped with SIGTERM."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
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
    log: Path | None = None

    def so_far(self, chars: int = 4000) -> str:
        """The end of what the server has printed until now (while it runs), when captured."""
        if self.log is None or not self.log.exists():
            return ""
        return self.log.read_text("utf-8", "replace")[-chars:]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def wait_ready(port: int, seconds: float = 60, proc: subprocess.Popen[bytes] | None = None) -> bool:
    """Whether /login answered within the time (False at once when `proc` has exited)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
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
    python: str = sys.executable,
    inherit: bool = True,
) -> Iterator[Served]:
    """Run the service against the database until the block ends; `capture` keeps its output.
    `python` is the interpreter whose installed matchsvc runs (another venv's, for the wheel);
    the server's environment is this process's with `env` over it, or `env` alone when not
    `inherit`."""
    port = free_port()
    command = [python, "-m", "matchsvc", "serve", "--port", str(port)]
    command += ["--workers", str(workers)] + ([] if scheduler else ["--no-scheduler"])
    # Captured output goes to a file, not a pipe: a pipe nobody reads fills and stalls the server.
    log = cwd / f"server-{port}.log"
    with open(log if capture else os.devnull, "wb") as sink:
        proc = subprocess.Popen(
            command,
            env={
                **(os.environ if inherit else {}),
                **(env or {}),
                "MATCHSVC_DATABASE_URL": database_url,
            },
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    served = Served(proc, port, log=log if capture else None)
    try:
        if wait and not wait_ready(port, seconds=180, proc=proc):
            raise RuntimeError(f"matchsvc serve did not come up on port {port} (log: {log})")
        yield served
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        if capture:
            served.output = log.read_text("utf-8", "replace")


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One user's connection with its cookie jar, as a browser keeps it."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        *,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, str]:
        """Status and text of the answer (0, "" when the connection failed); `files` sends the
        form as multipart/form-data with those (filename, content) parts."""
        status, body, _ = self.fetch(method, path, form, files=files)
        return status, body.decode("utf-8", "replace")

    def fetch(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        *,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        """Status, raw body and headers of the answer."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body: bytes | None = None
        if files is not None:
            boundary = secrets.token_hex(16)
            parts = []
            for name, value in (form or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # the next request opens a new connection
            return 0, b"", {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, raw, dict(response.headers.items())

    def token(self, path: str) -> tuple[int, str]:
        """The form page's status and CSRF token ("" when the page did not come)."""
        status, text = self.request("GET", path)
        m = TOKEN.search(text)
        return status, m.group(1) if m else ""

    def login(self, username: str, password: str) -> None:
        status, _ = self.request(
            "POST",
            "/login",
            {"csrf_token": self.token("/login")[1], "username": username, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status}")
