"""The application factory, read as a table of contents: settings, extensions, the web's own
pieces, each feature's blueprints and commands."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from . import audit, pii
from .archives import cli as archives_cli
from .archives import service as archives
from .archives.views import bp as archives_bp
from .assistance.views import bp as assistance_bp
from .auth import cli as auth_cli
from .auth.views import bp as auth_bp
from .config import load_config
from .demo import cli as demo_cli
from .employers.views import bp as employers_bp
from .export_runs.views import bp as export_runs_bp
from .extensions import csrf, db, login_manager
from .followups import cli as followups_cli
from .followups import service as followups
from .followups.views import bp as followups_bp
from .graduates import lookups
from .graduates.views import bp as graduates_bp
from .imports import cli as imports_cli
from .imports import pending
from .imports.views import bp as imports_bp
from .internships import cli as internship_cli
from .internships.views import bp as internships_bp
from .logsafe import install_log_filter
from .majors import cli as majors_cli
from .majors import mapping
from .majors.views import bp as majors_bp
from .matching import cli as matching_cli
from .matching.api import bp as matching_api_bp
from .matching.engine import kernel
from .matching.views import bp as matching_bp
from .notices import cli as notices_cli
from .notices.views import bp as notices_bp
from .ops import cli as ops_cli
from .ops.views import bp as ops_bp
from .orgs import cli as orgs_cli
from .outcomes.views import bp as outcomes_bp
from .paths import STATIC_DIR, TEMPLATES_DIR
from .portals import requests as graduate_requests
from .portals.employer_views import bp as employer_portal_bp
from .portals.graduate_views import bp as graduate_portal_bp
from .portals.officer_views import bp as officer_portal_bp
from .public_welfare import cli as welfare_cli
from .public_welfare.views import bp as welfare_bp
from .referrals import deadlines
from .referrals.views import bp as referrals_bp
from .stats import cli as stats_cli
from .stats.api import bp as stats_api_bp
from .stats.views import bp as stats_bp
from .training.views import bp as training_bp
from .web import errors, labels, later, security
from .web.forms import DB_INT_MAX, use_chinese_messages
from .web.home import bp as home_bp
from .web.openapi import bp as openapi_bp
from .web.regions import bp as regions_bp
from .work_study import cli as work_study_cli
from .work_study.views import bp as work_study_bp
from .worklist.views import bp as worklist_bp

BLUEPRINTS = (
    home_bp,
    auth_bp,
    graduates_bp,
    assistance_bp,
    imports_bp,
    export_runs_bp,
    employers_bp,
    training_bp,
    followups_bp,
    archives_bp,
    worklist_bp,
    majors_bp,
    matching_bp,
    outcomes_bp,
    welfare_bp,
    internships_bp,
    work_study_bp,
    referrals_bp,
    employer_portal_bp,
    graduate_portal_bp,
    officer_portal_bp,
    stats_bp,
    ops_bp,
    stats_api_bp,
    matching_api_bp,
    openapi_bp,
    notices_bp,
    regions_bp,
)

COMMANDS = (
    *ops_cli.COMMANDS,
    *orgs_cli.COMMANDS,
    *auth_cli.COMMANDS,
    *demo_cli.COMMANDS,
    *imports_cli.COMMANDS,
    *stats_cli.COMMANDS,
    *majors_cli.COMMANDS,
    *matching_cli.COMMANDS,
    *notices_cli.COMMANDS,
    *followups_cli.COMMANDS,
    *archives_cli.COMMANDS,
    *welfare_cli.COMMANDS,
    *internship_cli.COMMANDS,
    *work_study_cli.COMMANDS,
)


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to PostgreSQL's integer (SQLite's is wider)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application: config, extensions, blueprints, error handlers, CLI."""
    environ = (config or {}).get("ENVIRON")
    instance_dir = dict(os.environ if environ is None else environ).get("MATCHSVC_INSTANCE")
    app = Flask(
        "matchsvc",
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(Path(instance_dir).resolve()) if instance_dir else None,
        instance_relative_config=True,
    )
    app.config.update(load_config(Path(app.instance_path), environ))
    app.config.update(config or {})
    install_log_filter()
    use_chinese_messages()
    pii.configure(app.config["DATA_KEY"])
    followups.configure(app.config["FOLLOWUP_MONTHS"], app.config["STABLE_MONTHS"])
    deadlines.configure(app.config["FEEDBACK_DAYS"])  # a referral's answer is due (待反馈)
    archives.configure(app.config["PUBLICITY_DAYS"])  # the shortest 公示 before 建档
    graduate_requests.configure(app.config["REQUEST_DAYS"])
    lookups.configure(app.config["LOOKUP_LIMIT"])  # exact answers about a number, per user an hour
    audit.configure(app.config["SECRET_KEY"])  # the audit chain's key, never in the database
    mapping.install()  # every major written is mapped to the catalogues on flush
    kernel.configure_cache(app.instance_path)  # the matcher's compiled code, kept between starts
    pending.remove_legacy_uploads(Path(app.instance_path))  # sheets earlier versions left on disk

    # Ids in URLs are database integers: a larger number matches no route (404), rather than
    # overflowing the driver (found by schemathesis).
    app.url_map.converters["int"] = IdConverter
    if app.config["TRUSTED_PROXIES"]:
        # Behind that many reverse proxies: the client's address and scheme from their headers.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "basic"

    security.install(app)
    later.install(app)
    errors.install(app)
    labels.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for command in COMMANDS:
        app.cli.add_command(command)
    logging.getLogger(__name__).debug("matchsvc app created")
    return app
