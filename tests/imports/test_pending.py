"""Sheets between preview and confirm live in the database, encrypted, for an hour: found by any
server, only by the officer who previewed, gone once confirmed, refused or expired."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from matchsvc.jobs import JOBS
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matchsvc import pii
from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.errors import DomainError, NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.imports import pending
from matchsvc.models import PendingImport, Role, utcnow
from matchsvc.ops.keys import rotate

from ..conftest import TEST_DATA_KEY, app_config, graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, csrf, login
from .sheets import GRADUATE_HEADER, csv_bytes, graduate_row

ID = make_id("440106", seq="555")
SHEET = csv_bytes(GRADUATE_HEADER, [graduate_row(ID)])


def officer(session: Session, hq_actor: Actor, code: str, username: str) -> Actor:
    user = create_user(
        session, hq_actor, role=Role.OFFICER, username=username, password=PASSWORD, org_code=code
    )
    return Actor.for_user(user)


def test_kept_encrypted_and_taken_once_by_its_officer(session: Session, hq_actor: Actor) -> None:
    gz = officer(session, hq_actor, "440100", "gz")
    sz = officer(session, hq_actor, "440300", "sz")
    token = pending.keep(session, gz, pending.Upload("graduates", "毕业生.csv", SHEET))
    raw = session.execute(text("SELECT filename_enc, content_enc FROM pending_import")).one()
    assert ID.encode() not in bytes(raw.content_enc) and "毕业生" not in raw.filename_enc
    assert session.scalar(select(PendingImport.token_hash)) != token
    with pytest.raises(NotFound):
        pending.take(session, sz, token)  # another officer's preview is not theirs to confirm
    upload = pending.take(session, gz, token)
    assert (upload.kind, upload.filename, upload.data) == ("graduates", "毕业生.csv", SHEET)
    with pytest.raises(DomainError, match="过期或已使用"):
        pending.take(session, gz, token)  # taken: gone


def test_expired_previews_are_refused_and_purged(session: Session, hq_actor: Actor) -> None:
    gz = officer(session, hq_actor, "440100", "gz")
    start = utcnow()
    token = pending.keep(session, gz, pending.Upload("graduates", "a.csv", SHEET), now=start)
    later = start + pending.LIFETIME + timedelta(seconds=1)
    with pytest.raises(DomainError, match="过期"):
        pending.take(session, gz, token, now=later)
    assert pending.purge_expired(session, start + timedelta(minutes=59)) == 0
    job = next(j for j in JOBS if j.id == "imports_purge_pending")
    assert job.run(session, later) == 1
    assert session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_key_rotation_reseals_waiting_sheets(session: Session, hq_actor: Actor) -> None:
    gz = officer(session, hq_actor, "440100", "gz")
    token = pending.keep(session, gz, pending.Upload("graduates", "a.csv", SHEET))
    new_key = "another-data-key-0123456789"
    rotate(session, pii.keyring(), pii.Keyring(new_key))
    pii.configure(new_key)
    try:
        assert pending.take(session, gz, token).data == SHEET
    finally:
        pii.configure(TEST_DATA_KEY)


def test_leftover_upload_files_are_removed_at_start(tmp_path: Path) -> None:
    uploads = tmp_path / "instance" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "abc.bin").write_bytes(SHEET)
    config = app_config(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    config["ENVIRON"]["MATCHSVC_INSTANCE"] = str(tmp_path / "instance")  # type: ignore[index]
    create_app(config)
    assert not uploads.exists()


def test_a_refused_confirm_imports_nothing_and_forgets_the_sheet(  # type: ignore[no-untyped-def]
    app, session: Session, hq_actor: Actor
) -> None:
    """The preview passed; meanwhile another province registered the same person, so the
    confirm is refused: nothing is imported and the sheet is not kept."""
    officer(session, hq_actor, "440100", "gz")
    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    preview = client.post(
        "/imports/preview",
        data={
            "csrf_token": csrf(client, "/imports/"),
            "kind": "graduates",
            "file": (io.BytesIO(SHEET), "a.csv"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview.get_data(as_text=True))
    assert token
    register_graduate(
        session, officer_actor(session, "420100"), graduate_input(ID, "420100", "420100")
    )
    session.commit()
    done = client.post(
        "/imports/confirm", data={"csrf_token": csrf(client, "/imports/"), "token": token.group(1)}
    )
    assert done.status_code == 422
    assert session.scalar(select(func.count()).select_from(PendingImport)) == 0
