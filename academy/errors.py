"""Error pages in the visitor's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

_PAGES = {
    400: (
        _l("The request could not be read"),
        _l(
            "The page sent something this site did not expect. Go back, reload the page "
            "and try again."
        ),
    ),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. It may have moved, or the link may be mistyped."),
    ),
    405: (
        _l("The request could not be read"),
        _l(
            "This address does not accept that kind of request. Go back and use the "
            "page's own buttons and links."
        ),
    ),
    410: (
        _l("This link cannot be used"),
        _l("This link is no longer valid. Ask for a new one."),
    ),
    429: (
        _l("Too many tries"),
        _l("Too many tries in a short time. Wait a few minutes, then try again."),
    ),
    413: (
        _l("The form is too large"),
        _l("What you sent is larger than this site accepts. Shorten your reply and try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been logged. Your saved answers are safe. Please try again in a moment."),
    ),
}
_OTHER = (
    _l("The request could not be completed"),
    _l("The page could not handle what was sent. Go back and try again."),
)


def _message(error: HTTPException) -> str | None:
    """A description the app gave in the visitor's language (not Werkzeug's English)."""
    if isinstance(error, CSRFError):
        return _(
            "This form has expired or was not sent from this site. Go back, reload the page "
            "and send it again."
        )
    if error.code == 429:  # the limiter describes the limit in English ("5 per 1 minute")
        return None
    if error.description != type(error).description:
        return error.description
    return None


def render_error(error: HTTPException):
    g.error = True
    heading, default = _PAGES.get(error.code or 500, _OTHER)
    message = _message(error) or default
    return render_template("errors/error.html", heading=heading, message=message), error.code


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(InternalServerError())
