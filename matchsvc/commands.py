"""What every command shares: one transaction, a refusal printed as 错误：…, HQ's reach."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import NoReturn

import click
from flask import current_app
from sqlalchemy.orm import Session

from . import clock
from .actors import Actor
from .db import session_scope
from .errors import DomainError
from .extensions import db
from .matching.engine.policy import Policy
from .matching.service import make_policy
from .migrate import current_revision, head_revision
from .models import HQ_CODE
from .orgs.service import get_org
from .validators import InvalidCreditCode, InvalidIdNumber


def fail(message: str) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    sys.exit(1)


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for a command; a domain error prints and exits 1 with nothing written."""
    try:
        with session_scope(db.factory) as session:
            yield session
    except (DomainError, InvalidIdNumber, InvalidCreditCode) as err:
        fail(err.message)


def require_schema() -> None:
    with db.factory() as session:
        revision = current_revision(session.connection())
    if revision != head_revision():
        fail("数据库尚未初始化或需要升级，请先运行 matchsvc init")


def cli_actor(session: Session) -> Actor:
    """The command line acts with HQ's reach and is audited as 命令行."""
    return Actor.command_line(get_org(session, HQ_CODE))


def policy_for(session: Session, today: datetime | date | None = None) -> Policy:
    """The matcher's policy from the app's settings, as of `today` (default: China's today)."""
    day = today.date() if isinstance(today, datetime) else today
    return make_policy(session, current_app.config, day or clock.today())
