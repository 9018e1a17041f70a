"""还缺: a recommended post names skills the graduate has not stated; the open training offers
near the graduate that teach them are linked — on the officer's page and the graduate's own."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import service
from matchsvc.models import Role, TrainingKind
from matchsvc.training.service import TrainingInput, create_offer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, employer, login, post


def _offer(session: Session, name: str, skills: str, code: str):  # type: ignore[no-untyped-def]
    return create_offer(
        session, officer_actor(session, code),
        TrainingInput(name=name, kind=TrainingKind.SKILL, skills=skills, org_code=code,
                      region_code=code, starts_on=TODAY + timedelta(days=9),
                      ends_on=TODAY + timedelta(days=19), seats=5,
                      signup_closes_on=TODAY + timedelta(days=5)),
    )  # fmt: skip


def test_what_a_post_asks_for_and_where_to_learn_it(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    java = post(
        session, employer(session, 81), "Java开发工程师", ["软件工程"],
        description="熟悉 Java、MySQL，会 Linux 优先",
    )  # fmt: skip
    g = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="881"), "440100", "440100", name="缺技能",
                       major_text="软件工程", wish_regions=["440100"], skills="Java"),
    )  # fmt: skip
    near = _offer(session, "数据库应用培训", "SQL 数据库", "440100")
    _offer(session, "武汉数据库班", "数据库", "420100")  # another province: not offered
    policy = service.make_policy(session, app.config, TODAY)
    item = next(r for r in service.recommend(session, g, policy, "job") if r.id == java.id)
    assert item.extra["missing"] == ["SQL", "Linux", "软件开发"]  # the lexicon's order
    assert "Java" not in item.extra["missing"]  # stated by the graduate
    assert [(t.id, t.teaches) for t in item.extra["teach"]] == [(near.id, ("SQL",))]

    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    create_user(
        session, hq_actor, role=Role.GRADUATE, username="me", password=PASSWORD,
        graduate_id_number=make_id("440106", seq="881"),
    )  # fmt: skip
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    page = c.get(f"/matching/graduates/{g.id}").get_data(as_text=True)
    assert "还缺：" in page and f'href="/training/{near.id}"' in page and "武汉数据库班" not in page
    me = app.test_client()
    login(me, "me", PASSWORD)
    own = me.get("/me").get_data(as_text=True)
    assert "还缺：" in own and "数据库应用培训" in own
