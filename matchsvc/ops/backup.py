"""`matchsvc backup` / `matchsvc restore`: a consistent copy of the database, and proof that a
restore is identical (row counts and a checksum of every table's rows in key order).

SQLite uses the online backup API (a consistent snapshot while the service runs); PostgreSQL uses
`pg_dump --format=custom` and `pg_restore`. Backups hold what the database holds: ID numbers and
phones only as ciphertext, so the data key must be kept apart from them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, select, text
from sqlalchemy.engine import make_url

from ..errors import DomainError


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database:
        raise DomainError("SQLite 数据库地址缺少文件路径")
    return database


def _pg_args(url: str) -> list[str]:
    u = make_url(url)
    args = [
        "--host",
        u.host or "127.0.0.1",
        "--port",
        str(u.port or 5432),
        "--username",
        u.username or "postgres",
    ]
    return [*args, "--dbname", u.database or "postgres"]


def _sqlite_copy(source_path: str, target_path: str) -> None:
    """SQLite's online backup: a consistent snapshot even while others write."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _private(path: Path) -> None:
    """Create (or truncate) `path` readable by its owner only, before anything is written to
    it: a backup holds every encrypted number and every other personal field."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its mode on open: set it


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at `url` to `target` (mode 0600)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _private(target)
    if url.startswith("sqlite"):
        _sqlite_copy(_sqlite_path(url), str(target))
        return
    if shutil.which("pg_dump") is None:
        raise DomainError("找不到 pg_dump，请安装 PostgreSQL 客户端")
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *_pg_args(url)],
        check=True,
    )


def restore(source: Path, url: str) -> None:
    """Restore a backup into the (empty) database at `url`."""
    if not source.exists():
        raise DomainError(f"备份文件不存在：{source}")
    if url.startswith("sqlite"):
        path = Path(_sqlite_path(url))
        if path.exists() and path.stat().st_size:
            raise DomainError(f"目标数据库已存在：{path}")
        _sqlite_copy(str(source), str(path))
        return
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", *_pg_args(url), str(source)], check=True
    )


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Per table: (row count, SHA-256 of its rows in primary-key order)."""
    meta = MetaData()
    meta.reflect(engine)
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name in sorted(meta.tables):
            table: Table = meta.tables[name]
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            count = 0
            for row in conn.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(_canonical(v) for v in row)).encode())
                count += 1
            out[name] = (count, digest.hexdigest())
        conn.execute(text("SELECT 1"))
    return out


def _canonical(value: object) -> object:
    """The same value from either backend: datetimes without tz noise, decimals as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value) if value is not None else None
