"""The service's Python source as the installed package names it: `matchsvc/` plus the top-level
folders mapped into it (pyproject's package-dir), for the tests that read the source itself."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """Package name → its folder in the checkout, for `matchsvc` and each mapped package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    mapped = {name: ROOT / folder for name, folder in config.get("package-dir", {}).items()}
    return {"matchsvc": ROOT / "matchsvc", **mapped}


def python_modules(*, migrations: bool = False) -> dict[str, Path]:
    """Module name → file, for every module of the package (Alembic revisions only if asked:
    Alembic loads them, nothing imports them)."""
    out: dict[str, Path] = {}
    for package, folder in package_dirs().items():
        for path in folder.rglob("*.py"):
            if package == "matchsvc.migrations" and not migrations:
                continue
            parts = [*package.split("."), *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out
