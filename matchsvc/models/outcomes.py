"""What the matcher showed (推荐效果): one row per list shown — a graduate's recommendations, a
post's candidates, an org's placement plan — with each item's id in rank order, its fit and
components and the rules that applied, and the matcher's version. No personal data beyond ids;
purged after MATCHSVC_IMPRESSION_YEARS (2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column

#: The fit's components in the order they are stored (matching.engine.policy.COMPONENTS, which
#: the models may not import; tests/outcomes check the two agree).
COMPONENTS = ("major", "degree", "region", "skills", "wishes")


class Surface(Choice):
    """Where a list was shown."""

    GRADUATE = ("graduate", "毕业生本人页面")
    OFFICER = ("officer", "工作人员推荐岗位与培训")
    CANDIDATES = ("candidates", "岗位候选人")
    EMPLOYER = ("employer", "用人单位候选人")
    API = ("api", "接口")
    PLAN = ("plan", "安置方案")


class Impression(Base):
    """A list shown. Exactly one subject: a graduate (items are posts or offers of `kind`), a
    position (items are graduates) or an org (a plan: items are posts, `pairs` the graduates
    of the same lines). `fits` are tenths of a point, `components` one byte per component and
    item, in hundredths, in the order of `COMPONENTS` (JSON arrays of them took half a
    province's day), `rules` per item the codes that applied."""

    __tablename__ = "impression"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN graduate_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN position_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN org_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
        Index("ix_impression_graduate_shown", "graduate_id", "shown_on"),
        Index("ix_impression_position_shown", "position_id", "shown_on"),
        Index("ix_impression_org_shown", "org_id", "shown_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shown_at: Mapped[datetime] = created_at_column()
    #: The day in 北京时间, for the joins with dated steps and the purge.
    shown_on: Mapped[date] = mapped_column(Date, index=True)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    surface: Mapped[Surface] = mapped_column(choice_type(Surface, "impression_surface"))
    kind: Mapped[str | None] = mapped_column(String(12))
    graduate_id: Mapped[int | None] = mapped_column(ForeignKey("graduate.id", ondelete="CASCADE"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"))
    version: Mapped[str] = mapped_column(String(12))
    #: The same list shown again to the same subject on the same day is one row, counted.
    digest: Mapped[str] = mapped_column(String(16))
    times: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    items: Mapped[list[int]] = mapped_column(JSON)
    pairs: Mapped[list[int] | None] = mapped_column(JSON)
    fits: Mapped[list[int]] = mapped_column(JSON)
    components: Mapped[bytes] = mapped_column(LargeBinary)
    rules: Mapped[list[list[str]]] = mapped_column(JSON)

    def ranks(self) -> dict[int, int]:
        """Item id → its best (1-based) rank in this list."""
        out: dict[int, int] = {}
        for k, item in enumerate(self.items, 1):
            out.setdefault(item, k)
        return out

    def component_values(self) -> list[dict[str, float]]:
        """Each item's components, 0–1, by name."""
        n = len(COMPONENTS)
        raw = self.components or b""
        return [
            {c: raw[k * n + j] / 100 for j, c in enumerate(COMPONENTS)}
            for k in range(len(raw) // n)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "surface": self.surface.value,
            "kind": self.kind,
            "items": self.items,
            "fits": [f / 10 for f in self.fits],
            "version": self.version,
        }


class ProfileChange(Base):
    """A graduate's profile as it was before one save, for the replay (the profile of a past
    day): only the fields the matcher reads that are not personal data — degree, major,
    graduation year, wishes, skills and certificates — and only those that changed. Never the
    name, ID number, phone, origin, family or hardship. Deleted with the graduate and when the
    archive is anonymised."""

    __tablename__ = "profile_change"
    __table_args__ = (Index("ix_profile_change_graduate_at", "graduate_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = created_at_column()
    before: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReplayState(Choice):
    QUEUED = ("queued", "排队中")
    DONE = ("done", "已完成")
    FAILED = ("failed", "未能完成")


class ReplayRun(Base):
    """The replay (outcomes.replay) of an org's recorded hires, asked for on 推荐效果 and run by
    the `outcomes_replay` job: every hire ranked again with the current matcher on the day before
    it. Its result holds the figures only (counts, hire@k, MRR): no personal data."""

    __tablename__ = "replay_run"
    __table_args__ = (
        CheckConstraint("state != 'done' OR result IS NOT NULL", name="done_has_result"),
        Index("ix_replay_run_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose hires: HQ's (the country) or a province's.
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The hires of one campaign year, or of every year (None).
    campaign: Mapped[int | None]
    state: Mapped[ReplayState] = mapped_column(
        choice_type(ReplayState, "replay_state"), default=ReplayState.QUEUED
    )
    #: hires, days, seconds, and the recorded and replayed metrics (outcomes.metrics.Metrics).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
