"""Posted bodies are read once, within the size limit and as UTF-8, before anything else.

Werkzeug parses forms silently: a body that is too large when sent in chunks,
or that is not UTF-8, becomes an empty form, and the CSRF check then reports
"form expired". Reading the body here first turns those into what they are:
413 for a body over ``MAX_CONTENT_LENGTH``, and a clear 400 for text that is
not UTF-8. The form is then parsed from the body read here.
"""

from __future__ import annotations

import io
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _

FORM = "application/x-www-form-urlencoded"


def check_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or request.mimetype != FORM:
        return
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    environ = request.environ
    if request.content_length is None and environ.get("wsgi.input_terminated"):
        # Sent in chunks, with no length announced: read up to the limit, and no further.
        raw = environ["wsgi.input"].read(limit + 1)
        if len(raw) > limit:
            abort(413)
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
    body = request.get_data(cache=True)  # a declared length over the limit: 413
    try:
        for field in body.split(b"&"):
            unquote_to_bytes(field.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        abort(
            400,
            description=_(
                "Your browser sent characters this site cannot read. Reload the page, "
                "type your answer again and save."
            ),
        )


def init_app(app: Flask) -> None:
    """Register the check; call before CSRF protection so it runs first."""
    app.before_request(check_body)
