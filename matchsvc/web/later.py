"""Work that follows a response instead of delaying it: a view hands `later` a function of a
session; once the response has been sent (the WSGI server closes it), the functions run in one
transaction of their own. Used for what the matcher showed (outcomes.impressions): a page does not
wait for its impression, and a request that failed leaves none. A failure here is logged and
changes nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, g
from sqlalchemy.orm import Session

from ..db import session_scope
from ..extensions import db

log = logging.getLogger(__name__)
Work = Callable[[Session], None]


def later(work: Work) -> None:
    """Run `work` after this response is sent."""
    pending: list[Work] = g.setdefault("matchsvc_later", [])
    pending.append(work)


def _after(response: Response) -> Response:
    pending: list[Work] = g.pop("matchsvc_later", [])
    if pending and response.status_code < 400:
        factory = db.factory

        def run() -> None:
            try:
                with session_scope(factory) as session:
                    for work in pending:
                        work(session)
            except Exception as err:  # never the response's concern; ids only, no data
                log.warning("work after the response failed: %s", type(err).__name__)

        response.call_on_close(run)
    return response


def install(app: Flask) -> None:
    app.after_request(_after)
