"""The 空岗报告 as the approving org prints it: `matchsvc welfare report` writes a workbook that
LibreOffice renders to one A4 page holding the post, the period and its exit, the deadline and the
shortlist; the page download is the same file, for the approving org's region only."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.cli import main
from matchsvc.graduates.service import register_graduate
from matchsvc.models import PositionKind, Role, TenureExit, VacancyReport
from matchsvc.public_welfare import service

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, employer, login, post

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")


def _report(session: Session) -> VacancyReport:
    gz = officer_actor(session, "440100")
    p = post(
        session, employer(session, 98), "社区养老服务岗", [], kind=PositionKind.PUBLIC_WELFARE,
        published_on=TODAY - timedelta(days=200),
    )  # fmt: skip
    held = register_graduate(
        session, gz, graduate_input(make_id("440106", seq="985"), "440100", "440100", name="原在岗")
    )
    register_graduate(
        session, gz, graduate_input(make_id("440106", seq="986"), "440100", "440100", name="候补人")
    )
    t = service.place(session, gz, held, p, TODAY - timedelta(days=100), service.Rules())
    return service.end_tenure(session, gz, t, TODAY - timedelta(days=2), TenureExit.OTHER_JOB)


def test_the_page_download_is_for_the_approving_region(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    report = _report(session)
    for name, code in (("gz", "440100"), ("wh", "420000")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code
        )
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    got = c.get(f"/welfare/report.xlsx?id={report.id}")
    assert got.status_code == 200 and got.data[:2] == b"PK"  # a workbook
    assert c.get("/welfare/report.xlsx").status_code == 302  # no id: the ledger
    wh = app.test_client()
    login(wh, "wh", PASSWORD)
    assert wh.get(f"/welfare/report.xlsx?id={report.id}").status_code == 404


@pytest.mark.system
@pytest.mark.skipif(
    not SOFFICE or not POPPLER,
    reason="LibreOffice Calc (soffice) and poppler-utils (pdfinfo, pdftotext) are not installed",
)
def test_the_report_prints_on_one_a4_page(runner, session: Session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = _report(session)
    session.commit()
    book = tmp_path / "report.xlsx"
    result = runner.invoke(main, ["welfare", "report", str(report.id), "-o", str(book)])
    assert result.exit_code == 0, result.output
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert abs(width - 595) < 3 and abs(height - 842) < 3, info
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "公益性岗位空岗报告",
        "社区养老服务岗",
        "另行就业",
        "推荐人选",
        "候补人",
        "单位盖章",
    ):
        assert words in text, words
    assert str(report.due_on) in text
