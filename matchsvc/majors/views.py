"""专业核对: spellings mapped with low confidence, corrected by officers; and the catalogue."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..errors import DomainError
from ..extensions import db
from ..web.guards import current_actor, staff_required
from ..web.pages import form_page, refused
from .catalogue import catalogue
from .forms import CorrectionForm
from .mapping import inferred_names
from .service import correct, review_queue

bp = Blueprint("majors", __name__, url_prefix="/matching/majors")


@bp.app_template_global("inferred_names")
def _inferred_names(inferred: dict[str, Any] | None) -> list[str]:
    """The 专业类 read from a post's title, for the pages that show and confirm them."""
    return inferred_names(inferred)


@bp.route("", methods=["GET", "POST"])
@staff_required
def review() -> Any:
    actor = current_actor()
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            changed = correct(db.session, actor, form.spelling.data or "", form.code.data or "")
        except DomainError as err:
            return refused("majors/review.html", form, err, items=review_queue(db.session, actor))
        flash(f"已记住“{form.spelling.data}”的专业对应，更新了 {changed} 条记录。", "success")
        return redirect(url_for("majors.review"))
    return form_page("majors/review.html", form, items=review_queue(db.session, actor))


@bp.route("/catalogue")
@staff_required
def catalogue_page() -> Any:
    q = (request.args.get("q") or "").strip()
    entries = [e for e in catalogue().entries if not q or q in e.name or e.key.startswith(q)][:300]
    return render_template("majors/catalogue.html", entries=entries, q=q)
