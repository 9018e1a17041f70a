"""How views answer a form: the page again with its errors (422) and everything typed kept, or a
button's refusal; one helper for each, so every view answers the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask_wtf import FlaskForm

from ..errors import DomainError, Forbidden, NotFound, problems_of
from ..extensions import db
from .forms import db_int
from .regions import refreshing


def form_page(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """The form's page: 200 when first shown (or posted back only to fill a region chooser),
    422 when it came back refused (the 422 also rolls the request back, see extensions)."""
    status = 422 if form.is_submitted() and not refreshing() else 200
    return render_template(template, form=form, **context), status


def confirm_first(
    *, title: str, message: str, action: str, fields: dict[str, str], button: str, back: str
) -> str:
    """An irreversible action asks first: a page that says what will happen and posts the same
    form again with confirm=yes (no script needed)."""
    return render_template(
        "web/confirm.html",
        title=title,
        message=message,
        action=action,
        fields=fields,
        button=button,
        back=back,
    )


def confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def checked(form: FlaskForm, checks: dict[str, Callable[[], object]]) -> bool:
    """Run every check of a form's values at once and put each refusal beside its field, so a
    user learns all that is wrong in one go (not one error per submit). True if all passed."""
    ok = True
    for name, check in checks.items():
        field = getattr(form, name)
        if field.errors:  # its validators' message stands: one message a field
            ok = False
            continue
        try:
            check()
        except DomainError as err:
            field.errors = [*field.errors, err.message]
            ok = False
    return ok


def refused(template: str, form: Any, err: DomainError, **context: Any) -> Any:
    """Show a form again with the domain error on its field; the 422 (409 for a conflict: a
    duplicate, a stale form) rolls the request back."""
    _beside_field(form, err)
    return render_template(template, form=form, **context), 409 if err.status == 409 else 422


def _on_fields(form: Any, err: DomainError, *, first_only: bool = False) -> list[str]:
    """Put each of an error's messages beside the form field it names (with `first_only`, only
    on a field without an error yet); returns the messages that name no field of the form."""
    elsewhere = []
    for name, message in problems_of(err):
        field = getattr(form, name, None) if name else None
        if field is None or not hasattr(field, "errors"):
            elsewhere.append(message)
        elif not (first_only and field.errors) and message not in field.errors:
            field.errors = [*field.errors, message]
    return elsewhere


def _beside_field(form: Any, err: DomainError) -> None:
    """Each error on its field, or (naming none of the form's) as a message at the top."""
    for message in _on_fields(form, err):
        flash(message, "error")


def errors_on_form(form: Any, err: DomainError) -> None:
    """Each error on its field, or (naming none of the form's) in the form's own errors: for a
    page holding several forms, where a message at the top would not say which."""
    form.form_errors.extend(_on_fields(form, err))


def check_too(form: Any, check: Callable[[], object]) -> None:
    """A form its own validators refused comes back with the service's rules' errors too, so
    nothing waits for a later round (a date before another, a duplicate): `check` runs those
    rules over what could be read; each error goes beside a field that has none yet. Errors
    naming no field of the form, or out of reach, wait for the real save."""
    try:
        check()
    except DomainError as err:
        if not isinstance(err, NotFound | Forbidden):
            _on_fields(form, err, first_only=True)


def refused_action(err: DomainError, back: str, prefix: str = "") -> Any:
    """A button's action the rules refused: undo it, say why, go back. Out of reach (404/403) is
    not a message but the answer, so that is raised — an outsider learns nothing more."""
    if isinstance(err, NotFound | Forbidden):
        raise err
    db.session.rollback()
    flash(prefix + err.message, "error")
    return redirect(back)


@dataclass(frozen=True)
class Again:
    """How a refused form comes back, one helper for every view: its page again (422; 409 for a
    conflict — a duplicate, a stale form) with every error beside its field and every value kept.
    Out of reach (404/403 naming no field) is raised instead, as for a button (refused_action).
    `context` is called only when the form is refused, so a page's figures are not read for
    nothing."""

    template: str
    context: Callable[[], dict[str, Any]]

    @classmethod
    def small(
        cls, *, title: str, action: str, back: str, button: str = "保存", subtitle: str = ""
    ) -> Again:
        """A small form that lives inside another page (the archive's service, status and
        transfer forms, the portal's buttons with a reason): it comes back as a page of its own."""
        page = {
            "title": title,
            "subtitle": subtitle,
            "action": action,
            "back": back,
            "button": button,
        }
        return cls("web/form_page.html", lambda: page)

    def __call__(self, form: FlaskForm, err: DomainError | None = None) -> Any:
        if isinstance(err, NotFound | Forbidden) and err.field is None:
            raise err
        if err is not None:
            _beside_field(form, err)
        html = render_template(self.template, form=form, **self.context())
        return html, 409 if err is not None and err.status == 409 else 422


def one_of_forms(
    forms: dict[str, Any], act: Callable[[str, Any], str], done_url: str
) -> tuple[str, Any | None, int]:
    """A POST to a page of several forms, the action named in the form (`action`): the named
    form's `act` run — a redirect to `done_url` with its message flashed — or, refused, no
    redirect and the status to answer the page with (422, or 409 for a conflict), its errors
    beside the form's fields. An action the page does not have is a 400."""
    action = request.form.get("action") or ""
    if action not in forms:
        abort(400)
    form = forms[action]
    if not form.validate_on_submit():
        return action, None, 422
    try:
        message = act(action, form)
    except DomainError as err:
        errors_on_form(form, err)
        return action, None, 409 if err.status == 409 else 422
    flash(message, "info")
    return action, redirect(done_url), 302


def graduates_row(model: type[Any], raw: str | None, graduate_id: int, missing: str) -> Any:
    """The graduate's row a hidden field names (a period, an agreement): an id that is not one
    is a 400; none, or another graduate's, is NotFound with `missing`."""
    try:
        ident = db_int(raw or "")
    except ValueError:
        abort(400)
    row = db.session.get(model, ident)
    if row is None or row.graduate_id != graduate_id:
        raise NotFound(missing)
    return row
