"""Two officers recording a service for the same graduate at the same moment (PostgreSQL, real
commits; on SQLite a write transaction begins IMMEDIATE, so the second request waits before it
reads and the clash cannot arise): each service moves the archive on (核实, 帮扶中), so the second
must build on the first, not fail on the version its page read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.assistance.service import record_service
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Graduate, ServiceKind, ServiceRecord
from matchsvc.orgs.service import get_org

from ..conftest import FreshDatabases, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import TODAY


def test_a_service_recorded_meanwhile_does_not_fail_the_second(databases: FreshDatabases) -> None:
    engine = seeded_engine(databases.new("postgresql"))
    with Session(engine) as s:
        gz = officer_actor(s, "440100")
        g = register_graduate(
            s, gz, graduate_input(make_id("440106", seq="771"), "440100", "440100")
        )
        s.commit()
        gid = g.id
    first, second = Session(engine), Session(engine)
    try:
        gz1, gz2 = officer_actor(first, "440100"), officer_actor(second, "440100")
        g1, g2 = first.get(Graduate, gid), second.get(Graduate, gid)  # both pages read it
        assert g1 is not None and g2 is not None and g1.version == g2.version
        on = TODAY - timedelta(days=1)
        record_service(first, gz1, g1, kind=ServiceKind.POLICY, on=on, org=get_org(first, "440100"))
        first.commit()
        record_service(
            second, gz2, g2, kind=ServiceKind.POLICY, on=TODAY, org=get_org(second, "440100")
        )
        second.commit()  # was StaleDataError: the version moved under it
        assert g2.verified_on == TODAY
    finally:
        first.close()
        second.close()
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == 2
    engine.dispose()
