"""Who may open what: sign-in with Flask-Login, and the role checks on views.

Every view outside the public pages carries one of these decorators, and
``tests/test_access.py`` checks each route of ``app.url_map`` against them.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from .extensions import db, login_manager
from .i18n import current_language
from .models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user, if the account is active and the session current.

        The id carries the account's session version: a password change or a
        disabled account makes every older session anonymous at its next
        request.
        """
        number, _, version = user_id.partition(".")
        if not (number.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(number))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    @login_manager.unauthorized_handler
    def sign_in_first():
        return redirect(
            url_for("accounts.sign_in", lang=current_language(), next=request.full_path)
        )


def signed_in(view):
    """Signed-in users only; others are sent to sign in and brought back."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapper


def managers(view):
    """Managers and admins only: 403 for a learner, sign-in for a visitor."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in ("manager", "admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def admins(view):
    """Admins only."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None, default: str) -> str:
    """``next=`` only ever leads to a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target
