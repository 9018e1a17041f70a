"""The application factory: config, extensions, blueprints, error handlers, CLI — in that order."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from .paths import STATIC_DIR, TEMPLATES_DIR


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to PostgreSQL's integer (SQLite's is wider)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application: config, extensions, blueprints, error handlers, CLI."""
    from . import pii
    from .assistance.views import bp as assistance_bp
    from .auth.views import bp as auth_bp
    from .config import load_config
    from .employers.views import bp as employers_bp
    from .extensions import csrf, db, login_manager
    from .graduates.views import bp as graduates_bp
    from .imports.views import bp as imports_bp
    from .logsafe import install_log_filter
    from .matching.api import bp as matching_api_bp
    from .matching.views import bp as matching_bp
    from .ops.views import bp as jobruns_bp
    from .portals.employer_views import bp as employer_portal_bp
    from .portals.graduate_views import bp as graduate_portal_bp
    from .portals.officer_views import bp as officer_portal_bp
    from .portals.officer_views import notices
    from .stats.api import bp as stats_api_bp
    from .stats.views import bp as stats_bp
    from .training.views import bp as training_bp
    from .web.forms import use_chinese_messages
    from .web.openapi import bp as openapi_bp
    from .web.pages import init_web

    environ = (config or {}).get("ENVIRON")
    instance_dir = dict(os.environ if environ is None else environ).get("MATCHSVC_INSTANCE")
    app = Flask(
        "matchsvc",
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(Path(instance_dir).resolve()) if instance_dir else None,
        instance_relative_config=True,
    )
    instance = Path(app.instance_path)
    app.config.update(load_config(instance, environ))
    app.config.update(config or {})
    install_log_filter()
    use_chinese_messages()
    pii.configure(app.config["DATA_KEY"])

    # Ids in URLs are database integers: a larger number matches no route (404), rather than
    # overflowing the driver (found by schemathesis).
    app.url_map.converters["int"] = IdConverter

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "basic"

    init_web(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(graduates_bp)
    app.register_blueprint(assistance_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(employers_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(stats_api_bp)
    app.register_blueprint(matching_api_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(employer_portal_bp)
    app.register_blueprint(graduate_portal_bp)
    app.register_blueprint(officer_portal_bp)
    app.jinja_env.globals["officer_notices"] = notices
    app.register_blueprint(stats_bp)
    app.register_blueprint(jobruns_bp)
    logging.getLogger(__name__).debug("matchsvc app created")
    return app
