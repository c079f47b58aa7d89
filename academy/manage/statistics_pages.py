"""Item statistics per quiz, and how well the automatic judge agrees with managers."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import abort, current_app, g, render_template
from flask_login import current_user
from sqlalchemy import func, select

from .. import insight
from ..access import managers
from ..core.item_statistics import MIN_ATTEMPTS, quiz_statistics
from ..core.quizzes import Question, Quiz
from ..core.statistics import exact_agreement, quadratic_weighted_kappa
from ..extensions import db
from ..learn.routes import catalog
from ..models import Answer, Assignment, Attempt, Grade, Membership, ModuleProgress
from .routes import bp


def _members(teams):
    return select(Membership.user_id).where(Membership.team_id.in_([t.id for t in teams]))


def _team_attempts(teams):
    """Submitted attempts in the assignments of these teams' learners (a SELECT of ids)."""
    return (
        select(Attempt.id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(
            Assignment.learner_id.in_(_members(teams)),
            Attempt.submitted_at.is_not(None),
            Attempt.abandoned_at.is_(None),
        )
    )


def chosen_options(question: Question, response: dict | None) -> list[str]:
    """The option ids a response chose (best and worst both count for best/worst)."""
    if not response:
        return []
    if question.type == "choice":
        return [response.get("option")]
    if question.type == "best_worst":
        return [response.get("best"), response.get("worst")]
    if question.type == "multi":
        return list(response.get("options") or [])
    if question.type == "rank":
        order = response.get("order") or []
        return order[:1]  # the option put first
    return []


@bp.get("/quizzes/")
@managers
def quiz_list():
    teams = insight.visible_teams(current_user)
    counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count())
            .where(Attempt.id.in_(_team_attempts(teams)))
            .group_by(Attempt.quiz_id)
        ).all()
    )
    return render_template(
        "manage/quizzes.html",
        quizzes=catalog().quizzes_in_order(g.lang),
        counts=counts,
        minimum=MIN_ATTEMPTS,
    )


@bp.get("/quizzes/<quiz_id>/statistics")
@managers
def statistics(quiz_id: str):
    """Facility, discrimination, alpha, option use, time and fairness across languages."""
    quiz = catalog().quizzes.get(quiz_id)
    if quiz is None:
        abort(404)
    teams = insight.visible_teams(current_user)
    attempts = _team_attempts(teams)
    token = db.session.execute(
        select(
            select(func.count(Attempt.id))
            .where(Attempt.id.in_(attempts), Attempt.quiz_id == quiz.id)
            .scalar_subquery(),
            select(func.max(Attempt.submitted_at))
            .where(Attempt.id.in_(attempts), Attempt.quiz_id == quiz.id)
            .scalar_subquery(),
            select(func.max(Grade.id)).scalar_subquery(),
            select(func.max(ModuleProgress.updated_at))
            .where(ModuleProgress.quiz_id == quiz.id)
            .scalar_subquery(),
        )
    ).one()
    key = (current_app.extensions["academy.instance"], "statistics", current_user.id, quiz.id)

    def compute():
        rows = db.session.execute(
            select(
                Attempt.id,
                Attempt.language,
                Answer.question_id,
                Answer.credit,
                Answer.seconds,
                Answer.response,
            )
            .outerjoin(Answer, Answer.attempt_id == Attempt.id)
            .where(Attempt.id.in_(_team_attempts(teams)), Attempt.quiz_id == quiz.id)
            .order_by(Attempt.id)
        ).all()
        index = {q.id: i for i, q in enumerate(quiz.questions)}
        matrix: dict[int, list[float]] = {}
        languages: dict[int, str] = {}
        options = {q.id: {o.id: 0 for o in q.options} for q in quiz.questions if q.type != "text"}
        seconds: dict[str, list[float]] = defaultdict(list)
        for attempt_id, language, question_id, credit, spent, response in rows:
            scores = matrix.setdefault(attempt_id, [0.0] * len(quiz.questions))
            languages[attempt_id] = language or "?"
            if question_id not in index:
                continue
            scores[index[question_id]] = credit or 0.0
            if spent is not None:
                seconds[question_id].append(spent)
            question = quiz.questions[index[question_id]]
            for option_id in chosen_options(question, response):
                if option_id in options.get(question_id, {}):
                    options[question_id][option_id] += 1
        ids = sorted(matrix)
        stats = quiz_statistics(
            [q.id for q in quiz.questions],
            [matrix[i] for i in ids],
            options=options,
            seconds=seconds,
            languages=[languages[i] for i in ids],
        )
        return stats

    stats = insight.cached(key, tuple(token), compute)
    return render_template("manage/statistics.html", quiz=quiz, stats=stats, minimum=MIN_ATTEMPTS)


