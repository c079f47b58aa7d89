"""A manager's grading of written answers: levels, comment, audit, new score.

Every grading is a new row in ``grades`` (who, when, the levels before and
after, the comment); a regrade adds a row and never rewrites an earlier one.
Once every written answer of an attempt is graded, the attempt is reviewed
and its score and pass or fail are recomputed from the stored judgements.
"""

from __future__ import annotations

from sqlalchemy import select, update

from .attempts import store_profile
from .core.quizzes import Question, Quiz
from .core.scoring import graded_record, question_credit
from .extensions import db
from .insight import refresh_progress
from .models import Answer, Attempt, Grade, User, utcnow

MAX_COMMENT_LENGTH = 2000


def grade_answer(
    quiz: Quiz,
    attempt: Attempt,
    question: Question,
    grader: User,
    levels: dict[str, int],
    comment: str,
) -> Grade:
    """Record a grading of one written answer and bring the attempt's score up to date.

    Raises :class:`~academy.core.errors.InvalidAnswer` for levels that do not
    fit the question's criteria.
    """
    from .learn.scores import profile_of, stored_result  # as the results page reads it

    answer = attempt.answer_to(question.id)
    if answer is None:
        raise LookupError(question.id)
    record = graded_record(question, quiz, levels)
    before = dict((answer.judgement or {}).get("levels") or {})
    grade = Grade(
        answer_id=answer.id,
        grader_id=grader.id,
        levels_before=before,
        levels_after=record["levels"],
        comment=comment.strip()[:MAX_COMMENT_LENGTH],
    )
    db.session.add(grade)
    credit = float(question_credit(quiz, record["levels"]))
    db.session.execute(
        update(Answer).where(Answer.id == answer.id).values(judgement=record, credit=credit)
    )
    db.session.flush()
    db.session.expire(attempt)
    result = stored_result(quiz, attempt)
    all_graded = all(
        (a := attempt.answer_to(q.id)) is None or (a.judgement or {}).get("graded")
        for q in quiz.questions
        if q.type == "text"
    )
    values = {"score_percent": result.percent, "passed": result.passed}
    if all_graded and attempt.reviewed_at is None:
        values["reviewed_at"] = utcnow()
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(**values))
    store_profile(attempt, profile_of(result))
    refresh_progress(attempt.assignment_id, attempt.quiz_id)
    db.session.commit()
    db.session.expire(attempt)
    return grade


def grades_of(answer_ids: list[int]) -> dict[int, list[Grade]]:
    """Every grading of these answers, oldest first, by answer id."""
    out: dict[int, list[Grade]] = {i: [] for i in answer_ids}
    if not answer_ids:
        return out
    for grade in db.session.scalars(
        select(Grade).where(Grade.answer_id.in_(answer_ids)).order_by(Grade.graded_at, Grade.id)
    ):
        out[grade.answer_id].append(grade)
    return out
