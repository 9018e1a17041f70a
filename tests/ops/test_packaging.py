"""pyproject lists the package's folders one by one (the top-level migrations/, templates/ and jobs/
are mapped into it), so a new feature folder left off the list would be missing from the wheel.
These read the checkout against pyproject; test_wheel.py builds and installs the wheel itself."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from ..sources import ROOT, package_dirs

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_the_card_top_level_is_there() -> None:
    for name in ("matchsvc", "migrations", "templates", "jobs", "tests"):
        assert (ROOT / name).is_dir(), name
    for name in ("pyproject.toml", "README.md"):
        assert (ROOT / name).is_file(), name
    for moved in ("migrations", "templates", "jobs"):
        assert not (ROOT / "matchsvc" / moved).exists(), f"matchsvc/{moved} should be top level"


def test_every_package_folder_is_listed() -> None:
    listed = set(SETUPTOOLS["packages"])
    found = set()
    for package, folder in package_dirs().items():
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder).parts
            found.add(".".join([*package.split("."), *rel]))
    assert found - listed == set(), "package folders missing from pyproject's packages"
    assert listed - found == set(), "pyproject lists packages that have no folder"


def test_the_mapped_folders_are_found_through_the_package() -> None:
    from matchsvc import paths

    assert paths.TEMPLATES_DIR.samefile(Path(str(resources.files("matchsvc.templates"))))
    assert (paths.TEMPLATES_DIR / "base.html").is_file()
    assert (paths.MIGRATIONS_DIR / "env.py").is_file()
    assert any((paths.MIGRATIONS_DIR / "versions").glob("0001_*.py"))
    import matchsvc.jobs

    assert matchsvc.jobs.JOBS, "the scheduled jobs are declared in jobs/"
