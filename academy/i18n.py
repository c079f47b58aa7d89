"""Which language a request is served in, as one explicit, ordered chain.

1. the language in the URL (`/<lang>/…`), for every page that has one,
   including addresses under a language that do not exist (their 404 page);
2. the visitor's saved choice (the `lang` cookie; later the user's profile);
3. the browser's Accept-Language header;
4. English.
"""

from __future__ import annotations

from flask import g, request

from .core import LANGUAGES

DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"pl": "Polski", "en": "English", "bg": "Български", "ro": "Română"}
"""Each language named in itself, as the switcher shows it."""


def preferred_language() -> str:
    """The best language for a request that does not name one in its URL."""
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
