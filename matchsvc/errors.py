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


class Invalid(DomainError):
    """Several fields refused at once: every (field, message), so a form shows them together."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__("；".join(m for _, m in problems), field=problems[0][0])
        self.problems = problems


class Problems:
    """Collects what a service's rules refuse, to raise them all at once (Invalid)."""

    def __init__(self) -> None:
        self.items: list[tuple[str | None, str]] = []

    def add(self, field: str | None, message: str) -> None:
        self.items.append((field, message))

    def raise_any(self) -> None:
        if len(self.items) == 1:
            field, message = self.items[0]
            raise DomainError(message, field=field)
        if self.items:
            raise Invalid(self.items)


def problems_of(err: DomainError) -> list[tuple[str | None, str]]:
    """Every (field, message) an error names: several for Invalid, else its one."""
    return list(err.problems) if isinstance(err, Invalid) else [(err.field, err.message)]
