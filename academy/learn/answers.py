"""Reading a question's answer from a posted form, and the messages for bad ones.

The form fields per question type:

- choice: ``option``
- best_worst: ``best`` and ``worst``
- rank: ``rank-<option id>`` = 1…n for every option
- multi: ``options`` (repeated)
- text: ``text``

Every field except ``options`` must appear at most once; a duplicated field
is refused rather than guessed at.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from ..core.errors import InvalidAnswer
from ..core.quizzes import Question


def _single(form: MultiDict, name: str) -> str | None:
    values = form.getlist(name)
    if len(values) > 1:
        raise InvalidAnswer("duplicate")
    return values[0] if values else None


def read_answer(question: Question, form: MultiDict, lang: str) -> dict[str, Any]:
    """The raw response to hand to the core's ``parse_response``."""
    if question.type == "choice":
        return {"option": _single(form, "option")}
    if question.type == "best_worst":
        return {"best": _single(form, "best"), "worst": _single(form, "worst")}
    if question.type == "multi":
        return {"options": form.getlist("options")}
    if question.type == "text":
        return {"text": _single(form, "text"), "lang": lang}
    return {"order": _rank_order(question, form)}


def _rank_order(question: Question, form: MultiDict) -> list[str]:
    places: dict[str, int] = {}
    for option in question.options:
        raw = _single(form, f"rank-{option.id}")
        if raw is None or raw == "":
            raise InvalidAnswer("missing")
        try:
            place = int(raw)
        except ValueError:
            raise InvalidAnswer("wrong_type") from None
        if not 1 <= place <= len(question.options):
            raise InvalidAnswer("wrong_type")
        places[option.id] = place
    for name in form:
        if name.startswith("rank-") and name.removeprefix("rank-") not in places:
            raise InvalidAnswer("unknown_option", option=name.removeprefix("rank-"))
    if len(set(places.values())) != len(places):
        raise InvalidAnswer("tied_ranks")
    return sorted(places, key=places.__getitem__)


def kept_input(question: Question, form: MultiDict) -> dict[str, Any]:
    """What the learner typed or chose, to show the form again unchanged."""
    if question.type == "multi":
        return {"options": form.getlist("options")}
    if question.type == "rank":
        return {"ranks": {o.id: form.get(f"rank-{o.id}", "") for o in question.options}}
    return {name: form.get(name, "") for name in ("option", "best", "worst", "text")}


def stored_input(question: Question, response: dict[str, Any] | None) -> dict[str, Any]:
    """A saved response in the shape of :func:`kept_input`."""
    if not response:
        return {}
    if question.type == "rank":
        return {"ranks": {oid: str(i) for i, oid in enumerate(response.get("order", []), 1)}}
    return dict(response)


def message_for(error: InvalidAnswer, question: Question) -> str:
    """A clear message in the learner's language for a refused answer."""
    code = error.code
    if code == "missing":
        return {
            "choice": _("Choose one of the responses."),
            "best_worst": _("Choose both the most and the least effective response."),
            "rank": _("Give every response a place in the ranking."),
            "multi": _("Choose at least one response."),
            "text": _("Write your reply before saving."),
        }[question.type]
    if code == "same_best_worst":
        return _("The most and the least effective response cannot be the same one.")
    if code == "tied_ranks":
        return _("Each place in the ranking can be used only once.")
    if code == "too_many":
        return ngettext(
            "Choose at most %(num)d response.",
            "Choose at most %(num)d responses.",
            question.choose or 1,
        )
    if code == "too_long":
        return _(
            "Your reply is %(length)s characters long; the limit is %(limit)s. "
            "Shorten it and save again.",
            length=error.detail.get("length"),
            limit=error.detail.get("limit"),
        )
    if code == "too_short":
        return ngettext(
            "Write your reply in a few sentences: it needs at least %(num)d word.",
            "Write your reply in a few sentences: it needs at least %(num)d words.",
            error.detail.get("words") or 1,
        )
    if code == "unknown_option":
        return _("That response is not one of this question's options. Choose again.")
    if code == "duplicate":
        return _("Your answer reached us twice in one form. Choose again and save.")
    return _("The answer could not be read. Choose again and save.")


def rank_clashes(values: dict[str, Any]) -> set[str]:
    """Options of a ranking given a place another option also has."""
    places = [p for p in (values.get("ranks") or {}).values() if p]
    return {
        option_id
        for option_id, place in (values.get("ranks") or {}).items()
        if place and places.count(place) > 1
    }


def in_ranked_order(options: tuple, values: dict[str, Any]) -> tuple:
    """Options in the order of the places given, when every option has one."""
    ranks = values.get("ranks") or {}
    if not options or not all((ranks.get(o.id) or "").isdigit() for o in options):
        return options
    return tuple(sorted(options, key=lambda o: int(ranks[o.id])))
