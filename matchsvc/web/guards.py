"""Who is asking: the current actor, and the guards that refuse a page to the wrong role (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, session
from flask_login import current_user, login_required

from ..actors import Actor
from ..models import Role


def current_actor() -> Actor:
    return Actor.for_user(current_user.user, second_factor=session.get("_2fa") is True)


def own_org_code(actor: Actor) -> str | None:
    """The code of the actor's own org (the last segment of its tree path)."""
    return actor.org_path.strip("/").rsplit("/", 1)[-1] if actor.org_path else None


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in with one of these roles, else 403 (not signed in: the login page)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


#: Officers and headquarters.
staff_required = roles_required(Role.OFFICER, Role.HQ)
#: Headquarters only.
hq_required = roles_required(Role.HQ)
#: An employer's account.
employer_required = roles_required(Role.EMPLOYER)
#: A graduate's account.
graduate_required = roles_required(Role.GRADUATE)
