"""An employer's 营业执照: uploaded at signup or later from 我的单位 (a new file replaces the old),
read by the employer itself and by the officers who review it. The type is read from the file's
first bytes, not from its name or what the browser claims; PDF, JPG or PNG, at most 5 MB."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from ..actors import Actor
from ..audit import record
from ..errors import DomainError
from ..models import LICENCE_MAX_BYTES, Employer, EmployerLicence

#: The first bytes of each kind of file taken.
MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
WRONG_TYPE = "营业执照须为 PDF、JPG 或 PNG 文件（扫描件或照片）"


def licence_type(data: bytes) -> tuple[str, str]:
    """The file's content type and suffix, or a DomainError beside the field."""
    if not data:
        raise DomainError("请选择营业执照文件", field="licence")
    if len(data) > LICENCE_MAX_BYTES:
        raise DomainError(
            f"营业执照文件不能超过 {LICENCE_MAX_BYTES // (1024 * 1024)} MB", field="licence"
        )
    for magic, content_type, suffix in MAGIC:
        if data.startswith(magic):
            return content_type, suffix
    raise DomainError(WRONG_TYPE, field="licence")


def save_licence(
    session: Session, actor: Actor, employer: Employer, filename: str | None, data: bytes
) -> EmployerLicence:
    content_type, suffix = licence_type(data)
    name = (filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1][:150] or "营业执照"
    if not name.lower().endswith(suffix):
        name = f"{name}{suffix}"
    licence = session.scalar(
        select(EmployerLicence).where(EmployerLicence.employer_id == employer.id)
    )
    if licence is None:
        licence = EmployerLicence(employer_id=employer.id)
        session.add(licence)
    licence.filename = name
    licence.content_type = content_type
    licence.size = len(data)
    licence.sha256 = hashlib.sha256(data).hexdigest()
    licence.data = data
    licence.uploaded_by_id = actor.user_id
    session.flush()
    record(
        session,
        actor,
        "licence_uploaded",
        employer,
        org_id=employer.org_id,
        details={"size": len(data), "type": content_type},
    )
    return licence


def licence_of(session: Session, employer_id: int) -> EmployerLicence | None:
    return session.scalar(select(EmployerLicence).where(EmployerLicence.employer_id == employer_id))


def uploaded(value: Any) -> FileStorage | None:
    """A form's file field as sent: a file, or None (nothing chosen, or text where a file was
    expected — a forged form)."""
    return value if isinstance(value, FileStorage) and value.filename is not None else None
