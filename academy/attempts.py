"""Writes to attempts and answers, in small named functions.

Views parse input and call these; each function is one transaction, so
locking and isolation can be tightened here, in one place. Concurrency is
handled with conditional updates: a write that lost a race changes nothing
and raises, it never overwrites or duplicates.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .insight import refresh_progress
from .models import Answer, Attempt, AttemptCriterion, utcnow

MODES = ("practice", "assessment")
MAX_SECONDS_PER_SAVE = 30 * 60


class AttemptClosed(Exception):
    """The attempt was submitted; it takes no more answers."""


class StaleAnswer(Exception):
    """The answer changed since the page was shown (another tab saved it)."""


class AnswerLocked(Exception):
    """In practice mode an answer is final once its feedback has been shown."""


def visitor_key(token: str) -> str:
    """The owner key of an anonymous visitor."""
    return f"visitor:{token}"


def find_attempt(public_id: str, owner_key: str) -> Attempt | None:
    """The owner's attempt with this public id, or None (also for someone else's)."""
    return db.session.scalar(
        select(Attempt).where(Attempt.public_id == public_id, Attempt.owner_key == owner_key)
    )


def _in_progress():
    return Attempt.submitted_at.is_(None) & Attempt.abandoned_at.is_(None)


def open_attempt(quiz_id: str, owner_key: str) -> Attempt | None:
    """The owner's attempt in progress at a quiz (the database allows one)."""
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.quiz_id == quiz_id, Attempt.owner_key == owner_key, _in_progress())
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    )


def attempts_of(owner_key: str) -> list[Attempt]:
    """Every attempt of an owner that was not abandoned, newest first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.owner_key == owner_key, Attempt.abandoned_at.is_(None))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )


class AttemptLimitReached(Exception):
    """Every attempt the assignment allows at this quiz has been used."""


def start_attempt(
    quiz_id: str,
    owner_key: str,
    mode: str,
    option_order: dict[str, list[str]] | None = None,
    *,
    assignment=None,
    self_rating: dict[str, int] | None = None,
    language: str | None = None,
) -> Attempt:
    """Start an attempt, or return the one already in progress for this quiz.

    ``option_order`` is the order each option question is shown in, drawn
    once for the attempt. With an ``assignment`` the attempt is numbered
    within it; the unique number makes parallel starts collide in the
    database, so an attempt limit holds without counting-then-inserting
    on trust. Raises :class:`AttemptLimitReached` when none is left.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    for _ in range(3):
        existing = open_attempt(quiz_id, owner_key)
        if existing is not None:
            return existing
        attempt = Attempt(
            public_id=secrets.token_urlsafe(16),
            quiz_id=quiz_id,
            owner_key=owner_key,
            mode=mode,
            option_order=option_order,
            self_rating=self_rating or None,
            language=language,
        )
        if assignment is not None:
            number = _next_number(assignment.id, quiz_id)
            if assignment.attempt_limit is not None and number > assignment.attempt_limit:
                # A parallel start may have committed the last allowed attempt between
                # our two reads: then that attempt is the one to continue.
                db.session.rollback()
                existing = open_attempt(quiz_id, owner_key)
                if existing is not None:
                    return existing
                raise AttemptLimitReached
            attempt.assignment_id = assignment.id
            attempt.number = number
            attempt.mode = assignment.mode
        db.session.add(attempt)
        try:
            db.session.flush()
        except IntegrityError:  # a parallel start won this number or the open slot
            db.session.rollback()
            continue
        refresh_progress(attempt.assignment_id, quiz_id)
        db.session.commit()
        return attempt
    existing = open_attempt(quiz_id, owner_key)
    if existing is not None:
        return existing
    raise AttemptLimitReached


def _next_number(assignment_id: int, quiz_id: str) -> int:
    return (
        db.session.scalar(
            select(func.max(Attempt.number)).where(
                Attempt.assignment_id == assignment_id, Attempt.quiz_id == quiz_id
            )
        )
        or 0
    ) + 1


def abandon_attempt(attempt: Attempt) -> bool:
    """Leave an attempt in progress without scoring it. False if it was already closed."""
    left = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, _in_progress())
        .values(abandoned_at=utcnow())
    ).rowcount
    refresh_progress(attempt.assignment_id, attempt.quiz_id)
    db.session.commit()
    db.session.expire(attempt)
    return bool(left)


