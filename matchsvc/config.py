"""Settings from the environment (prefix MATCHSVC_), with safe defaults for development."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from .models.graduates import Hardship

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """The service cannot start with these settings."""


def _instance_secret(instance: Path, name: str) -> str:
    """Read a generated secret from the instance folder, creating it once."""
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    log.warning("generated %s in %s; set MATCHSVC_%s in production", name, instance, name.upper())
    return value


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from MATCHSVC_* variables."""
    env = dict(os.environ if env is None else env)
    mode = env.get("MATCHSVC_ENV", "development")
    production = mode == "production"
    secret = env.get("MATCHSVC_SECRET_KEY")
    data_key = env.get("MATCHSVC_DATA_KEY")
    if production and not (secret and data_key):
        raise ConfigError("生产模式必须设置 MATCHSVC_SECRET_KEY 和 MATCHSVC_DATA_KEY")
    default_db = f"sqlite:///{instance / 'matchsvc.sqlite3'}"
    database_url = normalise_database_url(env.get("MATCHSVC_DATABASE_URL", default_db))
    job_queue = _choice(env, "MATCHSVC_JOB_QUEUE", ("inline", "procrastinate"))
    if job_queue == "procrastinate" and not database_url.startswith("postgresql"):
        raise ConfigError(
            "MATCHSVC_JOB_QUEUE=procrastinate 需要 PostgreSQL（SQLite 的任务在定时任务进程内运行）"
        )
    return {
        "ENV_NAME": mode,
        "SECRET_KEY": secret or _instance_secret(instance, "secret_key"),
        "DATA_KEY": data_key or _instance_secret(instance, "data_key"),
        "DATABASE_URL": database_url,
        #: Where the scheduler's long jobs run: in its own process (inline), or on `matchsvc
        #: worker` processes through procrastinate's queue in PostgreSQL (ops/queue.py).
        "JOB_QUEUE": job_queue,
        # where the audit chain's signed head is appended (outside the database; see audit.py)
        "AUDIT_ANCHOR": env.get("MATCHSVC_AUDIT_ANCHOR") or str(instance / "audit-anchor.log"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_I18N_ENABLED": False,  # WTForms' bundled zh messages instead (matchsvc.forms)
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "PAGE_SIZE": 50,
        #: Exact-match answers about a personal number (a whole ID number, its last four, a
        #: phone) one user who may not unmask the graduate gets in an hour (graduates.lookups).
        "LOOKUP_LIMIT": _count(env, "MATCHSVC_LOOKUP_LIMIT", 20),
        "IDLE_MINUTES": int(env.get("MATCHSVC_IDLE_MINUTES", "30")),
        "RETENTION_YEARS": _count(env, "MATCHSVC_RETENTION_YEARS", None),
        #: Reverse proxies in front of the app whose X-Forwarded-* headers are believed (0: none).
        "TRUSTED_PROXIES": _count(env, "MATCHSVC_TRUSTED_PROXIES", 0),
        #: The matcher's search: the compiled kernel, or the numpy path (same results, slower);
        #: read by the engine from the environment, checked here so a typo stops the start.
        "MATCHER": _choice(env, "MATCHSVC_MATCHER", ("compiled", "numpy")),
        #: A placement plan for more graduates than this is queued for the scheduler process.
        "PLACEMENT_QUEUE_AT": _count(env, "MATCHSVC_PLACEMENT_QUEUE_AT", 3000),
        "IMPORT_QUEUE_AT": _count(env, "MATCHSVC_IMPORT_QUEUE_AT", 10000),
        "EXPORT_QUEUE_AT": _count(env, "MATCHSVC_EXPORT_QUEUE_AT", 20000),
        **follow_up_settings(env),
        **public_welfare_settings(env),
        **notice_settings(env),
    }


def notice_settings(env: dict[str, str]) -> dict[str, Any]:
    """Where e-mail and SMS notices go: an SMTP server, and an HTTP gateway for SMS (unset: that
    channel is not offered). See README, 通知."""
    tls = env.get("MATCHSVC_SMTP_TLS", "starttls").strip().lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ConfigError("MATCHSVC_SMTP_TLS 须为 none、starttls 或 ssl")
    return {
        "SMTP_HOST": env.get("MATCHSVC_SMTP_HOST", "").strip(),
        "SMTP_PORT": _count(env, "MATCHSVC_SMTP_PORT", 465 if tls == "ssl" else 25),
        "SMTP_TLS": tls,
        "SMTP_USER": env.get("MATCHSVC_SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("MATCHSVC_SMTP_PASSWORD", ""),
        "SMTP_FROM": env.get("MATCHSVC_SMTP_FROM", "matchsvc@localhost"),
        "SMS_URL": env.get("MATCHSVC_SMS_URL", "").strip(),
        "SMS_TOKEN": env.get("MATCHSVC_SMS_TOKEN", ""),
        #: The service's address as users reach it, for links in e-mail (empty: no links).
        "PUBLIC_URL": env.get("MATCHSVC_PUBLIC_URL", "").rstrip("/"),
    }


def follow_up_settings(env: dict[str, str]) -> dict[str, Any]:
    """Casework deadlines. 回访: the months after a hire when follow-ups fall due, and the one
    whose answer (still employed, contract of at least a year) makes a hire 稳定就业; the days
    an employer has to answer a referral; the working days a graduate's request may wait."""
    raw = env.get("MATCHSVC_FOLLOWUP_MONTHS", "1,3,6").replace("，", ",")
    items = [x.strip() for x in raw.split(",") if x.strip()]
    if not items or not all(x.isdigit() and 0 < int(x) <= 120 for x in items):
        raise ConfigError("MATCHSVC_FOLLOWUP_MONTHS 须为逗号分隔的月数（1 至 120），如 1,3,6")
    return {
        "FOLLOWUP_MONTHS": sorted({int(x) for x in items}),
        "STABLE_MONTHS": _count(env, "MATCHSVC_STABLE_MONTHS", 6),
        #: A referral the employer has not answered after this many days is 待反馈.
        "FEEDBACK_DAYS": _count(env, "MATCHSVC_FEEDBACK_DAYS", 15),
        #: A graduate's request waiting longer than this many working days is overdue.
        "REQUEST_DAYS": _count(env, "MATCHSVC_REQUEST_DAYS", 5),
        #: The shortest 公示 before an archive is opened, in days (first and last included).
        "PUBLICITY_DAYS": _count(env, "MATCHSVC_PUBLICITY_DAYS", 5),
        #: An archive 撤档 more than this many years ago is anonymised by the retention job.
        "CLOSED_ARCHIVE_YEARS": _count(env, "MATCHSVC_CLOSED_ARCHIVE_YEARS", 10),
        #: Impressions of the matcher's lists (推荐效果) are kept this many years.
        "IMPRESSION_YEARS": _count(env, "MATCHSVC_IMPRESSION_YEARS", 2),
        #: 公益性岗位: years of a period, placements per person, days to file a 空岗报告.
        "PUBLIC_WELFARE_YEARS": _count(env, "MATCHSVC_PUBLIC_WELFARE_YEARS", 3),
        "PUBLIC_WELFARE_MAX_PLACEMENTS": _count(env, "MATCHSVC_PUBLIC_WELFARE_MAX_PLACEMENTS", 2),
        "VACANCY_REPORT_DAYS": _count(env, "MATCHSVC_VACANCY_REPORT_DAYS", 5),
    }


def _choice(env: dict[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().lower() or choices[0]
    if raw not in choices:
        raise ConfigError(f"{name} 须为 {' 或 '.join(choices)} 之一")
    return raw


def _count(env: dict[str, str], name: str, default: int | None) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name} 须为非负整数")
    return int(raw)


def public_welfare_settings(env: dict[str, str]) -> dict[str, Any]:
    """公益性岗位 conditions: hardship categories (codes or Chinese names, comma separated) and
    months unemployed after leaving school ("" for no such condition)."""
    raw = env.get("MATCHSVC_PUBLIC_WELFARE_HARDSHIPS")
    hardships = None
    if raw is not None:
        hardships = []
        for item in (x.strip() for x in raw.replace("，", ",").split(",") if x.strip()):
            match = [h for h in Hardship if item in (h.value, h.label)]
            if not match:
                raise ConfigError(f"MATCHSVC_PUBLIC_WELFARE_HARDSHIPS：未知的困难类别 {item}")
            hardships.append(match[0].value)
    months = env.get("MATCHSVC_PUBLIC_WELFARE_UNEMPLOYED_MONTHS", "6").strip()
    if months and not months.isdigit():
        raise ConfigError("MATCHSVC_PUBLIC_WELFARE_UNEMPLOYED_MONTHS 须为月数或留空")
    return {
        "PUBLIC_WELFARE_HARDSHIPS": hardships,
        "PUBLIC_WELFARE_UNEMPLOYED_MONTHS": int(months) if months else None,
    }
