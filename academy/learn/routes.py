"""The learner's pages: lessons, quizzes, attempts and results.

Views parse, call a named operation, and render. Every URL starts with the
language, and every attempt URL is checked against the visitor who owns it.
"""

from __future__ import annotations

import random
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import attempts as operations
from ..core import LANGUAGES
from ..core.catalog import Catalog
from ..core.quizzes import Quiz
from ..core.shuffle import draw_orders
from ..i18n import LANGUAGE_COOKIE
from ..models import Attempt
from .forms import AbandonAttemptForm, StartAttemptForm

bp = Blueprint("learn", __name__, url_prefix="/<lang>")

LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365


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
    """Reading a page in a language makes it the visitor's saved choice."""
    if g.get("lang") and request.cookies.get(LANGUAGE_COOKIE) != g.lang:
        response.set_cookie(
            LANGUAGE_COOKIE,
            g.lang,
            max_age=LANGUAGE_COOKIE_AGE,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    return response


def catalog() -> Catalog:
    return current_app.extensions["academy.catalog"]


def owner_key() -> str:
    """The current visitor's owner key, creating an anonymous one on first use."""
    token = session.get("visitor")
    if not token:
        token = secrets.token_urlsafe(18)
        session["visitor"] = token
        session.permanent = True
    return operations.visitor_key(token)


def known_owner_key() -> str | None:
    """The visitor's owner key, or None without creating one."""
    token = session.get("visitor")
    return operations.visitor_key(token) if token else None


# --- Lessons ---------------------------------------------------------------


@bp.get("/")
def home():
    lessons = catalog().lessons.in_language(g.lang)
    return render_template("learn/home.html", lessons=lessons, quizzes=catalog().quizzes)


@bp.get("/lessons/")
def lessons():
    return render_template("learn/lessons.html", lessons=catalog().lessons.in_language(g.lang))


@bp.get("/lessons/<slug>")
def lesson(slug: str):
    found = catalog().lessons.get(g.lang, slug)
    if found is None:
        abort(404)
    previous, following = catalog().lessons.neighbours(found)
    return render_template(
        "learn/lesson.html",
        lesson=found,
        previous=previous,
        following=following,
        quiz=catalog().quizzes.get(found.quiz),
    )


# --- Quizzes ---------------------------------------------------------------


def find_quiz(quiz_id: str) -> Quiz:
    quiz = catalog().quizzes.get(quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@bp.get("/quizzes/")
def quizzes():
    key = known_owner_key()
    history = operations.attempts_of(key) if key else []
    return render_template(
        "learn/quizzes.html",
        quizzes=catalog().quizzes_in_order(g.lang),
        history=history,
        lessons={lesson.slug: lesson for lesson in catalog().lessons.in_language(g.lang)},
    )


@bp.get("/quizzes/<quiz_id>")
def quiz(quiz_id: str):
    found = find_quiz(quiz_id)
    # The visitor gets an owner key here, before any start is posted, so that
    # parallel starts from one browser (a double click) share one owner.
    key = owner_key()
    in_progress = operations.open_attempt(quiz_id, key)
    return render_template(
        "learn/quiz.html",
        quiz=found,
        lesson=catalog().lessons.get(g.lang, found.lesson),
        in_progress=in_progress,
        continue_url=continue_url(found, in_progress) if in_progress else None,
        form=StartAttemptForm(),
        abandon_form=AbandonAttemptForm(),
    )


def continue_url(found: Quiz, attempt: Attempt) -> str:
    """The first question not answered yet, or the review page when all are."""
    answered = {a.question_id for a in attempt.answers}
    for number, question in enumerate(found.questions, 1):
        if question.id not in answered:
            return url_for(
                ".question", quiz_id=found.id, public_id=attempt.public_id, number=number
            )
    return url_for(".review", quiz_id=found.id, public_id=attempt.public_id)


@bp.post("/quizzes/<quiz_id>/attempts")
def start(quiz_id: str):
    found = find_quiz(quiz_id)
    form = StartAttemptForm()
    if not form.validate_on_submit():
        return render_template(
            "learn/quiz.html",
            quiz=found,
            lesson=catalog().lessons.get(g.lang, found.lesson),
            in_progress=None,
            form=form,
        ), 400
    orders = draw_orders(found, random.SystemRandom())
    attempt = operations.start_attempt(quiz_id, owner_key(), form.mode.data, orders)
    return redirect(url_for(".question", quiz_id=quiz_id, public_id=attempt.public_id, number=1))
