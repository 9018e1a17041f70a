"""Where the service finds its files, independent of the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout holding `templates/`, `migrations/` and `jobs/` beside the package.
PROJECT_DIR = PACKAGE_DIR.parent

TEMPLATES_DIR = PROJECT_DIR / "templates"
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
STATIC_DIR = PACKAGE_DIR / "static"
DATA_DIR = PACKAGE_DIR / "data"
