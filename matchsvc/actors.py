"""Who is acting: a plain value passed to every service function (no Flask here)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import HQ_CODE, Org, Role, User

CLI_LABEL = "命令行"


@dataclass(frozen=True)
class Actor:
    role: Role
    label: str
    user_id: int | None = None
    org_id: int | None = None
    #: The org's tree path; the actor's region is every org under it.
    org_path: str | None = None
    employer_id: int | None = None
    graduate_id: int | None = None
    #: Signed in with the second factor (TOTP) in this session: needed to unmask.
    second_factor: bool = False

    @property
    def is_national(self) -> bool:
        return self.role == Role.HQ or self.org_path == f"/{HQ_CODE}/"

    @property
    def is_province_or_national(self) -> bool:
        """HQ, or an officer of a province's union (a path of HQ's code and its own)."""
        return self.is_national or (
            self.role == Role.OFFICER and (self.org_path or "").count("/") == 3
        )

    @classmethod
    def for_user(cls, user: User, *, second_factor: bool = False) -> Actor:
        return cls(
            second_factor=second_factor,
            role=user.role,
            label=user.username,
            user_id=user.id,
            org_id=user.org_id,
            org_path=user.org.path if user.org else None,
            employer_id=user.employer_id,
            graduate_id=user.graduate_id,
        )

    @classmethod
    def command_line(cls, hq: Org) -> Actor:
        """The CLI acts with HQ's reach and is audited as the command line."""
        return cls(role=Role.HQ, label=CLI_LABEL, org_id=hq.id, org_path=hq.path)
