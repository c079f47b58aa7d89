"""Which language a request is served in, as one explicit, ordered chain.

1. the language in the URL (`/<lang>/…`), for every page that has one,
   including addresses under a language that do not exist (their 404 page);
2. the signed-in user's preferred language, else the visitor's saved
   choice (the `lang` cookie);
3. the browser's Accept-Language header;
4. English.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user

from .core import LANGUAGES

DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"pl": "Polski", "en": "English", "bg": "Български", "ro": "Română"}
"""Each language named in itself, as the switcher shows it."""
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365


def preferred_language() -> str:
    """The best language for a request that does not name one in its URL."""
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    saved = request.cookies.get(LANGUAGE_COOKIE)
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of this request: the URL's, else the preferred one."""
    lang = g.get("lang")
    if lang in LANGUAGES:
        return lang
    # A page that does not exist under a language prefix is still in that language.
    prefix = request.path.split("/", 2)[1] if request.path.count("/") >= 1 else ""
    if prefix in LANGUAGES:
        return prefix
    return preferred_language()


def language_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose every URL starts with a language: ``/<lang>/…``.

    The language is taken out of the URL into ``g.lang`` (404 for one we do
    not serve), added back to every ``url_for`` inside the blueprint, and
    remembered: a page read in a language makes it the visitor's choice and,
    when signed in, the user's preferred language.
    """
    bp = Blueprint(name, import_name, url_prefix="/<lang>" + url_prefix)

    @bp.url_value_preprocessor
    def take_language(endpoint, values):
        lang = (values or {}).pop("lang", None)
        if lang not in LANGUAGES:
            abort(404)
        g.lang = lang

    @bp.url_defaults
    def add_language(endpoint, values):
        if "lang" not in values and g.get("lang"):
            values["lang"] = g.lang

    @bp.after_request
    def remember_language(response):
        lang = g.get("lang")
        if not lang or response.status_code >= 400:
            return response
        if request.cookies.get(LANGUAGE_COOKIE) != lang:
            response.set_cookie(
                LANGUAGE_COOKIE,
                lang,
                max_age=LANGUAGE_COOKIE_AGE,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
                samesite="Lax",
            )
        if current_user.is_authenticated and current_user.language != lang:
            from .people import save_language

            save_language(current_user, lang)
        return response

    return bp
