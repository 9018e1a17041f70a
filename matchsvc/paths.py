"""Where the service finds its files: always inside the installed package, never the checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

TEMPLATES_DIR = PACKAGE_DIR / "templates"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
STATIC_DIR = PACKAGE_DIR / "static"
DATA_DIR = PACKAGE_DIR / "data"
