"""The short form of `matchsvc bench worklist`: it builds a province, prints p50/p95 for each
page, and fails if the page's counts differ from the baseline's (counted archive by archive)."""

from __future__ import annotations

import pytest

from matchsvc.bench.worklist import run

from ..conftest import FreshDatabases

pytestmark = pytest.mark.system


def test_the_worklist_benchmark_prints_its_figures(
    databases: FreshDatabases, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(1500, databases.new(backend), repeat=3)
    out = capsys.readouterr().out
    assert "今日待办（各组计数和前 5 行）：p50" in out and "p95" in out
    assert "结果一致" in out and "下级组织逾期情况（省）" in out
