"""The package as a newcomer installs it: a wheel built from the checkout, installed in a fresh
virtual environment away from the checkout, runs init, the demo and the web app from its own
files (templates, migrations, catalogues) — never the checkout's."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from matchsvc.bench.server import Browser, running_server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.system


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_installs_and_runs_away_from_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("matchsvc-*.whl"))
    venv = tmp_path / "venv"
    work = tmp_path / "elsewhere"
    work.mkdir()
    # A clean environment: nothing from this test run (PYTHONPATH, the checkout) leaks in.
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(Path.home()),  # pip's cache
        "MATCHSVC_INSTANCE": str(work / "instance"),
    }
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path, env=env)

    # Nothing is read from the checkout: the installed package, its data and templates.
    where = _run(python, "-c", "import matchsvc; print(matchsvc.__file__)", cwd=work, env=env)
    assert "site-packages" in where and str(ROOT) not in where
    matchsvc = venv / "bin" / "matchsvc"
    assert "数据库结构" in _run(matchsvc, "init", cwd=work, env=env)
    assert "gz_officer" in _run(matchsvc, "demo", "--graduates", "300", cwd=work, env=env)
    assert (work / "instance" / "matchsvc.sqlite3").exists()

    url = f"sqlite:///{work / 'instance' / 'matchsvc.sqlite3'}"
    with running_server(
        url, work, workers=1, env=env, python=str(python), capture=True, inherit=False
    ) as srv:
        officer = Browser(srv.port)
        officer.login("gz_officer", "Demo-gz-2012")
        status, page = officer.request("GET", "/graduates/")
        assert status == 200, srv.so_far()
        graduate_id = re.search(r'href="/graduates/(\d+)"', page)
        assert graduate_id, page[:2000]
        status, page = officer.request("GET", f"/matching/graduates/{graduate_id.group(1)}")
        assert status == 200 and "匹配度" in page, srv.so_far()

        status, body, headers = officer.fetch("GET", "/imports/template/graduates.xlsx")
        assert status == 200 and body[:2] == b"PK", headers
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert "姓名" in header and "身份证号" in header

        graduate = Browser(srv.port)
        graduate.login("grad_demo", "Demo-grad-2012")
        status, page = graduate.request("GET", "/me")
        assert status == 200 and "推荐" in page, srv.so_far()
    assert "Traceback" not in srv.output, srv.output[-3000:]
