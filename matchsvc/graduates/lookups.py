"""Exact-match answers about personal numbers are disclosures, and are counted and audited.

Whoever may type a number and be told "this is graduate X" (or "nobody has it") can complete a
masked number by trying the candidates the mask leaves. So every such answer — the list's search
by a whole ID number or its last four, registration's "already registered at …", the import
preview's "held by …", training enrolment by ID number — is, for a user who may not unmask the
graduate, audited on that graduate's archive (its 操作记录 shows who looked, where and by which
number) and limited per user: `LOOKUP_LIMIT` answers an hour (MATCHSVC_LOOKUP_LIMIT, default 20),
counted in the database's `throttle` table so every app server shares the count. A miss counts
too: ruling a candidate out is half of the attack. Past the limit the lookup answers nothing.
Officers who may unmask every graduate the answer names (the keeping org's subtree) are not
limited, and each answer is still audited.

The count and the audit are written after the request, in a transaction of their own
(`db.afterwards`), so a refused form (a 409 that rolled back) still leaves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..auth import throttle
from ..db import afterwards
from ..errors import DomainError
from ..jurisdiction import can_edit
from ..models import Graduate, Role, utcnow

WINDOW = timedelta(hours=1)
DEFAULT_LIMIT = 20
_limit = DEFAULT_LIMIT

#: What was typed: names in the audit details and in the 操作记录.
FIELDS = {"id_number": "完整身份证号", "id_last4": "身份证号后四位", "phone": "手机号"}
#: Where it was typed.
PLACES = {
    "search": "毕业生查询",
    "register": "登记毕业生",
    "import": "导入预览",
    "training": "培训报名",
}


class TooManyLookups(DomainError):
    status = 429


def configure(limit: int | None) -> None:
    """Set the hourly allowance (create_app, from LOOKUP_LIMIT)."""
    global _limit
    _limit = DEFAULT_LIMIT if limit is None else limit


def limit() -> int:
    return _limit


def _rule() -> throttle.Rule:
    return throttle.Rule("lookup:user", max(_limit, 1), WINDOW, WINDOW)


def too_many_message() -> str:
    return (
        f"按身份证号或手机号查找每小时最多 {_limit} 次，已达上限，本次不予答复；"
        "请一小时后再试，或请档案所在单位查找"
    )


def may_unmask(session: Session, actor: Actor, graduate: Graduate) -> bool:
    """Officers of the home org's subtree (who edit the archive); not HQ, employers or graduates."""
    return actor.role == Role.OFFICER and can_edit(session, actor, graduate)


def _counted(actor: Actor) -> bool:
    return actor.user_id is not None  # the command line acts for the operator, not a user


def guard(session: Session, actor: Actor, field: str = "id_number") -> None:
    """Before answering: refuse (429, nothing answered) when the user's allowance is used up."""
    if not _counted(actor):
        return
    if _limit == 0 or throttle.blocked(session, _rule(), actor.user_id, now=utcnow()):
        raise TooManyLookups(too_many_message(), field=field)


@dataclass(frozen=True)
class _GraduateRef:
    """What the audit records an answer against (the graduate's archive), without loading it."""

    id: int

    __tablename__ = "graduate"


def answered(
    session: Session,
    actor: Actor,
    field: str,
    place: str,
    graduates: Sequence[Graduate],
    *,
    shown: bool = True,
    misses: int | None = None,
) -> None:
    """Note one exact-match answer naming `graduates` (none: a miss). It counts once for a miss
    and once for each graduate named whom the actor may not unmask (an import preview's "held by
    …" rows each count), and is audited on each graduate's archive; both are
    written after the request. `misses` counts the numbers that named nobody, where one call
    answers for many (an import's rows). `shown` is False for answers that named nobody to the user
    (an import's "held by another org" still names the org: pass True)."""
    if not _counted(actor):
        return
    others = [g for g in graduates if not may_unmask(session, actor, g)]
    keeper = bool(graduates) and not others
    hits = [(g.id, g.home_org_id) for g in graduates]
    details = {"field": field, "place": place, "keeper": keeper, "shown": shown}
    # one answer per graduate the user may not unmask (an import's file names many), and one per
    # miss: by default a call naming nobody is one miss; a file passes how many rows missed
    count = len(others) + (misses if misses is not None else 0 if graduates else 1)

    def settle(s: Session) -> None:
        if count:
            throttle.fail(s, _rule(), actor.user_id, now=utcnow(), count=count)
        for graduate_id, home_org_id in hits:
            record(
                s, actor, "lookup", _GraduateRef(graduate_id), org_id=home_org_id, details=details
            )

    afterwards(session, settle)


def describe(details: dict[str, object]) -> str:
    """The 操作记录's words for one lookup: where, and by which number."""
    place = PLACES.get(str(details.get("place")), str(details.get("place", "")))
    field = FIELDS.get(str(details.get("field")), str(details.get("field", "")))
    who = "（建档单位及上级，不计次数）" if details.get("keeper") else ""
    return f"在“{place}”中按{field}查到本档案{who}"
