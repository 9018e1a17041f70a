"""A base's month as it is filed: `matchsvc internship claim --roster --sheet` writes the
见习人员花名册 (landscape: a wide list) and the 见习补贴申领表, each of which LibreOffice renders
to one A4 page holding the interns, the months, the rate with its source and the amount."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.cli import main
from matchsvc.internships import subsidy

from ..helpers import TODAY
from .test_agreements import world
from .test_subsidy import _on_the_post

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")


def _pdf(book: Path, tmp_path: Path) -> tuple[str, str]:
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = book.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return info, text


def _size(info: str) -> tuple[float, float]:
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert found, info
    return float(found.group(1)), float(found.group(2))


@pytest.mark.system
@pytest.mark.skipif(
    not SOFFICE or not POPPLER,
    reason="LibreOffice Calc (soffice) and poppler-utils (pdfinfo, pdftotext) are not installed",
)
def test_the_roster_and_the_claim_print_on_one_a4_page_each(
    runner, session: Session, hq_actor: Actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    gz, base, p, _ = world(session)
    start = clock.add_months(TODAY, -1)
    for n in range(12):  # a full month's list
        _on_the_post(session, gz, p, f"9{n:02d}", start)
    subsidy.set_rate(
        session, hq_actor, "440000", minimum_wage=2300, share_pct=60, higher_pct=70,
        source="广东省就业见习补贴文件（测试）",
    )  # fmt: skip
    session.commit()
    roster, claim = tmp_path / "roster.xlsx", tmp_path / "claim.xlsx"
    result = runner.invoke(
        main, ["internship", "claim", str(base.id), "--month", f"{start:%Y-%m}",
               "--roster", str(roster), "--sheet", str(claim)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    info, text = _pdf(roster, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = _size(info)
    assert abs(width - 842) < 3 and abs(height - 595) < 3, info  # A4 landscape
    for words in ("就业见习人员花名册", "单位96", "行政见习", "P900",
                  "合计：12 人，12 个月", "盖章"):  # fmt: skip
        assert words in text, words
    assert "440106************" in text

    info, text = _pdf(claim, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = _size(info)
    assert abs(width - 595) < 3 and abs(height - 842) < 3, info  # A4 portrait
    for words in ("就业见习补贴申领表", "单位96", "12 个月", "1380.00", "16560.00 元",
                  "广东省就业见习补贴文件（测试）", "工会审核意见"):  # fmt: skip
        assert words in text, words
