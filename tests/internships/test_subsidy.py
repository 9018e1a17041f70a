"""见习补贴: the months a base claims (the intern-months beginning in the month, none after an
early end or the planned end), the province's rate with its source (HQ only), the higher rate
for a base that keeps at least half, and the flags for a base that keeps under 20% over two
years or had nobody on the post for a year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.cli import main
from matchsvc.errors import DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.internships import service, subsidy
from matchsvc.models import Internship, InternshipState

from ..conftest import graduate_input, make_id
from ..helpers import TODAY
from .test_agreements import world


def _on_post(on_post_from: date, months: int, ended_on: date | None = None) -> Internship:
    return Internship(
        starts_on=on_post_from, planned_months=months, on_post_from=on_post_from,
        ended_on=ended_on, state=InternshipState.ON_POST,
    )  # fmt: skip


def test_the_months_claimed_begin_in_the_month_and_stop_with_the_period() -> None:
    six = _on_post(date(2026, 1, 15), 6)  # 2026-01-15 to 2026-07-14
    claimed = [subsidy.months_in(six, date(2026, m, 1)) for m in range(1, 9)]
    assert claimed == [1, 1, 1, 1, 1, 1, 0, 0]  # six months, the last begun on 15 June
    early = _on_post(date(2026, 1, 15), 6, ended_on=date(2026, 3, 20))
    assert [subsidy.months_in(early, date(2026, m, 1)) for m in range(1, 6)] == [1, 1, 1, 0, 0]
    # a month begun on the last day still counts; one after it does not
    edge = _on_post(date(2026, 1, 31), 3)  # months begin 31 Jan, 28 Feb, 31 Mar; ends 29 Apr
    assert [subsidy.months_in(edge, date(2026, m, 1)) for m in range(1, 6)] == [1, 1, 1, 0, 0]
    assert subsidy.months_in(Internship(state=InternshipState.SIGNED), date(2026, 1, 1)) == 0


def _on_the_post(session: Session, gz: Actor, p, seq: str, start: date) -> Internship:  # type: ignore[no-untyped-def]
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq=seq), "440100", "440100")
    )
    i = service.apply(session, gz, g, p, start)
    service.sign(session, gz, i, signed_on=start, starts_on=start, months=3, allowance=1500)
    service.insure(session, gz, i, policy_no=f"P{seq}", insurer="", insured_from=start,
                   insured_until=service.planned_end(i))  # fmt: skip
    service.start(session, gz, i, start)
    return i


def _finished(session: Session, gz: Actor, base, p, seq: str, kept: bool) -> Internship:  # type: ignore[no-untyped-def]
    i = _on_the_post(session, gz, p, seq, clock.add_months(TODAY, -5))
    service.complete(session, gz, i, TODAY)
    assert i.ended_on is not None
    service.decide(session, gz, i, kept, i.ended_on + timedelta(days=1))
    return i


def test_a_claim_uses_the_provinces_rate_and_the_higher_one_for_a_base_that_keeps(
    session: Session, hq_actor: Actor
) -> None:
    gz, base, p, _ = world(session)
    month = clock.add_months(TODAY, -4)
    with pytest.raises(DomainError, match="全国总工会"):
        subsidy.set_rate(session, gz, "440000", minimum_wage=2300, share_pct=60,
                         higher_pct=70, source="x")  # fmt: skip
    with pytest.raises(DomainError, match="依据"):
        subsidy.set_rate(session, hq_actor, "440000", minimum_wage=2300, share_pct=60,
                         higher_pct=70, source=" ")  # fmt: skip
    with pytest.raises(DomainError, match="不低于"):
        subsidy.set_rate(session, hq_actor, "440000", minimum_wage=2300, share_pct=60,
                         higher_pct=50, source="粤人社规〔2023〕")  # fmt: skip
    assert subsidy.claim(session, base, month).amount is None  # no rate: nothing computed
    subsidy.set_rate(session, hq_actor, "440000", minimum_wage=2300, share_pct=60,
                     higher_pct=70, source="粤人社规〔2023〕")  # fmt: skip

    a = _finished(session, gz, base, p, "971", kept=True)
    _finished(session, gz, base, p, "972", kept=False)
    c = _finished(session, gz, base, p, "973", kept=False)
    assert a.on_post_from is not None
    first = subsidy.claim(session, base, a.on_post_from)
    assert len(first.lines) == 3 and first.months == 3
    # nobody had been decided by that month's end: the base rate
    assert str(first.retention) == "—" and not first.higher
    assert first.pct == 60 and first.per_month == Decimal("1380.00")
    assert first.amount == Decimal("4140.00")
    # a month after the three periods ended claims nothing for them
    assert subsidy.claim(session, base, clock.add_months(a.on_post_from, 3)).months == 0

    d = _on_the_post(session, gz, p, "974", clock.add_months(TODAY, -1))
    assert d.on_post_from is not None
    later = subsidy.claim(session, base, d.on_post_from)
    assert [line.internship.id for line in later.lines] == [d.id] and later.months == 1
    assert str(later.retention) == "33.3%" and not later.higher  # one kept of three
    assert later.amount == Decimal("1380.00")
    c.state = InternshipState.RETAINED  # two kept of three: the higher rate
    session.flush()
    later = subsidy.claim(session, base, d.on_post_from)
    assert later.higher and later.pct == 70 and later.amount == Decimal("1610.00")


def test_a_base_that_keeps_too_few_or_is_idle_is_flagged(session: Session) -> None:
    gz, base, p, _ = world(session)
    assert subsidy.flags(session, base, TODAY) == ["一年内没有见习人员在岗"]
    for n in range(5):
        _finished(session, gz, base, p, f"98{n}", kept=n == 0)
    assert subsidy.flags(session, base, TODAY) == []  # exactly 20% is not under 20%
    _finished(session, gz, base, p, "986", kept=False)
    assert subsidy.flags(session, base, TODAY) == ["两年内留用率 16.7%（1/6），低于 20%"]
    assert subsidy.flags(session, base, TODAY - timedelta(days=100)) == []  # before the decisions
    # two years later those decisions no longer count, and nobody has been on the post
    later = TODAY + timedelta(days=subsidy.WINDOW_DAYS + 1)
    assert subsidy.flags(session, base, later) == ["一年内没有见习人员在岗"]


def test_the_commands_an_officer_scripts_at_the_months_end(app, session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gz, base, p, _ = world(session)
    i = _on_the_post(session, gz, p, "990", clock.add_months(TODAY, -1))
    session.commit()
    run = app.test_cli_runner()
    month = f"{i.on_post_from:%Y-%m}"
    before = run.invoke(main, ["internship", "claim", str(base.id), "--month", month])
    assert before.exit_code == 0 and "1 人，1 个月" in before.output and "尚未设定" in before.output
    rate = run.invoke(
        main, ["internship", "rate", "440000", "--wage", "2300", "--share", "60", "--higher", "50",
               "--source", "测试文件"],
    )  # fmt: skip
    assert rate.exit_code == 1 and "不低于基本比例" in rate.output  # nothing saved
    rate = run.invoke(
        main,
        ["internship", "rate", "440000", "--wage", "2300", "--share", "60", "--source", "测试文件"],
    )
    assert rate.exit_code == 0, rate.output
    out = tmp_path / "roster.xlsx"
    claimed = run.invoke(
        main, ["internship", "claim", str(base.id), "--month", month, "--roster", str(out),
               "--sheet", str(tmp_path / "claim.xlsx")],
    )  # fmt: skip
    assert claimed.exit_code == 0 and "1380.00 元" in claimed.output, claimed.output
    assert out.stat().st_size > 0 and (tmp_path / "claim.xlsx").exists()
    listed = run.invoke(main, ["internship", "bases", "--org", "440000"])
    assert f"{base.id}\t单位96" in listed.output and "留用率 —" in listed.output
    bad = run.invoke(main, ["internship", "claim", str(base.id), "--month", "2026-13"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
