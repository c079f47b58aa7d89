"""What a manager reads: the onboarding matrix, criterion profiles, calibration.

Every function issues a fixed number of queries whatever the number of
learners and attempts: attempts are summarised per module in SQL (GROUP BY),
and the status rules of :mod:`academy.core.progress` run on those summaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from .core.progress import AttemptFacts, AttemptsSummary, ModuleState, summary_state
from .extensions import db
from .models import (
    Assignment,
    Attempt,
    AttemptCriterion,
    Membership,
    OnboardingPath,
    Team,
    User,
)


def visible_teams(user: User) -> list[Team]:
    query = select(Team).order_by(Team.name, Team.id)
    if user.role != "admin":
        query = query.where(Team.manager_id == user.id)
    return list(db.session.scalars(query))


def _final():
    return and_(
        Attempt.submitted_at.is_not(None),
        ~and_(Attempt.needs_review.is_(True), Attempt.reviewed_at.is_(None)),
    )


def _awaiting():
    return and_(
        Attempt.submitted_at.is_not(None),
        Attempt.needs_review.is_(True),
        Attempt.reviewed_at.is_(None),
    )


def summaries(assignment_ids) -> dict[tuple[int, str], AttemptsSummary]:
    """Each module's attempts summarised, by (assignment id, quiz id): one query.

    ``assignment_ids`` may be a list or a SELECT of ids.
    """
    grouped = (
        select(
            Attempt.assignment_id.label("assignment_id"),
            Attempt.quiz_id.label("quiz_id"),
            func.count().label("used"),
            func.sum(case((Attempt.submitted_at.is_(None), 1), else_=0)).label("open"),
            func.sum(case((_awaiting(), 1), else_=0)).label("awaiting"),
            func.max(case((_final(), Attempt.score_percent))).label("best_percent"),
            func.max(case((_final(), Attempt.number))).label("latest_final"),
            func.max(case((Attempt.submitted_at.is_not(None), Attempt.number))).label(
                "latest_submitted"
            ),
        )
        .where(Attempt.assignment_id.in_(assignment_ids), Attempt.abandoned_at.is_(None))
        .group_by(Attempt.assignment_id, Attempt.quiz_id)
        .subquery()
    )
    best = aliased(Attempt)
    latest = aliased(Attempt)
    submitted = aliased(Attempt)
    rows = db.session.execute(
        select(
            grouped,
            latest.score_percent.label("latest_percent"),
            latest.passed.label("latest_passed"),
            latest.submitted_at.label("latest_at"),
            submitted.needs_review.label("sub_needs_review"),
            submitted.reviewed_at.label("sub_reviewed_at"),
            func.min(best.number).label("best_number"),
            func.max(case((best.passed.is_(True), 1), else_=0)).label("best_passed"),
            func.min(best.submitted_at).label("best_at"),
        )
        .outerjoin(
            latest,
            and_(
                latest.assignment_id == grouped.c.assignment_id,
                latest.quiz_id == grouped.c.quiz_id,
                latest.number == grouped.c.latest_final,
            ),
        )
        .outerjoin(
            submitted,
            and_(
                submitted.assignment_id == grouped.c.assignment_id,
                submitted.quiz_id == grouped.c.quiz_id,
                submitted.number == grouped.c.latest_submitted,
            ),
        )
        .outerjoin(
            best,
            and_(
                best.assignment_id == grouped.c.assignment_id,
                best.quiz_id == grouped.c.quiz_id,
                best.score_percent == grouped.c.best_percent,
                best.abandoned_at.is_(None),
                best.submitted_at.is_not(None),
                ~and_(best.needs_review.is_(True), best.reviewed_at.is_(None)),
            ),
        )
        .group_by(*grouped.c, latest.id, submitted.id)
    ).all()
    out = {}
    for row in rows:
        best_facts = latest_facts = None
        if row.best_percent is not None:
            best_facts = AttemptFacts(
                row.best_number, row.best_at, row.best_at, row.best_percent, bool(row.best_passed)
            )
        if row.latest_final is not None:
            latest_facts = AttemptFacts(
                row.latest_final,
                row.latest_at,
                row.latest_at,
                row.latest_percent,
                bool(row.latest_passed),
            )
        out[(row.assignment_id, row.quiz_id)] = AttemptsSummary(
            used=row.used,
            has_open=bool(row.open),
            any_awaiting=bool(row.awaiting),
            latest_submitted_awaiting=bool(
                row.latest_submitted is not None
                and row.sub_needs_review
                and row.sub_reviewed_at is None
            ),
            best=best_facts,
            latest=latest_facts,
        )
    return out


EMPTY = AttemptsSummary(0, False, False, False, None, None)


@dataclass
class MatrixRow:
    assignment: Assignment
    learner: User
    team: Team | None
    cells: list[ModuleState] = field(default_factory=list)

    @property
    def progress(self) -> float:
        return sum(c.done for c in self.cells) / len(self.cells) if self.cells else 0.0


def matrix(
    teams: list[Team], path: OnboardingPath, now: datetime, team_id: int | None = None
) -> list[MatrixRow]:
    """One row per learner of these teams holding the path, a state per module: 3 queries."""
    team_ids = [t.id for t in teams if team_id is None or t.id == team_id]
    members = select(Membership.user_id).where(Membership.team_id.in_(team_ids))
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.path_id == path.id, Assignment.learner_id.in_(members))
            .order_by(Assignment.id)
        )
    )
    found = summaries([a.id for a in assignments])
    return [
        MatrixRow(
            a,
            a.learner,
            a.team,
            [
                summary_state(
                    found.get((a.id, m.quiz_id), EMPTY),
                    counts=a.counts,
                    due_at=a.due_at,
                    limit=a.attempt_limit,
                    now=now,
                )
                for m in path.modules
            ],
        )
        for a in assignments
    ]


def paths_in_use(teams: list[Team]) -> list[OnboardingPath]:
    """The paths assigned to anyone in these teams, most assigned first."""
    team_ids = [t.id for t in teams]
    members = select(Membership.user_id).where(Membership.team_id.in_(team_ids))
    rows = db.session.execute(
        select(OnboardingPath, func.count(Assignment.id))
        .join(Assignment, Assignment.path_id == OnboardingPath.id)
        .where(Assignment.learner_id.in_(members))
        .group_by(OnboardingPath.id)
        .order_by(func.count(Assignment.id).desc(), OnboardingPath.name)
    ).all()
    return [path for path, _count in rows]


@dataclass(frozen=True)
class CriterionAverage:
    quiz_id: str
    criterion_id: str
    share: float
    """The mean level as a share of the top level, in [0, 1]."""
    attempts: int
    self_gap: float | None
    """Mean of (self-rating − level) in levels, over attempts with a self-rating."""
    rated: int


def criterion_averages(learner_ids, quiz_ids: list[str]) -> list[CriterionAverage]:
    """The team's level on each criterion of these quizzes, averaged in SQL: one query.

    The attempts of the learners' assignments count, once final (an attempt
    awaiting review is provisional).
    """
    gap = case(
        (
            AttemptCriterion.self_rating.is_not(None),
            AttemptCriterion.self_rating - AttemptCriterion.level,
        )
    )
    rows = db.session.execute(
        select(
            Attempt.quiz_id,
            AttemptCriterion.criterion_id,
            func.avg(AttemptCriterion.level * 1.0 / AttemptCriterion.top),
            func.count(),
            func.avg(gap),
            func.count(AttemptCriterion.self_rating),
        )
        .join(Attempt, Attempt.id == AttemptCriterion.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(
            Assignment.learner_id.in_(learner_ids),
            Attempt.quiz_id.in_(quiz_ids),
            Attempt.abandoned_at.is_(None),
            _final(),
        )
        .group_by(Attempt.quiz_id, AttemptCriterion.criterion_id)
    ).all()
    return [
        CriterionAverage(quiz, criterion, float(share), n, None if g is None else float(g), rated)
        for quiz, criterion, share, n, g, rated in rows
    ]


def statuses_count(rows: list[MatrixRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        for cell in row.cells:
            counts[cell.status] += 1
    return dict(counts)
