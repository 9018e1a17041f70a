"""`matchsvc notices send`: send the outbox's due e-mail and SMS now (the scheduler does it
every minute)."""

from __future__ import annotations

import click
from flask import current_app

from ..commands import require_schema, transaction
from .senders import Senders
from .service import send_due


@click.group("notices")
def notices_group() -> None:
    """通知（邮件、短信）。"""


@notices_group.command("send")
def send_command() -> None:
    """立即发送待发的邮件和短信通知。"""
    require_schema()
    with transaction() as session:
        sent = send_due(session, Senders(current_app.config))
    click.echo(f"已发送 {sent} 条通知。")


COMMANDS = (notices_group,)