# --- Agreement between the automatic judge and managers --------------------------------

MIN_GRADED = 10
KAPPA_FLAG = 0.6


@dataclass(frozen=True)
class Agreement:
    quiz: Quiz
    question: Question
    lang: str
    graded: int
    exact: float | None
    kappa: float | None
    disagreements: list[tuple[str, int, int, int]]
    """The most frequent (criterion, suggested, final, count), largest first."""

    @property
    def flagged(self) -> bool:
        return self.kappa is not None and self.kappa < KAPPA_FLAG


def agreements(teams) -> list[Agreement]:
    """Per written question and language: the judge's suggestion against the manager's levels.

    The suggestion is what the first grading found (``levels_before``: the
    levels stored at submission); the manager's levels are the latest grading's.
    Two queries, whatever the number of gradings.
    """
    first = (
        select(Grade.answer_id, func.min(Grade.id).label("first"), func.max(Grade.id).label("last"))
        .join(Answer, Answer.id == Grade.answer_id)
        .where(Answer.attempt_id.in_(_team_attempts(teams)))
        .group_by(Grade.answer_id)
        .subquery()
    )
    pairs = db.session.execute(select(first.c.answer_id, first.c.first, first.c.last)).all()
    grade_ids = {i for _, a, b in pairs for i in (a, b)}
    grades = (
        {
            grade.id: grade
            for grade in db.session.scalars(select(Grade).where(Grade.id.in_(grade_ids)))
        }
        if grade_ids
        else {}
    )
    answers = (
        {
            row.id: row
            for row in db.session.execute(
                select(
                    Answer.id,
                    Answer.question_id,
                    Answer.response,
                    Attempt.quiz_id,
                    Attempt.language,
                )
                .join(Attempt, Attempt.id == Answer.attempt_id)
                .where(Answer.id.in_([answer_id for answer_id, _, _ in pairs]))
            )
        }
        if pairs
        else {}
    )
    grouped: dict[tuple[str, str, str], list[tuple[dict, dict]]] = defaultdict(list)
    for answer_id, first_id, last_id in pairs:
        answer = answers[answer_id]
        lang = (answer.response or {}).get("lang") or answer.language or "?"
        grouped[(answer.quiz_id, answer.question_id, lang)].append(
            (grades[first_id].levels_before, grades[last_id].levels_after)
        )
    out = []
    for (quiz_id, question_id, lang), items in sorted(grouped.items()):
        quiz = catalog().quizzes.get(quiz_id)
        question = quiz.question(question_id) if quiz else None
        if question is None:
            continue
        suggested, final, misses = [], [], Counter()
        for before, after in items:
            for criterion_id in question.criteria:
                if criterion_id in before and criterion_id in after:
                    s, f = int(before[criterion_id]), int(after[criterion_id])
                    suggested.append(s)
                    final.append(f)
                    if s != f:
                        misses[(criterion_id, s, f)] += 1
        levels = max((quiz.criterion(c).top for c in question.criteria), default=3) + 1
        enough = len(items) >= MIN_GRADED and suggested
        out.append(
            Agreement(
                quiz,
                question,
                lang,
                len(items),
                float(exact_agreement(suggested, final)) if enough else None,
                quadratic_weighted_kappa(suggested, final, levels) if enough else None,
                [(c, s, f, n) for (c, s, f), n in misses.most_common(3)],
            )
        )
    return out


@bp.get("/grading/agreement")
@managers
def agreement():
    teams = insight.visible_teams(current_user)
    return render_template(
        "manage/agreement.html",
        rows=agreements(teams),
        minimum=MIN_GRADED,
        threshold=KAPPA_FLAG,
    )
