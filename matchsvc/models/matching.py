"""Officers' corrections of major spellings, and the nightly recommendation lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class MajorCorrection(Base):
    """An officer's answer for one spelling: every graduate and position writing it maps here."""

    __tablename__ = "major_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    spelling: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()


class Recommendation(Base):
    """One line of a graduate's recommendation list as the nightly recompute stored it."""

    __tablename__ = "recommendation"
    __table_args__ = (Index("ix_recommendation_rank", "graduate_id", "rank"),)

    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("graduate.id", ondelete="CASCADE"), primary_key=True
    )
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int]
    fit: Mapped[float]
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = created_at_column()
