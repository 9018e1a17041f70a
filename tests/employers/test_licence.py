"""营业执照 (issue 27.4): uploaded at signup or later from 我的单位, its type read from its bytes
(a text file named .png is refused beside the field, and nothing is registered), at most 5 MB,
replaced by a new upload, opened by the employer and by the reviewing union's officers only."""

from __future__ import annotations

import io

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.models import LICENCE_MAX_BYTES, AuditEvent, Employer, EmployerLicence, Role

from ..helpers import PASSWORD, csrf, login, uscc

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"1 0 obj\n" * 8


def _signup(client, n: int, licence: tuple[bytes, str] | None):  # type: ignore[no-untyped-def]
    form: dict[str, object] = {
        "csrf_token": csrf(client, "/employer/signup"),
        "name": f"执照科技有限公司{n}",
        "uscc": uscc(n),
        "kind": "other",
        "org": "440100",
        "contact_name": "陈经理",
        "contact_phone": "13800001111",
        "username": f"lic{n}",
        "password": PASSWORD,
    }
    if licence is not None:
        form["licence"] = (io.BytesIO(licence[0]), licence[1])
    return client.post("/employer/signup", data=form, content_type="multipart/form-data")


def test_a_licence_uploaded_at_signup_is_read_by_its_reviewers_only(
    app: Flask, session: Session, hq_actor: Actor
) -> None:
    for username, org in (("gz", "440100"), ("wh", "420100")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=username, password=PASSWORD,
            org_code=org,
        )  # fmt: skip
    session.commit()
    emp = app.test_client()
    assert _signup(emp, 881, (PNG, "营业执照.png")).status_code == 302
    e = session.scalar(select(Employer).where(Employer.uscc == uscc(881)))
    assert e is not None
    held = session.scalar(select(EmployerLicence).where(EmployerLicence.employer_id == e.id))
    assert held is not None and held.content_type == "image/png" and held.data == PNG
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "licence_uploaded"))

    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    assert f"/employers/{e.id}/licence" in gz.get(f"/employers/{e.id}").get_data(as_text=True)
    opened = gz.get(f"/employers/{e.id}/licence")
    assert opened.status_code == 200 and opened.data == PNG
    assert opened.mimetype == "image/png" and opened.headers["Content-Disposition"].startswith(
        "inline"
    )
    wh = app.test_client()
    login(wh, "wh", PASSWORD)
    assert wh.get(f"/employers/{e.id}/licence").status_code == 404  # another province
    login(emp, "lic881", PASSWORD)
    assert emp.get("/employer/licence").data == PNG  # its own
    assert emp.get(f"/employers/{e.id}/licence").status_code == 403  # not the officers' page


def test_a_file_that_is_no_licence_is_refused_and_nothing_registered(
    app: Flask, session: Session
) -> None:
    client = app.test_client()
    refused = _signup(client, 882, (b"just some text, not a scan", "执照.png"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "营业执照须为 PDF、JPG 或 PNG 文件" in page and "执照科技有限公司882" in page  # kept
    assert session.scalar(select(Employer.id).where(Employer.uscc == uscc(882))) is None
    assert _signup(client, 883, None).status_code == 302  # none yet: uploaded later


def test_the_employer_uploads_or_replaces_it_later(app: Flask, session: Session) -> None:
    client = app.test_client()
    assert _signup(client, 884, None).status_code == 302
    login(client, "lic884", PASSWORD)
    home = client.get("/employer/").get_data(as_text=True)
    assert 'id="licence"' in home and "请上传营业执照" in home
    assert client.get("/employer/licence").status_code == 404
    token = csrf(client, "/employer/")

    def upload(data: bytes, name: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/employer/licence",
            data={"csrf_token": token, "licence": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            follow_redirects=True,
        )

    assert "营业执照已上传" in upload(PDF, "scan").get_data(as_text=True)
    e = session.scalar(select(Employer).where(Employer.uscc == uscc(884)))
    assert e is not None
    held = session.scalar(select(EmployerLicence).where(EmployerLicence.employer_id == e.id))
    assert (
        held is not None and held.filename == "scan.pdf" and held.content_type == "application/pdf"
    )
    big = upload(b"%PDF-" + b"0" * LICENCE_MAX_BYTES, "big.pdf").get_data(as_text=True)
    assert "不能超过 5 MB" in big
    upload(PNG, "照片.png")
    session.expire_all()
    rows = session.scalars(select(EmployerLicence).where(EmployerLicence.employer_id == e.id)).all()
    assert len(rows) == 1 and rows[0].content_type == "image/png"  # replaced, not added
    assert client.get("/employer/licence").data == PNG
