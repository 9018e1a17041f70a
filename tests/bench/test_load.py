"""A short form of `matchsvc bench load` in CI: the production setup (gunicorn, 2 workers) on this
backend, officers, graduates and an employer at once for a few seconds: every endpoint answers,
no errors. The full form and its figures are in the README."""

from __future__ import annotations

import pytest

from matchsvc.bench.load import run

from ..conftest import FreshDatabases

#: Starts processes or browsers, or runs for long: left out of the fast loop.
pytestmark = pytest.mark.system


def test_mixed_load_has_no_errors(databases: FreshDatabases, backend: str) -> None:
    result = run(seconds=8, users=5, database_url=databases.new(backend), graduates=120)
    assert result["errors"] == 0
    assert len(result["endpoints"]) == 4
    assert all(e["n"] > 0 for e in result["endpoints"].values())
