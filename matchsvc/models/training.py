"""Training offers (培训项目) and the graduates enrolled in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, choice_type, created_at_column
from .orgs import Org


class TrainingKind(Choice):
    SKILL = ("skill", "就业技能培训")
    BUSINESS = ("business", "创业培训")


class TrainingOffer(Base):
    __tablename__ = "training_offer"
    __table_args__ = (
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TrainingKind] = mapped_column(choice_type(TrainingKind, "training_kind"))
    #: The skills or occupations taught, free text the matcher reads.
    skills: Mapped[str] = mapped_column(Text)
    certificate: Mapped[str | None] = mapped_column(String(200))
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(6))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    seats: Mapped[int]
    signup_closes_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    org: Mapped[Org] = relationship()


class TrainingEnrollment(Base):
    __tablename__ = "training_enrollment"
    __table_args__ = (UniqueConstraint("offer_id", "graduate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("training_offer.id"), index=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    enrolled_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
