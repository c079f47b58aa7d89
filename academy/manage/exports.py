"""Exports of the dashboard's attempts: CSV for spreadsheets, JSON for other tools.

Both follow the dashboard's filters, come from one streamed query (rows are
written as they are read, never all held in memory), and carry one column
per rubric criterion. The CSV starts with a byte order mark, so Excel reads
Polish, Romanian and Cyrillic text correctly, and any cell that a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Response, abort, g, request, stream_with_context
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from .. import insight
from ..access import managers
from ..extensions import db
from ..learn.routes import catalog
from ..models import Answer, Assignment, Attempt, AttemptCriterion, Grade, Team, User, utcnow
from .dashboard import read_filters, select_rows
from .routes import bp

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STREAM_BATCH = 1000


def neutralise(value: object) -> object:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _status(attempt_row) -> str:
    if attempt_row.submitted_at is None:
        return "in_progress"
    if attempt_row.needs_review and attempt_row.reviewed_at is None:
        return "awaiting_review"
    return "passed" if attempt_row.passed else "failed"


def _records(filters, teams) -> tuple[list[str], Iterator[dict]]:
    """The header and a stream of one record per attempt of the filtered learners."""
    rows = select_rows(insight.matrix(teams, filters.path, utcnow(), team_id=filters.team), filters)
    assignment_ids = [row.assignment.id for row in rows]
    modules = [m for m in filters.path.modules if not filters.module or m.lesson == filters.module]
    quizzes = [catalog().quizzes[m.quiz_id] for m in modules if m.quiz_id in catalog().quizzes]
    titles = {lesson.slug: lesson.title for lesson in catalog().lessons.in_language(g.lang)}
    criteria = [
        (q.id, c.id, f"{q.title[g.lang]} – {c.title[g.lang]}") for q in quizzes for c in q.rubric
    ]
    header = [
        "learner",
        "email",
        "team",
        "path",
        "module",
        "quiz",
        "attempt",
        "language",
        "started_at",
        "submitted_at",
        "score_percent",
        "status",
        "graded_by",
    ] + [label for _, _, label in criteria]

    # Who graded each attempt last: the latest grading of any of its answers (one join,
    # not a subquery per row).
    last_grade = (
        select(Answer.attempt_id.label("attempt_id"), func.max(Grade.id).label("grade_id"))
        .join(Grade, Grade.answer_id == Answer.id)
        .where(
            Answer.attempt_id.in_(
                select(Attempt.id).where(Attempt.assignment_id.in_(assignment_ids))
            )
        )
        .group_by(Answer.attempt_id)
        .subquery()
    )
    grade = aliased(Grade)
    grader = aliased(User)
    query = (
        select(
            Attempt.id,
            Attempt.quiz_id,
            Attempt.number,
            Attempt.language,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score_percent,
            Attempt.passed,
            Attempt.needs_review,
            Attempt.reviewed_at,
            User.name.label("learner"),
            User.email,
            Team.name.label("team"),
            grader.name.label("grader"),
            AttemptCriterion.criterion_id,
            AttemptCriterion.level,
        )
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(User, User.id == Assignment.learner_id)
        .outerjoin(Team, Team.id == Assignment.team_id)
        .outerjoin(last_grade, last_grade.c.attempt_id == Attempt.id)
        .outerjoin(grade, grade.id == last_grade.c.grade_id)
        .outerjoin(grader, grader.id == grade.grader_id)
        .outerjoin(AttemptCriterion, AttemptCriterion.attempt_id == Attempt.id)
        .where(
            Attempt.assignment_id.in_(assignment_ids),
            Attempt.quiz_id.in_([q.id for q in quizzes]),
            Attempt.abandoned_at.is_(None),
        )
        .order_by(User.name, Attempt.quiz_id, Attempt.number, Attempt.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    lesson_of = {m.quiz_id: m.lesson for m in modules}
    path_name = filters.path.name

    def stream() -> Iterator[dict]:
        current = None
        record: dict = {}
        for row in db.session.execute(query):
            if row.id != current:
                if current is not None:
                    yield record
                current = row.id
                record = {
                    "learner": row.learner,
                    "email": row.email,
                    "team": row.team or "",
                    "path": path_name,
                    "module": titles.get(lesson_of.get(row.quiz_id, ""), ""),
                    "quiz": row.quiz_id,
                    "attempt": row.number,
                    "language": row.language or "",
                    "started_at": row.started_at.isoformat(timespec="seconds"),
                    "submitted_at": row.submitted_at.isoformat(timespec="seconds")
                    if row.submitted_at
                    else "",
                    "score_percent": int(row.score_percent)
                    if row.score_percent is not None
                    else "",
                    "status": _status(row),
                    "graded_by": row.grader or "",
                }
                for _, _, label in criteria:
                    record[label] = ""
            if row.criterion_id is not None:
                for quiz_id, criterion_id, label in criteria:
                    if quiz_id == row.quiz_id and criterion_id == row.criterion_id:
                        record[label] = round(row.level, 2)
        if current is not None:
            yield record

    return header, stream()


def _csv(header: list[str], records: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(header)
    for number, record in enumerate(records, 1):
        writer.writerow([neutralise(record[column]) for column in header])
        if number % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(records: Iterator[dict]) -> Iterator[str]:
    yield "[\n"
    for number, record in enumerate(records):
        yield ("" if number == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


@bp.get("/export.<format>")
@managers
def export(format: str):
    """The dashboard's attempts as CSV or JSON, with the dashboard's filters."""
    if format not in ("csv", "json"):
        abort(404)
    teams = insight.visible_teams(current_user)
    paths = insight.paths_in_use(teams)
    filters = read_filters(request.args, teams, paths)
    if filters.path is None:  # nothing assigned in the manager's teams: an empty export
        header, records = ["learner", "email", "team", "path", "module", "status"], iter(())
    else:
        header, records = _records(filters, teams)
    name = f"onboarding-{filters.path.id if filters.path else 0}.{format}"
    if format == "csv":
        body, mimetype = _csv(header, records), "text/csv; charset=utf-8"
    else:
        body, mimetype = _json(records), "application/json"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
