"""The learner's pages of one attempt: questions, answers, review, submit, results.

Every URL is checked against the visitor who owns the attempt.
"""

from __future__ import annotations

import re

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import attempts as operations
from .. import onboarding
from ..core.errors import InvalidAnswer
from ..core.progress import calibration
from ..core.quizzes import Question, Quiz
from ..core.scoring import keyed_response, parse_response, score_question
from ..core.shuffle import in_order
from ..grading import grades_of
from ..models import Attempt, utcnow
from . import scores
from .answers import (
    in_ranked_order,
    kept_input,
    message_for,
    rank_clashes,
    read_answer,
    stored_input,
)
from .forms import AbandonAttemptForm, SubmitAttemptForm
from .routes import bp, catalog, find_quiz, known_owner_key, lesson_titles
from .scores import responses_of, saved_response, stored_result

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{22}")
"""What ``secrets.token_urlsafe(16)`` makes: anything else is no attempt id."""


def find_attempt(quiz_id: str, public_id: str) -> tuple[Quiz, Attempt]:
    """The quiz and the visitor's own attempt at it; 404 for anything else.

    A value that cannot be a public id (a NUL byte, another length or
    alphabet) is refused before any query. An abandoned attempt is gone.
    """
    found = find_quiz(quiz_id)
    if not PUBLIC_ID.fullmatch(public_id):
        abort(404)
    key = known_owner_key()
    attempt = operations.find_attempt(public_id, key) if key else None
    if attempt is None or attempt.quiz_id != quiz_id or attempt.abandoned_at is not None:
        abort(404)
    return found, attempt


def question_at(found: Quiz, number: int) -> Question:
    if not 1 <= number <= len(found.questions):
        abort(404)
    return found.questions[number - 1]


def render_question(found, attempt, question, *, kept=None, error=None, notice=None, status=200):
    answer = attempt.answer_to(question.id)
    response = saved_response(question, attempt)
    show_feedback = attempt.mode == "practice" and response is not None
    values = kept if kept is not None else stored_input(question, response)
    options = in_order(question, attempt.option_order)
    if question.type == "rank":
        options = in_ranked_order(options, values)  # the order being built stays visible
    return render_template(
        "learn/question.html",
        quiz=found,
        attempt=attempt,
        question=question,
        options=options,
        clashes=rank_clashes(values) if question.type == "rank" else set(),
        guide=found.guides.get(question.id),
        number=found.position(question.id),
        total=len(found.questions),
        answered={a.question_id for a in attempt.answers},
        revision=answer.revision if answer else 0,
        values=values,
        error=error,
        notice=notice,
        feedback=score_question(found, question, response) if show_feedback else None,
        response=response,
        locked=show_feedback,
    ), status


@bp.get("/quizzes/<quiz_id>/attempts/<public_id>/questions/<int:number>")
def question(quiz_id: str, public_id: str, number: int):
    found, attempt = find_attempt(quiz_id, public_id)
    if attempt.submitted:
        return redirect(url_for(".results", quiz_id=quiz_id, public_id=public_id))
    return render_question(found, attempt, question_at(found, number))


@bp.post("/quizzes/<quiz_id>/attempts/<public_id>/questions/<int:number>")
def answer(quiz_id: str, public_id: str, number: int):
    found, attempt = find_attempt(quiz_id, public_id)
    question = question_at(found, number)
    if attempt.submitted:
        return render_template(
            "learn/conflict.html",
            quiz=found,
            attempt=attempt,
            message=_(
                "This attempt has already been submitted, so its answers can no longer "
                "change. Your result is saved."
            ),
        ), 409
    posted_id = request.form.get("question")
    if posted_id != question.id:
        abort(400, description=_("This answer does not belong to the question on this page."))
    expected = _revision(request.form.get("revision"))
    kept = kept_input(question, request.form)
    try:
        response = parse_response(question, read_answer(question, request.form, g.lang))
    except InvalidAnswer as error:
        return render_question(
            found, attempt, question, kept=kept, error=message_for(error, question), status=400
        )
    try:
        operations.save_answer(attempt, question.id, response, expected)
    except operations.AttemptClosed:
        return render_template(
            "learn/conflict.html",
            quiz=found,
            attempt=attempt,
            message=_(
                "This attempt was submitted in another tab or window, so this answer "
                "was not saved. Your result is saved."
            ),
        ), 409
    except operations.AnswerLocked:
        return render_question(
            found,
            attempt,
            question,
            notice=_(
                "You have already checked this answer, so it stays as it is. "
                "Go on to the next question."
            ),
            status=409,
        )
    except operations.StaleAnswer:
        return render_question(
            found,
            attempt,
            question,
            kept=kept,
            error=_(
                "This answer was changed in another tab or window while this page was "
                "open. Your choice is shown below and has not been saved yet: save again "
                "to keep it."
            ),
            status=409,
        )
    if attempt.mode == "practice":
        return redirect(
            url_for(
                ".question", quiz_id=quiz_id, public_id=public_id, number=number, _anchor="feedback"
            )
        )
    return redirect(_after_save(found, attempt, number))


