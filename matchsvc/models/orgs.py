"""Union orgs: HQ → province → city → county, a tree of GB/T 2260 region codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, choice_type, created_at_column

HQ_CODE = "000000"


class OrgLevel(Choice):
    HQ = ("hq", "全国总工会")
    PROVINCE = ("province", "省级")
    CITY = ("city", "市级")
    COUNTY = ("county", "县级")


class Org(Base):
    __tablename__ = "org"
    __table_args__ = (
        CheckConstraint("length(code) = 6", name="code_six_digits"),
        CheckConstraint("(parent_id IS NULL) = (level = 'hq')", name="only_hq_is_root"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[OrgLevel] = mapped_column(choice_type(OrgLevel, "org_level"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"), index=True)
    #: Codes from the root down, "/000000/420000/429004/", built from the parent links; a
    #: subtree is every org whose path starts with this one's. Never derived from code prefixes.
    path: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = created_at_column()

    parent: Mapped[Org | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Org {self.code} {self.name}>"
