"""Database tables: people and teams, onboarding paths, attempts and answers.

An attempt belongs to an *owner key*: ``visitor:<token>`` for an anonymous
visitor, ``user:<id>`` for a signed-in user. Handing a visitor's attempts to
the account they register or sign in with is a single update of that key.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
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
        # Attempts within an assignment are numbered 1, 2, 3…: two starts that
        # race for the same number cannot both win, so a limit holds.
        UniqueConstraint("assignment_id", "quiz_id", "number", name="uq_attempts_number"),
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
    # Set when the attempt is part of an assignment: which one, and its number there.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL", name="fk_attempts_assignment"),
        default=None,
        index=True,
    )
    number: Mapped[int | None] = mapped_column(default=None)
    # An assigned attempt with written answers waits for its manager's grading.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The learner's own rating of each criterion before starting: {criterion id: level}.
    self_rating: Mapped[dict | None] = mapped_column(JSON, default=None)
    # The language the attempt was taken in (for item statistics by language).
    language: Mapped[str | None] = mapped_column(String(2), default=None)

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

    @property
    def awaiting_review(self) -> bool:
        return self.submitted_at is not None and self.needs_review and self.reviewed_at is None


class AttemptCriterion(db.Model):
    """An attempt's level on one rubric criterion, kept as rows so pages can average in SQL.

    ``level`` is the mean level the answers reached (0 … ``top``), as the
    profile on the results page shows it; ``self_rating`` is the level the
    learner gave themselves before starting, if they did.
    """

    __tablename__ = "attempt_criteria"
    __table_args__ = (UniqueConstraint("attempt_id", "criterion_id", name="uq_attempt_criteria"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[float] = mapped_column()
    top: Mapped[int] = mapped_column()
    evidence: Mapped[int] = mapped_column()
    self_rating: Mapped[int | None] = mapped_column(default=None)


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
    # The share of the question's credit it earned, in [0, 1], as stored with the judgement.
    credit: Mapped[float | None] = mapped_column(default=None)
    # Time spent on the question: seconds between the previous save and this one, summed.
    seconds: Mapped[int | None] = mapped_column(default=None)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


ROLES = ("learner", "manager", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    language: Mapped[str] = mapped_column(String(2), default="en")
    active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    # Part of the session's user id: bumping it signs out every other session.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(default=None)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def owner_key(self) -> str:
        return f"user:{self.id}"

    @property
    def manages(self) -> bool:
        return self.role in ("manager", "admin")


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    manager: Mapped[User] = relationship(lazy="joined")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_memberships"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")


class Invite(db.Model):
    """A one-time link that lets a new learner join a team."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    language: Mapped[str] = mapped_column(String(2))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    used_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )

    team: Mapped[Team] = relationship(lazy="joined")


class PasswordReset(db.Model):
    """A one-time link to choose a new password."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])


class OnboardingPath(db.Model):
    """An ordered list of modules (a lesson with its quiz) that a manager assigns."""

    __tablename__ = "paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[PathModule]] = relationship(
        order_by="PathModule.position", cascade="all, delete-orphan", lazy="selectin"
    )


class PathModule(db.Model):
    __tablename__ = "path_modules"
    __table_args__ = (
        UniqueConstraint("path_id", "position", name="uq_path_modules_position"),
        UniqueConstraint("path_id", "lesson", name="uq_path_modules_lesson"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("paths.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    lesson: Mapped[str] = mapped_column(String(64))  # the lesson's slug; its quiz follows it
    quiz_id: Mapped[str] = mapped_column(String(64))


class Assignment(db.Model):
    """A path given to one learner, with its rules."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("path_id", "learner_id", name="uq_assignments"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("paths.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None, index=True
    )
    assigned_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column()
    attempt_limit: Mapped[int | None] = mapped_column(default=None)  # None: unlimited
    counts: Mapped[str] = mapped_column(String(8), default="best")  # best | latest
    mode: Mapped[str] = mapped_column(String(16), default="assessment")  # practice | assessment

    path: Mapped[OnboardingPath] = relationship(lazy="joined")
    learner: Mapped[User] = relationship(lazy="joined", foreign_keys=[learner_id])
    team: Mapped[Team | None] = relationship(lazy="joined")


class TeamAssignment(db.Model):
    """A path assigned to a whole team: whoever joins the team later gets it too."""

    __tablename__ = "team_assignments"
    __table_args__ = (UniqueConstraint("team_id", "path_id", name="uq_team_assignments"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    path_id: Mapped[int] = mapped_column(ForeignKey("paths.id", ondelete="CASCADE"))
    assigned_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column()
    attempt_limit: Mapped[int | None] = mapped_column(default=None)
    counts: Mapped[str] = mapped_column(String(8), default="best")
    mode: Mapped[str] = mapped_column(String(16), default="assessment")


class ModuleProgress(db.Model):
    """Where one assigned module stands, kept up to date by every write to its attempts.

    A read model: the dashboard reads one row per learner and module instead
    of aggregating every attempt on each request. ``insight.refresh_progress``
    recomputes a row from the attempts, and the tests check that the two agree.
    """

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("assignment_id", "quiz_id", name="uq_module_progress"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(String(64))
    used: Mapped[int] = mapped_column(default=0)
    has_open: Mapped[bool] = mapped_column(default=False)
    any_awaiting: Mapped[bool] = mapped_column(default=False)
    latest_submitted_awaiting: Mapped[bool] = mapped_column(default=False)
    best_attempt_id: Mapped[int | None] = mapped_column(default=None)
    best_number: Mapped[int | None] = mapped_column(default=None)
    best_percent: Mapped[float | None] = mapped_column(default=None)
    best_passed: Mapped[bool | None] = mapped_column(default=None)
    best_at: Mapped[datetime | None] = mapped_column(default=None)
    latest_attempt_id: Mapped[int | None] = mapped_column(default=None)
    latest_number: Mapped[int | None] = mapped_column(default=None)
    latest_percent: Mapped[float | None] = mapped_column(default=None)
    latest_passed: Mapped[bool | None] = mapped_column(default=None)
    latest_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonRead(db.Model):
    __tablename__ = "lessons_read"
    __table_args__ = (UniqueConstraint("user_id", "lesson", name="uq_lessons_read"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(64))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(db.Model):
    """Proof that a learner passed every module of a path, checkable by its code."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), unique=True, default=None
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What it certifies, as it was on the day: learner, path, team, modules and scores.
    details: Mapped[dict] = mapped_column(JSON)


class Grade(db.Model):
    """One manager's grading of a written answer, kept for good (the audit trail)."""

    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    grader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    graded_at: Mapped[datetime] = mapped_column(default=utcnow)
    levels_before: Mapped[dict] = mapped_column(JSON)
    levels_after: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")

    grader: Mapped[User | None] = relationship(lazy="joined")
