"""The front door: each role's first page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, url_for
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
