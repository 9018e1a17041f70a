"""Responses every page shares: the security headers and the 503 shown while the database is away.

Nothing here touches the database or the signed-in user, so these work during an outage and can
be used by the request-boundary commit in `extensions` without an import circle.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, jsonify, request, url_for

#: No inline script or style anywhere, so this policy holds on every page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages may carry personal data: never stored by browsers or proxies.
        response.headers["Cache-Control"] = "no-store"
    return response


def bare_page(message: str, status: int, title: str) -> Response:
    """A page (or JSON under /api/) that does not touch the database: no signed-in user, no
    menu; rendered while the database is away or after the request's transaction failed."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message})
    else:
        page = current_app.jinja_env.get_template("web/unavailable.html")
        response = Response(
            page.render(
                message=message, title=title, status=status, url_for=url_for, request=request
            ),
            mimetype="text/html",
        )
    response.status_code = status
    return security_headers(response)


#: Two people saving the same thing at once: the second save is refused, nothing half-written.
CONCURRENT = "他人刚刚同时保存了相同的记录，您的操作未被保存；请刷新页面查看后再试"


def conflict(message: str = CONCURRENT) -> Response:
    return bare_page(message, 409, "操作冲突")


def unavailable(message: str) -> Response:
    """503 with a retry hint, for when the database is down or restarting."""
    response = bare_page(message, 503, "暂时无法服务")
    response.headers["Retry-After"] = "5"
    return response


def attachment(
    body: bytes | str, filename: str, mimetype: str, *, inline: bool = False
) -> Response:
    """A download with its file name, Chinese included (RFC 6266/5987: an ASCII fallback and the
    UTF-8 name), so officers get 广州市总工会-毕业生-2012-08-31.xlsx rather than a bare name;
    `inline` opens it in the browser (a licence's scan) instead of saving it."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    how = "inline" if inline else "attachment"
    disposition = f"{how}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