def save_answer(
    attempt: Attempt, question_id: str, response: dict[str, Any], expected_revision: int
) -> Answer:
    """Save (or replace) the answer to one question.

    ``expected_revision`` is the revision the learner's page showed (0 when
    the question had no answer). If another tab saved in between, nothing is
    written and :class:`StaleAnswer` is raised.
    """
    now = utcnow()
    # Time on this question: since the attempt's last save (or its start), capped so
    # that a page left open overnight does not count as work.
    spent = max(0, min(int((now - attempt.updated_at).total_seconds()), MAX_SECONDS_PER_SAVE))
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, _in_progress())
        .values(updated_at=now, version=Attempt.version + 1)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise AttemptClosed
    if attempt.mode == "practice" and expected_revision > 0:
        db.session.rollback()
        raise AnswerLocked
    if expected_revision == 0:
        db.session.add(
            Answer(
                attempt_id=attempt.id,
                question_id=question_id,
                response=response,
                saved_at=now,
                seconds=spent,
            )
        )
        try:
            db.session.flush()
        except IntegrityError:  # another tab answered first
            db.session.rollback()
            raise (AnswerLocked if attempt.mode == "practice" else StaleAnswer) from None
    else:
        changed = db.session.execute(
            update(Answer)
            .where(
                Answer.attempt_id == attempt.id,
                Answer.question_id == question_id,
                Answer.revision == expected_revision,
            )
            .values(
                response=response,
                revision=Answer.revision + 1,
                saved_at=now,
                seconds=func.coalesce(Answer.seconds, 0) + spent,
            )
        ).rowcount
        if not changed:
            db.session.rollback()
            raise StaleAnswer
    db.session.commit()
    db.session.expire(attempt)
    return attempt.answer_to(question_id)


class AttemptChanged(Exception):
    """An answer was saved after the attempt was scored: score it again."""


def submit_attempt(
    attempt: Attempt,
    version: int,
    score_percent: float,
    passed: bool,
    judgements: dict[str, dict],
    needs_review: bool = False,
    profile: list[tuple[str, float, int, int]] | None = None,
) -> bool:
    """Close the attempt with its score and each answer's judgement, in one transaction.

    ``version`` is the attempt's version the score was computed from; if an
    answer was saved since, nothing is written and :class:`AttemptChanged`
    is raised, so every acknowledged answer is in the stored score.
    ``judgements`` maps question ids to what is stored with their answers
    (levels, review reasons). ``needs_review`` marks an assigned attempt whose
    written answers wait for the manager. Returns False if it was already closed.
    """
    submitted = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, _in_progress(), Attempt.version == version)
        .values(
            submitted_at=utcnow(),
            score_percent=score_percent,
            passed=passed,
            needs_review=needs_review,
        )
    ).rowcount
    if not submitted:
        db.session.rollback()
        db.session.expire(attempt)
        if not attempt.closed:
            raise AttemptChanged
        return False
    _store_judgements(attempt, judgements)
    store_profile(attempt, profile or [])
    refresh_progress(attempt.assignment_id, attempt.quiz_id)
    db.session.commit()
    db.session.expire(attempt)
    return True


def rescore_attempt(
    attempt: Attempt,
    score_percent: float,
    passed: bool,
    judgements: dict[str, dict],
    profile: list[tuple[str, float, int, int]] | None = None,
) -> None:
    """Replace a submitted attempt's stored score and judgements (a deliberate rescore)."""
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(score_percent=score_percent, passed=passed)
    )
    _store_judgements(attempt, judgements)
    store_profile(attempt, profile or [])
    refresh_progress(attempt.assignment_id, attempt.quiz_id)
    db.session.commit()
    db.session.expire(attempt)


def store_profile(attempt: Attempt, profile: list[tuple[str, float, int, int]]) -> None:
    """Replace the attempt's level per criterion: (criterion id, mean level, top, evidence).

    Part of the caller's transaction. The learner's self-rating of each
    criterion is kept beside the measured level.
    """
    rated = attempt.self_rating or {}
    db.session.execute(delete(AttemptCriterion).where(AttemptCriterion.attempt_id == attempt.id))
    for criterion_id, level, top, evidence in profile:
        rating = rated.get(criterion_id)
        db.session.add(
            AttemptCriterion(
                attempt_id=attempt.id,
                criterion_id=criterion_id,
                level=level,
                top=top,
                evidence=evidence,
                self_rating=rating if isinstance(rating, int) else None,
            )
        )


def _store_judgements(attempt: Attempt, judgements: dict[str, dict]) -> None:
    """Each answer's judgement, and its credit (kept in its own column for statistics)."""
    for question_id, judgement in judgements.items():
        record = dict(judgement)
        credit = record.pop("credit", None)
        db.session.execute(
            update(Answer)
            .where(Answer.attempt_id == attempt.id, Answer.question_id == question_id)
            .values(judgement=record, credit=credit)
        )


def submitted_attempts(quiz_id: str) -> list[Attempt]:
    """Every submitted attempt at a quiz, oldest first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None))
            .order_by(Attempt.submitted_at, Attempt.id)
        )
    )
