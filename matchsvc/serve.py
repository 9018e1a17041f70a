"""`matchsvc serve`: gunicorn for the web app, and the scheduler in a process of its own beside it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from .app import create_app
from .matching.engine import kernel


def _warm_worker(_worker: Any) -> None:
    """gunicorn's post_worker_init: the matcher's kernels loaded (from the cache the master
    filled) before this worker takes a request."""
    kernel.warm_up()


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
    create_app()  # the instance folder and its numba cache
    # Compiled once, into the cache, by a child process: this master forks the workers and must
    # not start numba's threads itself (see kernel.warm_up_elsewhere); the workers load the cache.
    kernel.warm_up_elsewhere()
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
