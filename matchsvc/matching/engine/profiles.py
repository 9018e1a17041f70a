"""What the matcher knows of a graduate, a position and a training offer (no database types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...models import PositionKind

#: Position kinds as the engine numbers them (the stored `PositionKind` values), and their labels.
KINDS: tuple[str, ...] = tuple(k.value for k in PositionKind)
KIND_LABELS: dict[str, str] = {k.value: k.label for k in PositionKind}
#: What recommendations, the CLI and the API call each kind: a position kind, or a course or help.
RECOMMENDATION_KIND = {
    "job": "job",
    "internship": "internship",
    "public_welfare": "public",
    "work_study": "work_study",
}
POSITION_KIND = {v: k for k, v in RECOMMENDATION_KIND.items()}
#: What a graduate is offered, and a student (勤工俭学 only, from an index of its own).
GRADUATE_POSITION_KINDS = ("job", "internship", "public_welfare")
STUDENT_POSITION_KINDS = ("work_study",)
RECOMMENDATION_KINDS = (*RECOMMENDATION_KIND.values(), "training", "business")
RECOMMENDATION_LABELS = {
    **{RECOMMENDATION_KIND[k]: label for k, label in KIND_LABELS.items()},
    "training": "技能培训",
    "business": "创业扶持",
}
#: Degree order: 专科 < 本科 < 硕士 < 博士.
DEGREE_RANKS = {"zhuanke": 0, "benke": 1, "master": 2, "doctor": 3}


def region_parts(code: str | None) -> tuple[int, int]:
    """(province, city) numbers of a GB/T 2260 code; city -1 for a province-level code."""
    if not code or len(code) < 2 or not code[:2].isdigit():
        return -1, -1
    province = int(code[:2])
    city = int(code[:4]) if len(code) >= 4 and code[2:4] != "00" else -1
    return province, city


@dataclass
class GraduateProfile:
    id: int
    degree: str  # zhuanke | benke | master | doctor
    major_code: str | None
    major_text: str
    graduation_year: int
    origin_region: str | None
    school_region: str
    wish_regions: tuple[str, ...] = ()
    wish_work: str | None = None
    skills: str | None = None  # skills and certificates, as written
    wants_training: bool = False
    wants_internship: bool = False
    wants_business: bool = False
    hardships: frozenset[str] = frozenset()
    unemployed: bool = True
    #: Looking for work: not 已就业, 已签约, 自主创业 or 升学 (or asked to be shown jobs again).
    looking: bool = True
    #: At university still (registered as 在校生, before the graduation year): offered 勤工俭学.
    student: bool = False
    status_since: date | None = None
    parent_employer_id: int | None = None
    declined: frozenset[int] = frozenset()
    home_org_id: int = 0
    name: str = ""

    @property
    def level(self) -> int:
        """0: matched against the 本科 catalogue, 1: the 专科 one."""
        return 1 if self.degree == "zhuanke" else 0


@dataclass
class PositionProfile:
    id: int
    kind: str  # job | internship | public_welfare | work_study
    title: str
    description: str | None
    employer_id: int
    employer_name: str
    region: str
    min_degree: str | None = None
    #: Required majors mapped per level: codes against the 本科 and the 专科 catalogue.
    major_codes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    major_texts: tuple[str, ...] = ()
    #: For a post naming no major: the catalogue entries its title and description point to, per
    #: level (本科, 专科), and how sure that is (0 none … 1 the title; `majors/occupations.py`).
    inferred: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    inferred_strength: float = 0.0
    headcount: int = 1
    org_id: int = 0
    employer_kind: str = "other"


@dataclass
class TrainingProfile:
    id: int
    kind: str  # skill | business
    name: str
    skills: str
    certificate: str | None
    org_id: int
    org_name: str
    region: str
    seats_left: int
    signup_closes_on: date


@dataclass
class BusinessHelp:
    """Where a graduate who wants to start a business gets 创业指导 and 小额担保贷款."""

    org_id: int
    org_name: str
    region: str
    services_given: int = 0
    extra: dict[str, int] = field(default_factory=dict)
