from flask import Blueprint, jsonify, redirect, url_for
from sqlalchemy import text

from ..extensions import db
from ..i18n import preferred_language

bp = Blueprint("site", __name__)


@bp.get("/")
def front_door():
    """Send the visitor to the site in their best language."""
    response = redirect(url_for("learn.home", lang=preferred_language()))
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: point them to the icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
def health():
    """200 when the app and its database answer; 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok")
