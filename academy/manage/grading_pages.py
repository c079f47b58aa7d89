"""The grading queue: written answers waiting for their manager, held ones first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_login import current_user
from sqlalchemy import exists, select

from .. import insight
from ..access import managers
from ..extensions import db
from ..learn.routes import catalog
from ..models import Answer, Assignment, Attempt, Grade, Membership, Team, User
from .routes import bp


@dataclass(frozen=True)
class Waiting:
    answer_id: int
    public_id: str
    quiz_id: str
    question_id: str
    learner: str
    team: str
    submitted_at: datetime
    review: tuple[str, ...]

    @property
    def held(self) -> bool:
        return bool(self.review)


def waiting_answers(teams: list[Team]) -> list[Waiting]:
    """Written answers of the teams' assigned attempts that no one has graded: one query.

    Held answers (the automatic judge found a reason not to trust itself)
    come first, then the oldest.
    """
    written = {
        (quiz.id, question.id)
        for quiz in catalog().quizzes.values()
        for question in quiz.questions
        if question.type == "text"
    }
    members = select(Membership.user_id).where(Membership.team_id.in_([t.id for t in teams]))
    rows = db.session.execute(
        select(
            Answer.id,
            Answer.question_id,
            Answer.judgement,
            Attempt.public_id,
            Attempt.quiz_id,
            Attempt.submitted_at,
            User.name,
            Team.name,
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(User, User.id == Assignment.learner_id)
        .outerjoin(Team, Team.id == Assignment.team_id)
        .where(
            Assignment.learner_id.in_(members),
            Attempt.submitted_at.is_not(None),
            Attempt.needs_review.is_(True),
            Attempt.reviewed_at.is_(None),
            ~exists().where(Grade.answer_id == Answer.id),
        )
    ).all()
    found = [
        Waiting(
            row[0],
            row.public_id,
            row.quiz_id,
            row.question_id,
            row[6],
            row[7] or "",
            row.submitted_at,
            tuple((row.judgement or {}).get("review") or ()),
        )
        for row in rows
        if (row.quiz_id, row.question_id) in written
    ]
    return sorted(found, key=lambda w: (not w.held, w.submitted_at, w.answer_id))


@bp.get("/grading/")
@managers
def grading():
    teams = insight.visible_teams(current_user)
    queue = waiting_answers(teams)
    return render_template(
        "manage/grading.html",
        queue=queue,
        per_team=Counter(w.team for w in queue),
        quizzes=catalog().quizzes,
    )
