"""Everything the site keeps about a user, as one document they can download."""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import Answer, Attempt, Grade, User
from .onboarding import assignments_of, certificates_of, lessons_read
from .people import teams_of


def personal_data(user: User) -> dict:
    attempts = list(
        db.session.scalars(
            select(Attempt).where(Attempt.owner_key == user.owner_key).order_by(Attempt.started_at)
        )
    )
    answer_ids = [a.id for attempt in attempts for a in attempt.answers]
    grades: dict[int, list[dict]] = {}
    if answer_ids:
        for grade in db.session.scalars(select(Grade).where(Grade.answer_id.in_(answer_ids))):
            grades.setdefault(grade.answer_id, []).append(
                {
                    "graded_at": grade.graded_at,
                    "grader": grade.grader.name if grade.grader else None,
                    "levels": grade.levels_after,
                    "comment": grade.comment,
                }
            )
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "language": user.language,
            "created_at": user.created_at,
            "last_sign_in_at": user.last_sign_in_at,
        },
        "teams": [team.name for team in teams_of(user)],
        "assignments": [
            {
                "path": a.path.name,
                "modules": [m.lesson for m in a.path.modules],
                "due_at": a.due_at,
                "attempt_limit": a.attempt_limit,
                "counts": a.counts,
                "mode": a.mode,
            }
            for a in assignments_of(user)
        ],
        "lessons_read": sorted(lessons_read(user)),
        "attempts": [
            {
                "quiz": attempt.quiz_id,
                "mode": attempt.mode,
                "started_at": attempt.started_at,
                "submitted_at": attempt.submitted_at,
                "abandoned_at": attempt.abandoned_at,
                "score_percent": attempt.score_percent,
                "passed": attempt.passed,
                "self_rating": attempt.self_rating,
                "answers": [_answer(answer, grades) for answer in attempt.answers],
            }
            for attempt in attempts
        ],
        "certificates": [
            {"code": c.code, "issued_at": c.issued_at, "details": c.details}
            for c in certificates_of(user)
        ],
    }


def _answer(answer: Answer, grades: dict[int, list[dict]]) -> dict:
    return {
        "question": answer.question_id,
        "response": answer.response,
        "saved_at": answer.saved_at,
        "judgement": answer.judgement,
        "grades": grades.get(answer.id, []),
    }
