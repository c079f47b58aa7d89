"""The learner's pages: lessons, quizzes, attempts and results.

Views parse, call a named operation, and render. Every URL starts with the
language, and every attempt URL is checked against the visitor who owns it.
"""

from __future__ import annotations

import random
import secrets

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import attempts as operations
from .. import onboarding
from ..access import signed_in
from ..core.catalog import Catalog
from ..core.quizzes import Quiz
from ..core.shuffle import draw_orders
from ..i18n import language_blueprint
from ..models import Attempt, utcnow
from .forms import AbandonAttemptForm, MarkReadForm, self_rating, start_form

bp = language_blueprint("learn", __name__)


def catalog() -> Catalog:
    return current_app.extensions["academy.catalog"]


def owner_key() -> str:
    """The current owner key: the signed-in user's, else an anonymous visitor's,
    created on first use."""
    if current_user.is_authenticated:
        return current_user.owner_key
    token = session.get("visitor")
    if not token:
        token = secrets.token_urlsafe(18)
        session["visitor"] = token
        session.permanent = True
    return operations.visitor_key(token)


def known_owner_key() -> str | None:
    """The user's or visitor's owner key, or None without creating one."""
    if current_user.is_authenticated:
        return current_user.owner_key
    token = session.get("visitor")
    return operations.visitor_key(token) if token else None


# --- Lessons ---------------------------------------------------------------


@bp.get("/")
def home():
    lessons = catalog().lessons.in_language(g.lang)
    if not current_user.is_authenticated:
        return render_template("learn/home.html", lessons=lessons, quizzes=catalog().quizzes)
    views = onboarding.onboarding_of(current_user, utcnow())
    # Certificates are issued where a path can become complete (submitting, grading);
    # the home page only reads them.
    certificates = {
        c.assignment_id: c for c in onboarding.certificates_of(current_user) if c.assignment_id
    }
    return render_template(
        "learn/home.html",
        lessons=lessons,
        quizzes=catalog().quizzes,
        views=views,
        certificates=certificates,
        read=onboarding.lessons_read(current_user),
        titles={lesson.slug: lesson.title for lesson in lessons},
        now=utcnow(),
    )


def lesson_titles() -> dict[str, dict[str, str]]:
    return catalog().lesson_titles()


@bp.get("/lessons/")
def lessons():
    read = onboarding.lessons_read(current_user) if current_user.is_authenticated else set()
    return render_template(
        "learn/lessons.html", lessons=catalog().lessons.in_language(g.lang), read=read
    )


@bp.post("/lessons/<slug>/read")
@signed_in
def mark_read(slug: str):
    """Record that the signed-in learner has read a lesson."""
    found = catalog().lessons.get(g.lang, slug)
    if found is None:
        abort(404)
    if not MarkReadForm().validate_on_submit():
        abort(400)
    onboarding.mark_read(current_user, slug)
    following = catalog().lessons.neighbours(found)[1]
    quiz = catalog().quizzes.get(found.quiz)
    if quiz is not None:
        return redirect(url_for(".quiz", quiz_id=quiz.id))
    if following is not None:
        return redirect(url_for(".lesson", slug=following.slug))
    return redirect(url_for(".lessons"))


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
        read_form=MarkReadForm() if current_user.is_authenticated else None,
        is_read=(current_user.is_authenticated and slug in onboarding.lessons_read(current_user)),
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


def assignment_state(quiz_id: str):
    """The signed-in learner's assignment that holds this quiz, with the module's state."""
    if not current_user.is_authenticated:
        return None, None
    assignment = onboarding.assignment_for(current_user, quiz_id)
    if assignment is None:
        return None, None
    return assignment, onboarding.module_states([assignment], utcnow())[(assignment.id, quiz_id)]


def render_quiz(found: Quiz, form=None, error=None, status=200):
    # The visitor gets an owner key here, before any start is posted, so that
    # parallel starts from one browser (a double click) share one owner.
    key = owner_key()
    in_progress = operations.open_attempt(found.id, key)
    assignment, state = assignment_state(found.id)
    return render_template(
        "learn/quiz.html",
        quiz=found,
        lesson=catalog().lessons.get(g.lang, found.lesson),
        in_progress=in_progress,
        continue_url=continue_url(found, in_progress) if in_progress else None,
        form=form or start_form(found, g.lang),
        abandon_form=AbandonAttemptForm(),
        assignment=assignment,
        state=state,
        error=error,
        now=utcnow(),
    ), status


@bp.get("/quizzes/<quiz_id>")
def quiz(quiz_id: str):
    return render_quiz(find_quiz(quiz_id))


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
    form = start_form(found, g.lang)
    if not form.validate_on_submit():
        return render_quiz(found, form=form, status=400)
    orders = draw_orders(found, random.SystemRandom())
    assignment, _state = assignment_state(quiz_id)
    try:
        attempt = operations.start_attempt(
            quiz_id,
            owner_key(),
            form.mode.data,
            orders,
            assignment=assignment,
            self_rating=self_rating(form, found),
            language=g.lang,
        )
    except operations.AttemptLimitReached:
        return render_quiz(
            found,
            form=form,
            error=_(
                "You have used every attempt your manager allowed for this quiz. "
                "Ask your manager if you need another."
            ),
            status=409,
        )
    return redirect(url_for(".question", quiz_id=quiz_id, public_id=attempt.public_id, number=1))
