"""matchsvc: the trade unions' job-matching service for graduates from families in hardship.

`create_app` lives in `matchsvc.app`; it is loaded on first use, so that importing a model or the
matching engine does not load the web application.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'matchsvc' has no attribute {name!r}")
