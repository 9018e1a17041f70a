"""Graduates (one person nationally, by 身份证号), their status history and archive transfers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import pii
from ..names import name_keys
from .archives import ArchiveState
from .base import Base, Choice, UTCDateTime, choice_type, created_at_column, utcnow
from .orgs import Org


class Degree(Choice):
    ZHUANKE = ("zhuanke", "专科")
    BENKE = ("benke", "本科")
    MASTER = ("master", "硕士")
    DOCTOR = ("doctor", "博士")

    @property
    def rank(self) -> int:
        return list(Degree).index(self)

    @classmethod
    def from_label(cls, label: str) -> Any:
        """The label, or the everyday word for it (大专 is 专科, 硕士研究生 is 硕士 …)."""
        word = label.strip()
        return super().from_label(DEGREE_WORDS.get(word, word))


#: What officers and forms write for a degree level, beside its label.
DEGREE_WORDS = {
    "大专": "专科",
    "高职": "专科",
    "高职高专": "专科",
    "专科生": "专科",
    "大学专科": "专科",
    "大学本科": "本科",
    "本科生": "本科",
    "学士": "本科",
    "硕士研究生": "硕士",
    "博士研究生": "博士",
}


class FamilyKind(Choice):
    WORKER = ("worker", "困难职工家庭")
    MIGRANT = ("migrant", "农民工家庭")


class Hardship(Choice):
    DIBAO = ("dibao", "低保")
    ZERO_EMPLOYMENT = ("zero_employment", "零就业家庭")
    SINGLE_PARENT = ("single_parent", "单亲")
    DISABILITY = ("disability", "残疾")
    SERIOUS_ILLNESS = ("serious_illness", "大病")
    OTHER = ("other", "其他")


class EmploymentStatus(Choice):
    UNEMPLOYED = ("unemployed", "未就业")
    SIGNED = ("signed", "已签约")
    EMPLOYED = ("employed", "已就业")
    SELF_EMPLOYED = ("self_employed", "自主创业")
    FLEXIBLE = ("flexible", "灵活就业")
    FURTHER_STUDY = ("further_study", "升学")
    OTHER = ("other", "其他")


#: Statuses of graduates who are offered jobs, internships and public-welfare posts (DOMAIN.md:
#: 已就业, 已签约, 自主创业 and 升学 are not; 灵活就业 and 其他 still are).
LOOKING_STATUSES = (EmploymentStatus.UNEMPLOYED, EmploymentStatus.FLEXIBLE, EmploymentStatus.OTHER)


class Sex(Choice):
    MALE = ("M", "男")
    FEMALE = ("F", "女")


class Graduate(Base):
    __tablename__ = "graduate"
    __table_args__ = (
        CheckConstraint("graduation_year BETWEEN 1950 AND 2100", name="graduation_year_range"),
        Index("ix_graduate_scope_home", "home_org_id", "graduation_year"),
        Index("ix_graduate_scope_school", "school_org_id", "graduation_year"),
        # The list's sort orders, each with the id that breaks ties, so a page is an index walk.
        Index("ix_graduate_sort_registered", "registered_on", "id"),
        Index("ix_graduate_sort_pinyin", "name_pinyin", "id"),
        Index("ix_graduate_sort_year", "graduation_year", "id"),
        Index("ix_graduate_sort_status", "status", "id"),
        Index("ix_graduate_archive", "home_org_id", "archive_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    #: Pinyin of the name without spaces ("zhangsan") and its initials ("zs"), for search.
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(50), index=True, default="")
    #: Fernet ciphertext of the 身份证号; never stored in clear.
    id_number_enc: Mapped[str] = mapped_column(Text)
    #: Keyed HMAC of the 身份证号: look-up and the national one-person rule.
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Keyed HMAC of the last four characters, for "search by the last four" (never in clear:
    #: with the 生源地 and the birth date they would complete the number).
    id_last4_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    sex: Mapped[Sex] = mapped_column(choice_type(Sex, "sex"))
    #: The birth year only (ages, statistics); the date is in the encrypted number.
    birth_year: Mapped[int]
    #: Bumped on every profile save: a form opened before another officer's save is refused.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    #: 建档单位: the org holding the archive; its subtree edits the profile.
    home_org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    #: 生源地, a GB/T 2260 code (any level, not necessarily an org).
    origin_region_code: Mapped[str | None] = mapped_column(String(6))
    school_name: Mapped[str] = mapped_column(String(100))
    #: The org whose region holds the school (院校所在地); its subtree sees the graduate.
    school_org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    major_text: Mapped[str] = mapped_column(String(100))
    #: The catalogue entry the major maps to (matchsvc.majors), the spelling's key and confidence.
    major_code: Mapped[str | None] = mapped_column(String(64), index=True)
    major_key: Mapped[str | None] = mapped_column(String(100), index=True)
    major_confidence: Mapped[float | None]
    #: The mapping waits for an officer's review (专业核对): not sure, or another answer close.
    major_needs_review: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    degree: Mapped[Degree] = mapped_column(choice_type(Degree, "degree"))
    graduation_year: Mapped[int]
    family_kind: Mapped[FamilyKind] = mapped_column(choice_type(FamilyKind, "family_kind"))
    parent_employer_name: Mapped[str | None] = mapped_column(String(200))
    parent_employer_uscc: Mapped[str | None] = mapped_column(String(18))
    #: The registered employer the parent works at, by credit code or fuzzy name match.
    parent_employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    wish_regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    wish_work: Mapped[str | None] = mapped_column(String(200))
    wants_training: Mapped[bool] = mapped_column(default=False)
    wants_internship: Mapped[bool] = mapped_column(default=False)
    wants_business: Mapped[bool] = mapped_column(default=False)
    #: The graduate says they are looking for work although their status says otherwise: jobs are
    #: recommended again until the status next changes (the officer sees the request).
    looking_again: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    #: Registered while still at university (在校生, for 勤工俭学): a student until their
    #: graduation year, a graduate from then on without registering again.
    student: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    #: The graduate's choice: personalised recommendations, or a plain list of open positions.
    personalised: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    skills: Mapped[str | None] = mapped_column(Text)
    certificates: Mapped[str | None] = mapped_column(Text)
    #: 帮扶档案编号 in the national union assistance software.
    archive_no: Mapped[str | None] = mapped_column(String(40))
    registered_on: Mapped[date] = mapped_column(Date)
    #: When the archive was last verified (核实): a service given, a follow-up answered, a status
    #: change recorded; None: not since registration.
    verified_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[EmploymentStatus] = mapped_column(
        choice_type(EmploymentStatus, "employment_status"), default=EmploymentStatus.UNEMPLOYED
    )
    status_since: Mapped[date] = mapped_column(Date)
    #: Where the archive stands in its lifecycle (archives/), since when, and the day a 公示
    #: ends; the events keep the history, this the current step for lists and counts.
    archive_state: Mapped[ArchiveState] = mapped_column(
        choice_type(ArchiveState, "archive_state"),
        default=ArchiveState.OPENED,
        server_default=ArchiveState.OPENED.value,
    )
    archive_since: Mapped[date | None] = mapped_column(Date)
    publicity_ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    #: Set when the retention period passed and the personal data was anonymised.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    home_org: Mapped[Org] = relationship(foreign_keys=[home_org_id])
    school_org: Mapped[Org] = relationship(foreign_keys=[school_org_id])
    hardships: Mapped[list[GraduateHardship]] = relationship(
        cascade="all, delete-orphan", order_by="GraduateHardship.category"
    )
    status_history: Mapped[list[StatusChange]] = relationship(
        order_by="(StatusChange.effective_on, StatusChange.id)", viewonly=True
    )

    #: Every UPDATE checks and bumps `version` (SQLAlchemy's optimistic lock).
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    @validates("name")
    def _name_keys(self, _key: str, value: str) -> str:
        self.name_pinyin, self.name_initials = name_keys(value)
        return value

    @property
    def is_looking(self) -> bool:
        """Offered jobs: an active archive (建档, 帮扶中) whose status looks for work (未就业,
        灵活就业, 其他), or who asked to be."""
        active = self.archive_state in (ArchiveState.OPENED, ArchiveState.ASSISTING)
        return active and (self.status in LOOKING_STATUSES or self.looking_again)

    def is_student(self, today: date) -> bool:
        """Still at university on `today`: registered as 在校生, before their graduation year."""
        return self.student and self.graduation_year > today.year

    @property
    def id_number(self) -> str:
        return pii.keyring().open(self.id_number_enc)

    @property
    def birth_date(self) -> date:
        """From the encrypted number (for checks and for who may see the number itself)."""
        number = self.id_number
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))

    def age(self, today: date) -> int:
        """Age in whole years by the birth year, as pages show it where the number is masked."""
        return today.year - self.birth_year

    @property
    def phone(self) -> str | None:
        return pii.keyring().open(self.phone_enc) if self.phone_enc else None

    def set_id_number(self, value: str) -> None:
        self._seal("id_number", value)

    def set_phone(self, value: str | None) -> None:
        self._seal("phone", value)

    def _seal(self, prefix: str, value: str | None) -> None:
        """Store a personal value as ciphertext and keyed hash (the ID number's last four as a
        keyed hash too, for search)."""
        sealed = pii.keyring().seal(value) if value else None
        setattr(self, f"{prefix}_enc", sealed.ciphertext if sealed else None)
        setattr(self, f"{prefix}_hash", sealed.digest if sealed else None)
        if prefix == "id_number" and sealed is not None:
            self.id_last4_hash = sealed.last4_digest

    @property
    def hardship_categories(self) -> list[Hardship]:
        return [h.category for h in self.hardships]

    def __repr__(self) -> str:  # never the ID number
        return f"<Graduate {self.id}>"


class GraduateHardship(Base):
    """One hardship category (低保, 零就业家庭, …) of a graduate's family."""

    __tablename__ = "graduate_hardship"

    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("graduate.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Hardship] = mapped_column(
        choice_type(Hardship, "hardship"), primary_key=True, index=True
    )


