"""Look-ups an import needs many times: orgs by code, the actor's region, employers."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..models import Employer, Org

#: Name similarity (0–100) at which a parent's employer is taken as that registered employer,
#: and below which no match is suggested at all; in between, an officer reviews it.
MATCH_SURE, MATCH_MAYBE = 92, 75


@dataclass(frozen=True)
class OrgRef:
    id: int
    code: str
    name: str
    path: str


class Lookups:
    def __init__(self, session: Session, actor: Actor) -> None:
        self.session, self.actor = session, actor
        self.orgs = {
            code: OrgRef(id_, code, name, path)
            for id_, code, name, path in session.execute(
                select(Org.id, Org.code, Org.name, Org.path)
            )
        }
        self.org_by_id = {o.id: o for o in self.orgs.values()}
        self._employers: tuple[dict[str, int], list[str], list[int]] | None = None

    def in_region(self, org: OrgRef) -> bool:
        return self.actor.is_national or (
            self.actor.org_path is not None and org.path.startswith(self.actor.org_path)
        )

    def _employer_index(self) -> tuple[dict[str, int], list[str], list[int]]:
        if self._employers is None:
            rows = self.session.execute(select(Employer.id, Employer.uscc, Employer.name)).all()
            self._employers = (
                {uscc: id_ for id_, uscc, _ in rows},
                [name for _, _, name in rows],
                [id_ for id_, _, _ in rows],
            )
        return self._employers

    def employer_by_code(self, uscc: str) -> int | None:
        return self._employer_index()[0].get(uscc)

    def employer_by_name(self, name: str) -> tuple[int | None, str | None, float]:
        """(id if sure, best candidate's name, score) by fuzzy name matching (rapidfuzz)."""
        _, names, ids = self._employer_index()
        if not names:
            return None, None, 0.0
        best = process.extractOne(name, names, scorer=fuzz.WRatio, processor=utils.default_process)
        if best is None:
            return None, None, 0.0
        candidate, score, index = best
        return (ids[index] if score >= MATCH_SURE else None), candidate, float(score)
