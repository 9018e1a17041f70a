"""The short form of `matchsvc bench e2e` on PostgreSQL: a generated country in its own database,
the recompute on two real workers compared with the in-process run, `serve` started and a
graduate's page cold, warm and after an edit, a province's plan — every figure printed beside its
baseline and the growth's exponent between the two sizes."""

from __future__ import annotations

import os

import pytest
from flask import Flask

from matchsvc.bench import e2e

from ..conftest import PG_ADMIN_URL, require_pg

pytestmark = pytest.mark.system


def test_the_end_to_end_benchmark_prints_every_figure(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    require_pg()
    environ = dict(os.environ)
    with app.app_context():
        results = e2e.run(PG_ADMIN_URL, 1600, 640, 0.5, keep=False)
    out = capsys.readouterr().out
    assert [r.graduates for r in results] == [800, 1600]
    for label, baseline in e2e.LABELS.values():
        assert out.count(label) == 3 and out.count(f"基线（{baseline}）") >= 2  # two sizes, growth
    assert out.count("结果一致") == 2, out  # the workers' lists are the in-process run's
    assert "指数" in out and "每个 worker 的内存峰值" in out
    assert "没有显示修改" not in out  # the page after an edit shows it
    for r in results:
        assert r.seconds["recompute"] > 0 and r.seconds["plan"] > 0 and r.seconds["cold"] > 0
    # the keys went to the bench's own children only: servers started later (the wheel's, with
    # a data key of their own) inherit nothing from it
    assert dict(os.environ) == environ
