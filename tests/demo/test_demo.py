"""`matchsvc demo`: realistic, deterministic, and no personal data in clear on disk."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchsvc import pii
from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.cli import main
from matchsvc.clock import today as clock_today
from matchsvc.db import make_engine, make_session_factory
from matchsvc.demo.archives import APPLICATIONS
from matchsvc.demo.internships import INTERNS
from matchsvc.demo.work_study import STUDENTS
from matchsvc.matching.service import make_policy, placement_plan
from matchsvc.models import (
    ArchiveState,
    Campaign,
    Employer,
    EmploymentStatus,
    FollowUp,
    FollowUpState,
    Graduate,
    Internship,
    InternshipState,
    JobFair,
    Org,
    Position,
    ServiceRecord,
    StatusChange,
    Tenure,
    TenureExit,
    User,
    VacancyReport,
)
from matchsvc.validators import parse_credit_code, parse_id_number

from ..conftest import FreshDatabases, app_config
from ..helpers import login


def run_demo(url: str, *args: str) -> str:
    app = create_app(app_config(url))
    result = app.test_cli_runner().invoke(main, ["demo", "--graduates", "120", *args])
    app.extensions["matchsvc.db"]["engine"].dispose()
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.system
def test_demo_data_is_realistic_and_deterministic(databases: FreshDatabases, backend: str) -> None:
    url_a, url_b = databases.new(backend), databases.new(backend)
    output = run_demo(url_a)
    for username in ("hq", "gd_officer", "gz_officer", "gzmetro_hr", "grad_demo"):
        assert username in output
    run_demo(url_b)
    rows = []
    for url in (url_a, url_b):
        engine = make_engine(url)
        with make_session_factory(engine)() as s:
            graduates = s.scalars(select(Graduate).order_by(Graduate.id)).all()
            rows.append([(g.name, g.id_number_hash, g.school_name, g.status) for g in graduates])
            # 120 registered, the online applications (archives in every state), students, interns
            assert len(graduates) == 120 + len(APPLICATIONS) + len(STUDENTS) + len(INTERNS)
            assert sum(g.is_student(clock_today()) for g in graduates) == len(STUDENTS) - 1
            assert {g.archive_state for g in graduates} == set(ArchiveState)
            for g in graduates:
                parse_id_number(g.id_number)  # every ID number is valid
            for e in s.scalars(select(Employer)):
                parse_credit_code(e.uscc)
            assert {e.kind.value for e in s.scalars(select(Employer))} >= {
                "soe",
                "model_worker",
                "charitable",
                "public_welfare",
            }
            assert {p.kind.value for p in s.scalars(select(Position))} == {
                "job",
                "internship",
                "public_welfare",
                "work_study",
            }
            # 就业见习: an agreement in every state
            assert set(s.scalars(select(Internship.state))) == set(InternshipState)
            assert s.scalar(select(func.count()).select_from(ServiceRecord)) > 0
            assert s.scalar(select(func.count()).select_from(JobFair)) > 0
            # 回访: answered, cancelled (left), due today and overdue, one back to 未就业
            states = set(s.scalars(select(FollowUp.state)))
            assert states == {FollowUpState.ANSWERED, FollowUpState.CANCELLED, FollowUpState.DUE}
            due = s.scalars(
                select(FollowUp.due_on).where(
                    FollowUp.state == FollowUpState.DUE, FollowUp.due_on <= clock_today()
                )
            ).all()
            assert clock_today() in due and min(due) < clock_today()
            # 公益性岗位: in post, assessed, left (report filed), failed, left (report late)
            exits = set(s.scalars(select(Tenure.exit_reason)))
            assert exits == {None, TenureExit.OTHER_JOB, TenureExit.FAILED_REVIEW, TenureExit.ASKED}
            filed = [r.submitted_on is not None for r in s.scalars(select(VacancyReport))]
            assert sorted(filed) == [False, False, True]
            assert s.scalar(
                select(func.count()).where(StatusChange.note.like("回访：已离职%希望再获帮助"))
            )
            assert (
                s.scalar(select(Campaign.cutoff_on).where(Campaign.year == 2012)).isoformat()
                == "2012-08-31"
            )
            assert {u.role.value for u in s.scalars(select(User))} == {
                "hq",
                "officer",
                "employer",
                "graduate",
            }
        engine.dispose()
    assert rows[0] == rows[1]
    assert "已有演示数据" in run_demo(url_a)


def test_no_full_id_number_or_phone_on_disk(databases: FreshDatabases) -> None:
    url = databases.sqlite()
    path = Path(url.removeprefix("sqlite:///"))
    # A reader holding an open snapshot keeps the demo's writes in the WAL (no checkpoint can
    # pass it), so the WAL is scanned as well as the database file.
    keeper = sqlite3.connect(path, isolation_level=None)
    keeper.execute("PRAGMA journal_mode=WAL")
    keeper.execute("CREATE TABLE keeper (x)")
    keeper.execute("BEGIN")
    keeper.execute("SELECT count(*) FROM keeper").fetchall()
    output = run_demo(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        secrets = [g.id_number for g in s.scalars(select(Graduate))]
        secrets += [g.phone for g in s.scalars(select(Graduate)) if g.phone]
    engine.dispose()
    assert len(secrets) > 200
    files = list(path.parent.glob(path.name + "*"))
    assert {p.name for p in files} >= {path.name, path.name + "-wal"}
    blob = b"".join(p.read_bytes() for p in files)
    keeper.execute("COMMIT")
    keeper.close()
    assert len(blob) > 100_000
    leaked = [v for v in secrets if v.encode() in blob or v in output]
    assert leaked == []
    # No stored piece completes a number either: the birth date and the last four are not in any
    # plaintext column (the 生源地 is, so together they would rebuild every number).
    cursor = sqlite3.connect(path).execute("SELECT * FROM graduate")
    names = [c[0] for c in cursor.description]
    completing = []
    for row in cursor.fetchall():
        values = dict(zip(names, row, strict=True))
        number = pii.keyring().open(values["id_number_enc"])
        plain = {str(v) for k, v in values.items() if v is not None and k != "birth_year"}
        born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        if born in plain or number[6:14] in plain or number[-4:] in plain:
            completing.append(values["id"])
        assert str(values["birth_year"]) == number[6:10]  # the year alone is kept
    assert completing == []


@pytest.mark.system
def test_no_full_id_number_or_phone_in_server_logs_or_default_export(
    databases: FreshDatabases, tmp_path: Path
) -> None:
    """After the demo, the production server is used the way that would leak if anything could:
    searches by full ID number and phone in the URL (gunicorn logs every request line), a
    graduate signing in by ID number, an archive keeper's unmasked view with a phone in the stated
    purpose, the default export saved to disk. The server's log and the file hold none of them."""
    from http.cookiejar import CookieJar
    from urllib.parse import quote, urlencode
    from urllib.request import HTTPCookieProcessor, build_opener

    import pyotp

    from matchsvc.bench.server import running_server
    from matchsvc.pii import mask_id_number

    from ..conftest import TEST_DATA_KEY, TEST_SECRET
    from ..helpers import second_factor

    url = databases.sqlite()
    run_demo(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        graduates = [g for g in s.scalars(select(Graduate)) if g.phone]
        kept = next(g for g in graduates if g.home_org.code.startswith("4401"))
        target = (kept.id, kept.id_number, kept.phone)
        secrets = [g.id_number for g in graduates] + [g.phone for g in graduates]
        # the archive keeper unmasks: with the second factor enrolled (as on 两步验证)
        totp_secret = second_factor(s, "gz_officer")
    engine.dispose()
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}

    def browser() -> object:
        return build_opener(HTTPCookieProcessor(CookieJar()))

    def form_token(opener, base: str, path: str) -> str:  # type: ignore[no-untyped-def]
        html = opener.open(base + path).read().decode()
        return html.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]

    def sign_in(opener, base: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
        body = {"csrf_token": form_token(opener, base, "/login"), "username": username}
        opener.open(base + "/login", urlencode({**body, "password": password}).encode()).read()

    gid, id_number, phone = target
    with running_server(url, tmp_path, env=env, capture=True) as served:
        officer = browser()
        sign_in(officer, served.base, "gz_officer", "Demo-gz-2012")
        code = {"csrf_token": form_token(officer, served.base, "/login/code")}
        code["code"] = pyotp.TOTP(totp_secret).now()
        officer.open(served.base + "/login/code", urlencode(code).encode()).read()  # type: ignore[attr-defined]
        for q in (id_number, phone, id_number.lower()):
            page = officer.open(f"{served.base}/graduates/?q={quote(q)}").read().decode()  # type: ignore[attr-defined]
            if q != phone:  # a whole ID number finds the one person (phones are not searched)
                assert f'/graduates/{gid}"' in page
            officer.open(f"{served.base}/graduates/export.csv?q={quote(q)}").read()  # type: ignore[attr-defined]
        token = form_token(officer, served.base, f"/graduates/{gid}/unmask")
        purpose = urlencode({"csrf_token": token, "reason": f"电话 {phone} 通知面试"}).encode()
        shown = officer.open(f"{served.base}/graduates/{gid}/unmask", purpose).read().decode()  # type: ignore[attr-defined]
        assert id_number in shown  # the keeper does see it, once
        export = tmp_path / "graduates.csv"
        export.write_bytes(officer.open(f"{served.base}/graduates/export.csv").read())  # type: ignore[attr-defined]
        graduate = browser()
        sign_in(graduate, served.base, id_number, "wrong-password")
    log = served.output
    assert "GET /graduates/?q=" in log and "POST /login" in log  # the requests were logged …
    assert mask_id_number(id_number) in log  # … with the number in them masked
    leaked = [v for v in secrets if v in log or v.encode() in export.read_bytes()]
    assert leaked == []
    assert len(export.read_bytes()) > 1000


@pytest.mark.system
def test_the_readme_try_column_holds_on_a_fresh_demo(databases: FreshDatabases) -> None:
    """gz_officer finds employers, courses, fairs, interest, applications, referrals and requests;
    广州's placement plan has lines; employers post where they are; no status history goes
    已就业 → 未就业 without a reason."""
    url = databases.sqlite()
    app = create_app(app_config(url))
    result = app.test_cli_runner().invoke(main, ["demo", "--graduates", "800"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "gz_officer", "Demo-gz-2012").status_code == 302
    pages = {
        "/employers/": ["广州地铁集团有限公司", "广州市天河区人力资源和社会保障局"],
        "/training/": ["广州市"],
        "/fairs/": ["广州市"],
        "/officer/referrals": ["本人应聘", "工会推荐", "表示感兴趣、尚未推荐的", "推荐到该岗位"],
        "/officer/requests": ["更正档案"],
    }
    for path, words in pages.items():
        html = client.get(path).get_data(as_text=True)
        for word in words:
            assert word in html, (path, word)
    engine = app.extensions["matchsvc.db"]["engine"]
    with make_session_factory(engine)() as s:
        officer = s.scalar(select(User).where(User.username == "gz_officer"))
        assert officer is not None
        gz = s.scalar(select(Org).where(Org.code == "440100"))
        assert gz is not None
        policy = make_policy(s, app.config, clock_today())
        assert placement_plan(s, Actor.for_user(officer), gz, policy).lines
        for e in s.scalars(select(Employer)):
            assert e.region_code is not None
            area = e.region_code[:4] if e.region_code.endswith("00") else e.region_code
            for p in s.scalars(select(Position).where(Position.employer_id == e.id)):
                assert p.work_region_code.startswith(area), (e.name, p.work_region_code)
        for g in s.scalars(select(Graduate)):
            history = g.status_history
            for before, after in pairwise(history):
                if before.status != EmploymentStatus.UNEMPLOYED:
                    assert after.status != EmploymentStatus.UNEMPLOYED or after.note, g.id
    engine.dispose()
