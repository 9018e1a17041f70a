"""Domain errors raised by service functions and turned into responses at the edges."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse; the message is shown to the user (zh-CN)."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record does not exist, or lies outside the caller's jurisdiction."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
