"""All models, imported here so that the metadata is complete for Alembic and the services."""

from .base import Base, Choice, utcnow
from .campaigns import Campaign, ProvinceReport, ReportState, SnapshotKind, StatsSnapshot
from .employers import (
    ITEM10_EMPLOYER_KINDS,
    Employer,
    EmployerKind,
    EmployerStatus,
    Position,
    PositionKind,
    PositionMajor,
    PositionStatus,
)
from .graduates import (
    LOOKING_STATUSES,
    ArchiveTransfer,
    Degree,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    GraduateHardship,
    Hardship,
    Sex,
    StatusChange,
    TransferState,
)
from .imports import IMPORT_KINDS, PendingImport
from .matching import MajorCorrection, Recommendation
from .ops import ApiToken, AuditChain, AuditEvent, JobOutcome, JobRun, SchedulerLease
from .orgs import HQ_CODE, Org, OrgLevel
from .referrals import (
    ActivationCode,
    GraduateRequest,
    Interest,
    InterestKind,
    Referral,
    ReferralState,
    ReferralStep,
    RequestKind,
)
from .services import MONEY_KINDS, JobFair, ServiceKind, ServiceRecord
from .training import TrainingEnrollment, TrainingKind, TrainingOffer
from .users import Role, User

__all__ = [
    "HQ_CODE",
    "IMPORT_KINDS",
    "ITEM10_EMPLOYER_KINDS",
    "LOOKING_STATUSES",
    "MONEY_KINDS",
    "ActivationCode",
    "ApiToken",
    "ArchiveTransfer",
    "AuditChain",
    "AuditEvent",
    "Base",
    "Campaign",
    "Choice",
    "Degree",
    "Employer",
    "EmployerKind",
    "EmployerStatus",
    "EmploymentStatus",
    "FamilyKind",
    "Graduate",
    "GraduateHardship",
    "GraduateRequest",
    "Hardship",
    "Interest",
    "InterestKind",
    "JobFair",
    "JobOutcome",
    "JobRun",
    "MajorCorrection",
    "Org",
    "OrgLevel",
    "PendingImport",
    "Position",
    "PositionKind",
    "PositionMajor",
    "PositionStatus",
    "ProvinceReport",
    "Recommendation",
    "Referral",
    "ReferralState",
    "ReferralStep",
    "ReportState",
    "RequestKind",
    "Role",
    "SchedulerLease",
    "ServiceKind",
    "ServiceRecord",
    "Sex",
    "SnapshotKind",
    "StatsSnapshot",
    "StatusChange",
    "TrainingEnrollment",
    "TrainingKind",
    "TrainingOffer",
    "TransferState",
    "User",
    "utcnow",
]
