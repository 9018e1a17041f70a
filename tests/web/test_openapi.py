"""The JSON API against its OpenAPI document (`/api/v1/openapi.json`): schemathesis generates
valid and invalid requests for every operation (random ids, ids of real graduates and positions,
wrong types, out-of-range limits, no credentials) and checks each answer — never a 5xx, status
codes, content types and bodies as documented, invalid input refused, no answer without auth."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Campaign, Role
from matchsvc.stats import tokens
from matchsvc.web.openapi import document

from ..conftest import graduate_input, make_id
from ..helpers import employer, post
from .test_fuzz import PAYLOADS

#: Starts processes or browsers, or runs for long: left out of the fast loop.
pytestmark = pytest.mark.system

EXAMPLES = 25


def test_document_is_served_and_lists_every_api_route(app) -> None:  # type: ignore[no-untyped-def]
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.json == document()
    routes = {
        r.rule.replace("<int:", "{").replace(">", "}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/") and r.endpoint != "openapi.openapi_json"
    }
    assert routes == set(document()["paths"])


def test_api_conforms_to_its_openapi_document(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    graduate = register_graduate(
        session,
        hq_actor,
        graduate_input(make_id("440106", seq="123"), "440100", "440100", major_text="软件工程"),
    )
    position = post(session, employer(session, 71), "Java开发工程师", ["软件工程"])
    hq = create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    _, secret = tokens.issue(session, Actor.for_user(hq), "schemathesis", tokens.TOKEN_SCOPES)
    session.commit()
    auth = {"Authorization": f"Bearer {secret}"}

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    real = {"graduate_id": graduate.id, "position_id": position.id}
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == set(document()["paths"])
    for operation in operations:
        pinned = {k: v for k, v in real.items() if "{" + k + "}" in operation.path}
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if pinned:
            strategies.append(
                operation.as_strategy(GenerationMode.POSITIVE, path_parameters=pinned)
            )
        if operation.path == "/api/v1/stats":
            strategies.append(
                operation.as_strategy(
                    GenerationMode.POSITIVE, query={"campaign": 2012, "org": "440000"}
                )
            )
        for strategy in strategies:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case) -> None:  # type: ignore[no-untyped-def]
                response = case.call_and_validate(headers=auth)
                statuses[response.status_code] += 1

            check()

        @settings(
            max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy(GenerationMode.POSITIVE, path_parameters=pinned or None))
        def anonymous(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call_and_validate()  # no token, no session
            assert response.status_code == 401 and "error" in response.json()
            statuses[response.status_code] += 1

        anonymous()
    print(
        f"\nOpenAPI 检查：{sum(statuses.values())} 个请求，状态码 {dict(sorted(statuses.items()))}"
    )
    assert statuses[200] > 0 and sum(statuses.values()) >= 5 * EXAMPLES
    assert not any(code >= 500 for code in statuses)


def test_hostile_values_in_every_api_parameter(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    """The form fuzzer's payloads (NUL, 100,000 characters, RTL, HTML, SQL, wrong types) in every
    query parameter and path segment the document names: never a 5xx, always a JSON answer."""
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    hq = create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    _, secret = tokens.issue(session, Actor.for_user(hq), "fuzz", tokens.TOKEN_SCOPES)
    session.commit()
    client = app.test_client()
    operations = [
        (path, [p["name"] for p in spec["get"]["parameters"] if p["in"] == "query"])
        for path, spec in document()["paths"].items()
    ]
    seen: Counter[int] = Counter()

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.data())
    def check(data) -> None:  # type: ignore[no-untyped-def]
        path, names = data.draw(st.sampled_from(operations))
        segment = data.draw(st.sampled_from([*PAYLOADS, "1"]), label="path")
        url = re.sub(r"\{[a-z_]+\}", quote(segment, safe="") or "1", path)
        query = {n: data.draw(st.sampled_from(PAYLOADS), label=n) for n in names}
        response = client.get(
            url, query_string=query, headers={"Authorization": f"Bearer {secret}"}
        )
        seen[response.status_code] += 1
        assert response.status_code < 500, (url, query)
        assert response.mimetype == "application/json" and response.get_json() is not None

    check()
    print(f"\n接口参数模糊测试：{sum(seen.values())} 个请求，状态码 {dict(sorted(seen.items()))}")
    assert set(seen) - {400, 404, 422, 200} == set()
