"""操作记录 reads in Chinese: every action the services record has a label, and the archive's
history names people by their display name, with times in 北京时间."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import change_status, register_graduate
from matchsvc.models import EmploymentStatus, Role
from matchsvc.web.labels import ACTION_LABELS

from ..conftest import graduate_input, make_id
from ..helpers import PASSWORD, login
from ..sources import python_modules

CALL = re.compile(r'record\(\s*[\w.]+,\s*[^,]+?,\s*"([a-z_]+)"', re.S)
#: Actions chosen in the call: "accept_transfer" if accept else "refuse_transfer".
CHOICE = re.compile(r'^\s+"([a-z_]+)" if [^\n]+ else "([a-z_]+)",$', re.M)


def test_every_recorded_action_has_a_chinese_label() -> None:
    actions: set[str] = set()
    for path in python_modules().values():
        text = path.read_text("utf-8")
        actions |= set(CALL.findall(text))
        if "record(" in text:
            actions |= {a for pair in CHOICE.findall(text) for a in pair}
    assert {"create", "unmask", "refer", "submit", "refuse_transfer"} <= actions  # found
    assert sorted(a for a in actions if a not in ACTION_LABELS) == []


def test_the_history_names_people_and_says_beijing_time(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    officer = create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    officer.display_name = "陈干事"
    g = register_graduate(session, hq_actor, graduate_input(make_id("440106"), "440100", "440100"))
    change_status(session, Actor.for_user(officer), g, EmploymentStatus.SIGNED, date(2012, 7, 20))
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "时间（北京时间）" in page and "陈干事" in page and "变更就业状态" in page
