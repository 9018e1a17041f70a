"""`matchsvc serve`: gunicorn for the web app, and the scheduler in a process of its own beside it."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from typing import Any

from gunicorn.app.base import BaseApplication
from sqlalchemy.exc import SQLAlchemyError

from . import clock
from .app import create_app
from .extensions import db
from .matching import live
from .matching.engine import kernel

log = logging.getLogger(__name__)


def _warm_worker(_worker: Any) -> None:
    """gunicorn's post_worker_init: the matcher's kernels loaded (from the cache the master
    filled) before this worker takes a request. The open positions it inherits from the master
    (`_read_positions`); its first request checks they are current, as every request does."""
    kernel.warm_up()


def _read_positions(app: Any) -> None:
    """The open positions read into memory in the master before it forks: every worker starts
    with them (copy-on-write), and its first request checks only that nothing changed since.
    The master's connections are closed before the fork (each worker opens its own). A
    database that cannot give them yet (not migrated, unreachable) leaves them to the first
    request."""
    try:
        with app.app_context():
            with db.factory() as session:
                live.warm(session, clock.today())
            db.engine.dispose()
    except SQLAlchemyError:
        log.warning("open positions not read at start; the first request reads them")


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app()


def serve(*, host: str, port: int, workers: int, scheduler: bool) -> None:
    app = create_app()  # the instance folder and its numba cache
    # Compiled once, into the cache, by a child process: this master forks the workers and must
    # not start numba's threads itself (see kernel.warm_up_elsewhere); the workers load the cache.
    compiling = threading.Thread(target=kernel.warm_up_elsewhere, name="numba-warm-up")
    compiling.start()
    _read_positions(app)  # meanwhile: read once here, shared by the forked workers
    compiling.join()
    scheduler_proc = None
    if scheduler:
        scheduler_proc = subprocess.Popen([sys.executable, "-m", "matchsvc", "scheduler"])
    try:
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "timeout": 120,
                "graceful_timeout": 10,
                "post_worker_init": _warm_worker,
            }
        ).run()
    finally:
        if scheduler_proc is not None:
            scheduler_proc.terminate()
            scheduler_proc.wait(timeout=30)