class StatusChange(Base):
    """One employment-status change with the date it took effect; the table reads as-of."""

    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_asof", "graduate_id", "effective_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"))
    status: Mapped[EmploymentStatus] = mapped_column(
        choice_type(EmploymentStatus, "employment_status")
    )
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    #: The service record that caused it (实现就业), if any.
    service_record_id: Mapped[int | None] = mapped_column(ForeignKey("service_record.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = created_at_column()


class TransferState(Choice):
    PENDING = ("pending", "待接收")
    ACCEPTED = ("accepted", "已接收")
    REFUSED = ("refused", "已拒绝")
    #: The sending org took its offer back before the other side decided.
    WITHDRAWN = ("withdrawn", "已撤回")


class ArchiveTransfer(Base):
    """Moving a graduate's archive to another org, which accepts or refuses it."""

    __tablename__ = "archive_transfer"
    __table_args__ = (
        CheckConstraint("from_org_id != to_org_id", name="different_orgs"),
        CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)", name="decided_iff_not_pending"
        ),
        Index(
            "uq_archive_transfer_one_pending",
            "graduate_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"))
    from_org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[TransferState] = mapped_column(
        choice_type(TransferState, "transfer_state"), default=TransferState.PENDING
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = created_at_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(String(500))

    graduate: Mapped[Graduate] = relationship()
    from_org: Mapped[Org] = relationship(foreign_keys=[from_org_id])
    to_org: Mapped[Org] = relationship(foreign_keys=[to_org_id])


__all__ = [
    "ArchiveTransfer",
    "Degree",
    "EmploymentStatus",
    "FamilyKind",
    "Graduate",
    "GraduateHardship",
    "Hardship",
    "Sex",
    "StatusChange",
    "TransferState",
]
