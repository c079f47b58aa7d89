"""What every template can use: languages, the switcher, locale formatting."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import Flask, g, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_timedelta,
    gettext,
    ngettext,
)
from flask_babel import lazy_gettext as _l

from .core import LANGUAGES
from .i18n import LANGUAGE_NAMES, current_language


def switch_url(lang: str) -> str:
    """The current page in another language (its home page where there is none)."""
    if g.get("lang") and request.endpoint and request.method == "GET" and not g.get("error"):
        return url_for(request.endpoint, **{**(request.view_args or {}), "lang": lang})
    return url_for("learn.home", lang=lang)


_ABBREVIATION = re.compile(
    r"\b(г-н|г-жа|г-жо|г-ца|Mr|Mrs|Ms|Dr|nr|dl\.|dna|pan|pani) ", re.IGNORECASE
)
_RANGE = re.compile(r"(\d)[–-](\d)")


def keep_together(text: str) -> str:
    """Text with the spaces and dashes that must not break made unbreakable.

    A title stays with its name ("г-н Георгиев", "Ms Hayes") and a range of
    numbers stays whole ("5–8 sentences").
    """
    # A non-breaking hyphen inside "г-н", and a non-breaking space after the title.
    text = _ABBREVIATION.sub(lambda m: m.group(1).replace("-", "\u2011") + "\u00a0", text)
    return _RANGE.sub("\\1\u2060–\u2060\\2", text)


WHEN = "d MMMM y, HH:mm"
"""Day, month in words, year and time, without seconds, in the page's language."""


def format_when(moment) -> str:
    """A date and time as a reader of the page's language writes it (29 listopada 2026, 20:05)."""
    return format_datetime(moment, WHEN)


DAY = "d MMMM y"


def format_day(moment) -> str:
    """A date alone, in words, in the page's language (29 listopada 2026)."""
    return format_date(moment, DAY)


def due_text(due_at, now) -> str:
    """A due date relative to today, in the page's language: "in 3 days", "2 days overdue"."""
    from .core.progress import due

    when = due(due_at, now)
    if when.kind == "due_today":
        return gettext("due today")
    if when.kind == "due_in":
        if when.days == 1:
            return gettext("due tomorrow")
        return ngettext("due in %(num)d day", "due in %(num)d days", when.days)
    return ngettext("%(num)d day overdue", "%(num)d days overdue", when.days)


def format_duration(value) -> str:
    """A duration in words, in the page's language ("3 minutes"); seconds or a timedelta."""
    if not isinstance(value, timedelta):
        value = timedelta(seconds=value or 0)
    return format_timedelta(value, threshold=1.1, granularity="second")


STATUS_NAMES = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "awaiting_review": _l("Awaiting review"),
    "passed": _l("Passed"),
    "failed": _l("Not passed"),
    "overdue": _l("Overdue"),
}


def init_templating(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["keep_together"] = keep_together
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.globals.update(
        format_when=format_when,
        format_day=format_day,
        format_duration=format_duration,
        due_text=due_text,
        STATUS_NAMES=STATUS_NAMES,
        format_decimal=format_decimal,
        format_percent=format_percent,
    )

    @app.context_processor
    def language_context():
        return {
            "LANGUAGES": LANGUAGES,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "lang": current_language(),
            "switch_url": switch_url,
        }
