"""My progress (criteria over time, self-assessment calibration) and certificates."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g, render_template

from .. import attempts as operations
from .. import onboarding
from ..core.charts import LineChart, line_chart
from ..core.progress import Calibration, calibration, mean_gap
from ..core.quizzes import Quiz
from ..core.scoring import QuizResult
from ..models import Attempt
from ..templating import format_day
from .routes import bp, catalog, known_owner_key
from .scores import stored_result


@dataclass(frozen=True)
class AttemptRow:
    attempt: Attempt
    quiz: Quiz
    result: QuizResult
    calibration: list[Calibration]

    @property
    def gap(self):
        return mean_gap(self.calibration)


@dataclass(frozen=True)
class QuizProgress:
    quiz: Quiz
    rows: list[AttemptRow]
    chart: LineChart


@bp.get("/progress")
def progress():
    """Every submitted attempt, each quiz's criteria over time, and how well self-ratings held."""
    key = known_owner_key()
    quizzes, rated = build_progress(operations.attempts_of(key) if key else [])
    return render_template("learn/progress.html", quizzes=quizzes, rated=rated)


def build_progress(attempts: list[Attempt]) -> tuple[list[QuizProgress], list[AttemptRow]]:
    """Per quiz, the criteria over the submitted attempts (chart and rows), and every
    attempt with a self-rating, oldest first. Shared by My progress and the manager's
    learner page."""
    submitted = sorted((a for a in attempts if a.submitted), key=lambda a: (a.submitted_at, a.id))
    rows: dict[str, list[AttemptRow]] = {}
    for attempt in submitted:
        quiz = catalog().quizzes.get(attempt.quiz_id)
        if quiz is None:
            continue
        result = stored_result(quiz, attempt)
        measured = {p.criterion_id: (p.mean_level, p.top) for p in result.profile if p.evidence}
        rows.setdefault(quiz.id, []).append(
            AttemptRow(attempt, quiz, result, calibration(attempt.self_rating or {}, measured))
        )
    quizzes = []
    for quiz in catalog().quizzes_in_order(g.lang):
        if quiz.id not in rows:
            continue
        quiz_rows = rows[quiz.id]
        chart = line_chart(
            [format_day(row.attempt.submitted_at) for row in quiz_rows],
            [
                (
                    criterion.id,
                    criterion.title[g.lang],
                    [_criterion_percent(row.result, criterion.id) for row in quiz_rows],
                )
                for criterion in quiz.rubric
            ],
        )
        quizzes.append(QuizProgress(quiz, quiz_rows, chart))
    rated = [row for quiz_rows in rows.values() for row in quiz_rows if row.calibration]
    rated.sort(key=lambda row: (row.attempt.submitted_at, row.attempt.id))
    return quizzes, rated


def _criterion_percent(result: QuizResult, criterion_id: str) -> float | None:
    profile = next((p for p in result.profile if p.criterion_id == criterion_id), None)
    if profile is None or not profile.evidence:
        return None
    return profile.percent


@bp.get("/certificates/<code>")
def certificate(code: str):
    """A certificate anyone can check by its code; its owner prints it from here."""
    if len(code) > 40:
        abort(404)
    found = onboarding.find_certificate(code)
    if found is None:
        abort(404)
    return render_template("learn/certificate.html", certificate=found)
