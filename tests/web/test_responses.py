"""Downloads carry their Chinese file names (RFC 6266 / RFC 5987) with an ASCII fallback."""

from __future__ import annotations

from urllib.parse import quote

from matchsvc.app import create_app
from matchsvc.web.responses import XLSX, attachment

from ..conftest import app_config


def test_attachment_names_in_chinese_with_an_ascii_fallback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(app_config(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    with app.test_request_context():
        response = attachment(b"x", "广州市总工会-毕业生-2012-08-31.xlsx", XLSX)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    fallback = disposition.split('"')[1]
    assert fallback.isascii() and fallback.endswith("-2012-08-31.xlsx")
    assert f"filename*=UTF-8''{quote('广州市总工会-毕业生-2012-08-31.xlsx')}" in disposition
    assert response.mimetype == XLSX
