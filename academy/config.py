"""Settings, read from environment variables with safe defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug and tests


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else from `instance/secret_key`."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    return DEFAULT_SECRET_KEY


def content_paths() -> tuple[Path, Path]:
    """Where the lessons and the quizzes live."""
    return (
        Path(os.environ.get("CONTENT_DIR", PROJECT_ROOT / "content")),
        Path(os.environ.get("QUIZZES_DIR", PROJECT_ROOT / "quizzes")),
    )


def database_url(url: str) -> str:
    """A database URL with PostgreSQL pointed at the psycopg 3 driver we install."""
    for scheme in ("postgres://", "postgresql://"):  # postgres:// is what some hosts hand out
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def settings(instance_path: Path) -> dict:
    """The app's configuration for this environment."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'academy.db'}"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": content_paths()[0],
        "QUIZZES_DIR": content_paths()[1],
        "CACHE_DIR": Path(os.environ.get("CACHE_DIR") or instance_path / "cache"),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 90,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": 256 * 1024,  # room for an over-long text to come back with a message
        # Accounts
        "REGISTRATION_OPEN": _flag("REGISTRATION_OPEN", True),  # off: invites only
        "INVITE_DAYS": int(os.environ.get("INVITE_DAYS") or 7),
        "RESET_HOURS": int(os.environ.get("RESET_HOURS") or 48),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "SIGN_IN_LIMIT": os.environ.get("SIGN_IN_LIMIT") or "5 per minute;30 per hour",
        # Mail (optional): without MAIL_SERVER, links are copied by hand.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER") or "academy@localhost",
        "SITE_URL": os.environ.get("SITE_URL") or None,  # for links in mail; else the request's
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT") or 0),  # reverse proxies in front
    }
