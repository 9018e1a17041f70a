"""The 统计表 as it is mailed to 全总: the exported workbook, rendered by LibreOffice as an
officer prints it, is one A4 page with the title and year, 填报人 and 联系电话, items 01–16, the
填报说明 and the line for the stamp (`matchsvc stats --submitted` fills the reporter too)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.models import Campaign, User
from matchsvc.orgs.service import get_org
from matchsvc.stats import reports
from matchsvc.stats.aid import AID_LINES
from matchsvc.stats.items import LINES

from .test_reports import setup

#: Starts LibreOffice: left out of the fast loop.
pytestmark = pytest.mark.system

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")


@pytest.mark.skipif(
    not SOFFICE or not POPPLER,
    reason="LibreOffice Calc (soffice) and poppler-utils (pdfinfo, pdftotext) are not installed",
)
def test_the_exported_table_prints_as_the_form_on_one_a4_page(
    runner, session: Session, hq_actor: Actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from matchsvc.cli import main

    campaign: Campaign = setup(session, hq_actor)
    gd = session.scalar(select(User).where(User.username == "gd"))
    assert gd is not None
    reports.submit(
        session,
        Actor.for_user(gd),
        campaign,
        get_org(session, "440000"),
        reporter="张填报",
        phone="020-83334455",
        summary="今年共帮扶困难职工家庭高校毕业生……",
    )
    session.commit()
    book = tmp_path / "gd.xlsx"
    args = ["stats", "--campaign", "2012", "--org", "440000", "--submitted", "--format", "xlsx"]
    result = runner.invoke(main, [*args, "-o", str(book)])
    assert result.exit_code == 0, result.output
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "gd.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert abs(width - 595) < 3 and abs(height - 842) < 3, info  # A4 portrait, in points
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "2012年各地工会金秋助学和阳光就业行动情况统计表" in flat
    assert "填报人：张填报" in flat and "联系电话：020-83334455" in flat
    for number in sorted({line.item for line in [*AID_LINES, *LINES] if line.item}):
        assert number in flat, number  # the whole table, (01) to (16)
    assert "2012年助学活动共筹集资金" in flat
    assert "填报说明：数据统计截止日期为2012年8月31日。" in flat
    assert "填报单位（盖章）" in flat and "负责人" in flat
    assert "0.05" in flat  # 14B: 500 元 as 万元, two decimals