MAX_REVISION = 2**31 - 1


def _revision(raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        value = -1
    # A revision lives in a 32-bit column: anything outside it is no page of ours.
    if not 0 <= value <= MAX_REVISION:
        abort(
            400,
            description=_("This page has changed since you opened it. Reload it and try again."),
        )
    return value


def _after_save(found: Quiz, attempt: Attempt, number: int) -> str:
    if request.form.get("go") == "previous" and number > 1:
        return url_for(
            ".question", quiz_id=found.id, public_id=attempt.public_id, number=number - 1
        )
    if request.form.get("go") == "review" or number == len(found.questions):
        return url_for(".review", quiz_id=found.id, public_id=attempt.public_id)
    return url_for(".question", quiz_id=found.id, public_id=attempt.public_id, number=number + 1)


@bp.get("/quizzes/<quiz_id>/attempts/<public_id>/review")
def review(quiz_id: str, public_id: str):
    found, attempt = find_attempt(quiz_id, public_id)
    if attempt.submitted:
        return redirect(url_for(".results", quiz_id=quiz_id, public_id=public_id))
    answered = {a.question_id for a in attempt.answers}
    return render_template(
        "learn/review.html",
        quiz=found,
        attempt=attempt,
        answered=answered,
        unanswered=[q for q in found.questions if q.id not in answered],
        form=SubmitAttemptForm(),
    )


@bp.post("/quizzes/<quiz_id>/attempts/<public_id>/submit")
def submit(quiz_id: str, public_id: str):
    found, attempt = find_attempt(quiz_id, public_id)
    if not attempt.submitted:
        form = SubmitAttemptForm()
        if not form.validate_on_submit():
            abort(400)
        try:
            scores.submit(found, attempt)
        except operations.AttemptChanged:
            return render_template(
                "learn/conflict.html",
                quiz=found,
                attempt=attempt,
                message=_(
                    "Answers kept arriving while this attempt was being submitted. "
                    "Nothing was lost: review your answers and submit again."
                ),
            ), 409
        if attempt.assignment_id is not None:
            for view in onboarding.onboarding_of(current_user, utcnow()):
                onboarding.issue_certificate(view, lesson_titles())
    # Submitting again is harmless: it shows the same result.
    return redirect(url_for(".results", quiz_id=quiz_id, public_id=public_id))


@bp.post("/quizzes/<quiz_id>/attempts/<public_id>/abandon")
def abandon(quiz_id: str, public_id: str):
    """Leave an attempt in progress unscored, to start the quiz again."""
    found, attempt = find_attempt(quiz_id, public_id)
    if attempt.submitted:
        return redirect(url_for(".results", quiz_id=quiz_id, public_id=public_id))
    if not AbandonAttemptForm().validate_on_submit():
        abort(400)
    if attempt.assignment_id is not None:
        abort(
            409,
            description=_(
                "This attempt is part of your onboarding, so it cannot be left unscored. "
                "Finish it and submit it."
            ),
        )
    operations.abandon_attempt(attempt)
    return redirect(url_for(".quiz", quiz_id=found.id))


@bp.get("/quizzes/<quiz_id>/attempts/<public_id>/results")
def results(quiz_id: str, public_id: str):
    found, attempt = find_attempt(quiz_id, public_id)
    if not attempt.submitted:
        return redirect(url_for(".review", quiz_id=quiz_id, public_id=public_id))
    responses = responses_of(found, attempt)
    result = stored_result(found, attempt)
    measured = {p.criterion_id: (p.mean_level, p.top) for p in result.profile if p.evidence}
    written = [a.id for a in attempt.answers if (a.judgement or {}).get("graded")]
    return render_template(
        "learn/results.html",
        calibration=calibration(attempt.self_rating or {}, measured),
        grades=grades_of(written),
        quiz=found,
        attempt=attempt,
        result=result,
        responses=responses,
        options={q.id: in_order(q, attempt.option_order) for q in found.questions},
        keyed={q.id: keyed_response(q, g.lang) for q in found.questions},
        lesson=catalog().lessons.get(g.lang, found.lesson),
    )
