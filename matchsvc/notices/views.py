"""Every user's notices, and where (and whether) copies go by e-mail or SMS."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import pii
from ..errors import DomainError
from ..extensions import db
from ..models import Channel, User
from ..web.guards import current_actor
from ..web.pages import form_page, refused
from . import service
from .forms import PreferencesForm
from .senders import Senders

bp = Blueprint("notices", __name__)


@bp.app_template_global("unread_notices")
def unread_notices() -> int:
    if not current_user.is_authenticated:
        return 0
    return service.unread_count(db.session, current_user.id)


@bp.route("/notices")
@login_required
def index() -> Any:
    notices = service.for_user(db.session, current_user.id)
    unread = {n.id for n in notices if n.read_at is None}
    service.mark_read(db.session, current_user.id)
    return render_template("notices/index.html", notices=notices, unread=unread)


@bp.route("/account/notices", methods=["GET", "POST"])
@login_required
def preferences() -> Any:
    user = db.session.get(User, current_user.id)
    assert user is not None
    senders = Senders(current_app.config)
    form = PreferencesForm()
    context = {
        "email_offered": senders.offers(Channel.EMAIL),
        "sms_offered": senders.offers(Channel.SMS),
        "sms_phone": service.address(db.session, user, Channel.SMS),
    }
    if not form.is_submitted():
        form.email.data = pii.keyring().open(user.email_enc) if user.email_enc else ""
        form.by_email.data, form.by_sms.data = user.notify_email, user.notify_sms
    if form.validate_on_submit():
        try:
            service.set_preferences(
                db.session,
                current_actor(),
                user,
                email=form.email.data,
                by_email=bool(form.by_email.data),
                by_sms=bool(form.by_sms.data),
            )
        except DomainError as err:
            return refused("notices/preferences.html", form, err, **context)
        flash("通知设置已保存。", "success")
        return redirect(url_for("notices.preferences"))
    return form_page("notices/preferences.html", form, **context)
