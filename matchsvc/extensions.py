"""Extension objects, created without an app and bound in create_app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .db import database_gone, make_engine, make_session_factory, take_afterwards
from .web.responses import conflict, unavailable

csrf = CSRFProtect()
login_manager = LoginManager()


class Database:
    """One SQLAlchemy session per request, committed or rolled back in one place at its end.

    Views and services only flush. A response below 400 commits; an error response (a form
    refused with 422, a 404, a 500) rolls back, so a refused request never leaves half a change.
    """

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["matchsvc.db"] = {"engine": engine, "factory": make_session_factory(engine)}
        app.after_request(self._finish)
        app.teardown_appcontext(self._close)

    @staticmethod
    def _state(app: Flask | None = None) -> dict[str, Any]:
        return (app or current_app).extensions["matchsvc.db"]

    @property
    def engine(self) -> Engine:
        return self._state()["engine"]

    @property
    def factory(self) -> sessionmaker[Session]:
        return self._state()["factory"]

    def bind(self, app: Flask, bind: Any, **kwargs: Any) -> None:
        """Point the app's sessions at another engine or connection (tests)."""
        self._state(app)["factory"] = make_session_factory(bind, **kwargs)

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self.factory()
        return g.db_session

    def always(self, work: Callable[[Session], None]) -> None:
        """Work that stands whatever the response (a failure counter on a refused form): run
        once the request's own transaction has ended, in a transaction of its own."""
        g.setdefault("db_always", []).append(work)

    def _run_always(self) -> None:
        for work in g.pop("db_always", []):
            with self.factory() as session:
                work(session)
                session.commit()

    def _finish(self, response: Response) -> Response:
        session: Session | None = g.get("db_session")
        if session is not None:
            for work in take_afterwards(session):
                self.always(work)
        try:
            return self._end_request(response)
        finally:
            self._run_always()

    def _end_request(self, response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
            except IntegrityError:
                session.rollback()  # a unique key taken by a parallel request at our commit
                return conflict()
            except DBAPIError as err:
                if not database_gone(err):
                    raise
                # The database went away at the commit: say so (503), never a bare 500. Whether
                # the commit reached the disk is unknown, so the user is asked to check.
                return unavailable("数据库连接中断，您的操作可能未保存，请稍后核对并重试")
            finally:
                session.close()
        return response

    def _close(self, _exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


db = Database()
