"""Configuration from MATCHSVC_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchsvc.config import ConfigError, load_config, normalise_database_url


def test_production_requires_both_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_config(tmp_path, {"MATCHSVC_ENV": "production", "MATCHSVC_SECRET_KEY": "x" * 32})
    with pytest.raises(ConfigError):
        load_config(tmp_path, {"MATCHSVC_ENV": "production", "MATCHSVC_DATA_KEY": "x" * 32})
    cfg = load_config(
        tmp_path,
        {
            "MATCHSVC_ENV": "production",
            "MATCHSVC_SECRET_KEY": "s" * 32,
            "MATCHSVC_DATA_KEY": "d" * 32,
        },
    )
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert not list(tmp_path.iterdir())  # nothing generated in production


def test_development_generates_keys_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = load_config(tmp_path, {})
    assert "generated secret_key" in caplog.text
    second = load_config(tmp_path, {})
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["DATA_KEY"]) >= 32
    assert (tmp_path / "data_key").stat().st_mode & 0o777 == 0o600
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'matchsvc.sqlite3'}"


def test_plain_postgresql_urls_use_psycopg3() -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
