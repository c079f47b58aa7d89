"""The sales relationship academy: lessons and scenario quizzes in four languages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, g, request

from .config import DEFAULT_SECRET_KEY, PROJECT_ROOT, settings


class InsecureSecretKey(RuntimeError):
    """Raised at start-up when production would run with the default key."""


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: settings, extensions, content, blueprints, errors.

    ``instance_path`` overrides the instance folder (``instance/``), where the
    SQLite database, the generated secret key and caches live.
    """
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)

    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise InsecureSecretKey(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (or write one to instance/secret_key) before serving the site; "
            "the default key is for debugging and tests only."
        )

    from .core.catalog import load_catalog
    from .core.errors import ContentError
    from .core.freetext.guide import use_cache

    # Word forms of the free-text signs are read from large dictionaries once
    # and kept here, so later start-ups and workers do not read them again.
    use_cache(Path(app.config["CACHE_DIR"]))

    catalog, problems = load_catalog(
        app.config["CONTENT_DIR"], app.config["QUIZZES_DIR"], auto_reload=app.debug
    )
    if problems:
        # Fail fast: never serve half the course. `flask content check` says the same.
        raise ContentError(problems)
    app.extensions["academy.catalog"] = catalog
    app.extensions["academy.instance"] = secrets.token_hex(8)  # tells this app's caches apart

    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    _init_extensions(app)
    _register_blueprints(app)
    _init_security_headers(app)

    from . import errors

    errors.init_app(app)
    from .cli import demo, quizzes, users

    app.cli.add_command(quizzes)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    return app


def _init_extensions(app: Flask) -> None:
    from . import (
        models,  # noqa: F401 - the tables must be known to migrations
        request_body,
    )
    from .access import init_login
    from .extensions import babel, csrf, db, limiter, migrate
    from .i18n import current_language
    from .templating import init_templating

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    babel.init_app(app, locale_selector=current_language)
    request_body.init_app(app)  # before CSRF: its check reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_templating(app)


def _register_blueprints(app: Flask) -> None:
    from .accounts import bp as accounts_bp
    from .learn import bp as learn_bp
    from .manage import bp as manage_bp
    from .site import bp as site_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(manage_bp)


def _init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if g.get("lang"):
            headers.setdefault("Content-Language", g.lang)
        return response
