"""Where the service finds its files: always through the installed package, never the checkout.

`migrations/` and `templates/` sit at the checkout's top level and are mapped into the package as
`matchsvc.migrations` and `matchsvc.templates` (pyproject's package-dir), so they are found by
import — from the wheel and from the editable install alike.
"""

from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _package_folder(package: str) -> Path:
    return Path(str(resources.files(package)))


TEMPLATES_DIR = _package_folder("matchsvc.templates")
MIGRATIONS_DIR = _package_folder("matchsvc.migrations")
STATIC_DIR = PACKAGE_DIR / "static"
DATA_DIR = PACKAGE_DIR / "data"
