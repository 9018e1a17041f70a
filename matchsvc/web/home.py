"""The front door: each role's first page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, redirect, url_for
from flask_login import current_user, login_required

from ..models import Role

bp = Blueprint("main", __name__)

HOME_OF = {
    Role.OFFICER: "graduates.index",
    Role.HQ: "graduates.index",
    Role.EMPLOYER: "employer_portal.home",
    Role.GRADUATE: "graduate_portal.home",
}


@bp.route("/")
@login_required
def home() -> Any:
    return redirect(url_for(HOME_OF[current_user.role]))


@bp.route("/favicon.ico")
def favicon() -> Any:
    """Browsers ask for /favicon.ico on every page: the icon the pages link, not a 404 (its
    few bytes from memory, cached a day)."""
    return Response(_icon(), mimetype="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@cache
def _icon() -> bytes:
    assert current_app.static_folder is not None
    return (Path(current_app.static_folder) / "favicon.svg").read_bytes()
