"""Every number the ranking uses, in one documented place.

Fit is 0–100, the weighted sum of five components, each 0–1:

| component | weight | 1.0 means | lower values |
| --- | --- | --- | --- |
| major   | 40 | same major, or the position requires the graduate's 专业类 | same 专业类 0.75, 专业不限 0.6, related by text 0.35, only the same 门类/大类 0.1 (工学 alone holds 31 专业类: sharing it says little), else 0; a post naming no major but whose title names an occupation: see below |
| degree  | 10 | meets the minimum (or none set) | two or more levels above the minimum 0.7; below the minimum: not recommended at all |
| region  | 25 | work region in a wished city | wished province 0.9, origin city 0.8, school city 0.7, origin province 0.6, school province 0.5, elsewhere 0.1 (only for graduates who named no region; otherwise not recommended) |
| skills  | 15 | three (or all, if fewer) of the graduate's skills/certificates named by the position | 0.3 plus 0.7 × the share named; none named, or none stated by the graduate, 0.3 |
| wishes  | 10 | the kind of work wished is what the position offers | internships for those who want one, training for those who want it; no wish stated 0.6, another kind 0.3 |

A post without 专业要求 whose title or description names an occupation (`majors/occupations.py`:
"Java开发工程师" → 计算机类) scores the major component by what it seems to ask for: a graduate of an
inferred 专业类 (or major) `INFER_MATCH`, of a neighbouring one (same 门类/大类, or the class of an
inferred major) `INFER_NEAR`, anyone else `INFER_OTHER` — each pulled towards 专业不限's 0.6 by how
weak the inference is: value = 0.6 + strength × (target − 0.6), strength 1 for the title, less for
the description. So an inferred class counts at most as a 专业类 match. Graduates whose own major
is unknown keep 0.6.

Nothing with a fit below `LIST_MIN_FIT` is listed (recommendations, candidates, placement): a
post whose majors share only the graduate's 门类 does not reach it on place and degree alone.

The priority rules (`rules.py`) act on top of fit, in this order, and only lift a recommendation
whose fit is at least `PRIORITY_MIN_FIT`; when a lifted item ends above one with a higher fit, its
explanation says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

WEIGHTS: dict[str, float] = {"major": 40, "degree": 10, "region": 25, "skills": 15, "wishes": 10}
COMPONENTS = tuple(WEIGHTS)

MAJOR_SAME = 1.0
MAJOR_CLASS = 0.75
MAJOR_ANY = 0.6
MAJOR_GROUP = 0.1
MAJOR_RELATED = 0.35

INFER_MATCH = MAJOR_CLASS
INFER_NEAR = 0.45
INFER_OTHER = 0.3

DEGREE_OVER = 0.7

REGION_WISH_CITY = 1.0
REGION_WISH_PROVINCE = 0.9
REGION_ORIGIN_CITY = 0.8
REGION_SCHOOL_CITY = 0.7
REGION_ORIGIN_PROVINCE = 0.6
REGION_SCHOOL_PROVINCE = 0.5
REGION_ELSEWHERE = 0.1

SKILLS_NONE_STATED = 0.3
SKILLS_FULL_AT = 3

WISH_MET = 1.0
WISH_NONE_STATED = 0.6
WISH_OTHER = 0.3

#: A priority rule lifts a recommendation only at or above this fit.
PRIORITY_MIN_FIT = 50.0
#: Nothing below this fit is listed — not as a recommendation, a candidate or a plan line: a
#: shorter list rather than one padded with posts that do not fit. The same as the priority
#: floor, so a rule never lifts what would not be listed.
LIST_MIN_FIT = 50.0
#: How many recommendations a graduate's list holds by default, and the placement's list length.
DEFAULT_LIMIT = 20
PLACEMENT_LIST = 30

#: 公益性岗位 conditions (a deployment setting): any of these hardship categories, or unemployed
#: this many months after leaving school (taken as 1 July of the graduation year).
DEFAULT_PUBLIC_HARDSHIPS = frozenset({"zero_employment", "dibao", "disability"})
DEFAULT_PUBLIC_UNEMPLOYED_MONTHS = 6


@dataclass(frozen=True)
class Policy:
    today: date
    campaign_year: int
    public_hardships: frozenset[str] = field(default=DEFAULT_PUBLIC_HARDSHIPS)
    public_unemployed_months: int | None = DEFAULT_PUBLIC_UNEMPLOYED_MONTHS

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, object], today: date, campaign_year: int | None = None
    ) -> Policy:
        hardships = settings.get("PUBLIC_WELFARE_HARDSHIPS")
        months = settings.get("PUBLIC_WELFARE_UNEMPLOYED_MONTHS", DEFAULT_PUBLIC_UNEMPLOYED_MONTHS)
        chosen = (
            frozenset(str(h) for h in hardships)  # type: ignore[attr-defined]
            if hardships is not None
            else DEFAULT_PUBLIC_HARDSHIPS
        )
        return cls(
            today=today,
            campaign_year=campaign_year or today.year,
            public_hardships=chosen,
            public_unemployed_months=int(str(months)) if months not in (None, "") else None,
        )

    def months_since_school(self, graduation_year: int) -> int:
        left = date(graduation_year, 7, 1)
        return (
            (self.today.year - left.year) * 12
            + self.today.month
            - left.month
            - (1 if self.today.day < left.day else 0)
        )
