"""How an outbox message leaves: SMTP for e-mail, an HTTP gateway for SMS.

The SMS gateway is documented in the README (通知): a POST of JSON {"to": phone, "text": text}
to MATCHSVC_SMS_URL, with "Authorization: Bearer MATCHSVC_SMS_TOKEN" when a token is set; any
2xx answer is success. A failure is raised as SendError whose text never holds the address."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from ..models import Channel

TIMEOUT = 20


class SendError(Exception):
    """A message that did not go; the text is safe to store (no address, no phone)."""


class Senders:
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def offers(self, channel: Channel) -> bool:
        """Whether this deployment can send on the channel at all."""
        key = "SMTP_HOST" if channel == Channel.EMAIL else "SMS_URL"
        return bool(self.settings.get(key))

    def send(self, channel: Channel, to: str, subject: str, body: str) -> None:
        if channel == Channel.EMAIL:
            self.email(to, subject, body)
        else:
            self.sms(to, f"【工会就业帮扶】{body}")

    def email(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        msg = EmailMessage()
        msg["From"] = formataddr(("工会就业帮扶", s.get("SMTP_FROM") or "matchsvc@localhost"))
        msg["To"] = to
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="matchsvc")
        msg.set_content(body)
        host, port, tls = s["SMTP_HOST"], int(s.get("SMTP_PORT") or 25), s.get("SMTP_TLS")
        try:
            if tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
            with smtp:
                if tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.get("SMTP_USER"):
                    smtp.login(s["SMTP_USER"], s.get("SMTP_PASSWORD", ""))
                smtp.send_message(msg)
        except smtplib.SMTPResponseException as err:
            raise SendError(f"邮件服务器拒绝：{err.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused:
            raise SendError("邮件服务器拒收该收件地址") from None
        except (smtplib.SMTPException, OSError) as err:
            raise SendError(f"邮件服务器不可用：{type(err).__name__}") from None

    def sms(self, to: str, text: str) -> None:
        s = self.settings
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if s.get("SMS_TOKEN"):
            headers["Authorization"] = f"Bearer {s['SMS_TOKEN']}"
        data = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(s["SMS_URL"], data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                if not 200 <= answer.status < 300:
                    raise SendError(f"短信网关返回 {answer.status}")
        except urllib.error.HTTPError as err:
            raise SendError(f"短信网关返回 {err.code}") from None
        except (urllib.error.URLError, OSError) as err:
            raise SendError(f"短信网关不可用：{type(err).__name__}") from None
