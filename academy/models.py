"""Database tables: attempts at quizzes and the answers saved in them.

An attempt belongs to an *owner key*: ``visitor:<token>`` for an anonymous
visitor today, ``user:<id>`` once accounts exist. Handing attempts to a
signed-in user is a single update of that key.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_owner_quiz", "owner_key", "quiz_id"),
        # One attempt in progress per owner and quiz, whatever the races.
        Index(
            "uq_attempts_open",
            "owner_key",
            "quiz_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL AND abandoned_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL AND abandoned_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    quiz_id: Mapped[str] = mapped_column(String(64))
    owner_key: Mapped[str] = mapped_column(String(80))
    mode: Mapped[str] = mapped_column(String(16))  # practice | assessment
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every saved answer: a submit counts only the version it scored.
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Left without submitting, to start again: no longer in progress, never scored.
    abandoned_at: Mapped[datetime | None] = mapped_column(default=None)
    score_percent: Mapped[float | None] = mapped_column(default=None)
    passed: Mapped[bool | None] = mapped_column(default=None)
    # The order each option question's options were shown in: {question id: [option ids]}.
    option_order: Mapped[dict | None] = mapped_column(JSON, default=None)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def closed(self) -> bool:
        """Submitted or abandoned: it takes no more answers."""
        return self.submitted_at is not None or self.abandoned_at is not None

    def answer_to(self, question_id: str) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question_id), None)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_answers_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The judgement given at submission: {"levels": {...}, "review": [...], "automatic": bool}.
    judgement: Mapped[dict | None] = mapped_column(JSON, default=None)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
