"""What a manager reads: the onboarding matrix, criterion profiles, calibration.

Every function issues a fixed number of queries whatever the number of
learners and attempts: attempts are summarised per module in SQL (GROUP BY),
and the status rules of :mod:`academy.core.progress` run on those summaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, delete, func, insert, select
from sqlalchemy.orm import aliased

from .core.progress import AttemptFacts, AttemptsSummary, ModuleState, summary_state
from .extensions import db
from .models import (
    Assignment,
    Attempt,
    AttemptCriterion,
    Membership,
    ModuleProgress,
    OnboardingPath,
    Team,
    User,
    utcnow,
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


def compute_summaries(assignment_ids, quiz_id: str | None = None) -> dict[tuple[int, str], dict]:
    """Each module's attempts summarised from the attempts themselves, in SQL.

    The values of ``module_progress`` rows, by (assignment id, quiz id).
    """
    where = [Attempt.assignment_id.in_(assignment_ids), Attempt.abandoned_at.is_(None)]
    if quiz_id is not None:
        where.append(Attempt.quiz_id == quiz_id)
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
        .where(*where)
        .group_by(Attempt.assignment_id, Attempt.quiz_id)
        .subquery()
    )
    best = aliased(Attempt)
    latest = aliased(Attempt)
    submitted = aliased(Attempt)
    rows = db.session.execute(
        select(
            grouped,
            latest.id.label("latest_id"),
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
    best_ids = {}
    wanted = [(r.assignment_id, r.quiz_id, r.best_number) for r in rows if r.best_number]
    if wanted:
        best_ids = {
            (a, q, n): i
            for i, a, q, n in db.session.execute(
                select(Attempt.id, Attempt.assignment_id, Attempt.quiz_id, Attempt.number).where(
                    Attempt.assignment_id.in_({a for a, _, _ in wanted}),
                    Attempt.number.in_({n for _, _, n in wanted}),
                )
            )
        }
    return {
        (row.assignment_id, row.quiz_id): {
            "used": row.used,
            "has_open": bool(row.open),
            "any_awaiting": bool(row.awaiting),
            "latest_submitted_awaiting": bool(
                row.latest_submitted is not None
                and row.sub_needs_review
                and row.sub_reviewed_at is None
            ),
            "best_attempt_id": best_ids.get((row.assignment_id, row.quiz_id, row.best_number)),
            "best_number": row.best_number,
            "best_percent": row.best_percent,
            "best_passed": bool(row.best_passed) if row.best_percent is not None else None,
            "best_at": row.best_at,
            "latest_attempt_id": row.latest_id,
            "latest_number": row.latest_final,
            "latest_percent": row.latest_percent,
            "latest_passed": row.latest_passed,
            "latest_at": row.latest_at,
        }
        for row in rows
    }


def refresh_progress(assignment_id: int | None, quiz_id: str) -> None:
    """Bring one module's progress row up to date with its attempts (in the caller's
    transaction). An upsert, so two workers refreshing the same row both succeed."""
    if assignment_id is None:
        return
    values = compute_summaries([assignment_id], quiz_id).get((assignment_id, quiz_id))
    values = values or {
        "used": 0,
        "has_open": False,
        "any_awaiting": False,
        "latest_submitted_awaiting": False,
    }
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    empty = {
        c: None
        for c in (
            "best_attempt_id",
            "best_number",
            "best_percent",
            "best_passed",
            "best_at",
            "latest_attempt_id",
            "latest_number",
            "latest_percent",
            "latest_passed",
            "latest_at",
        )
    }
    values = {**empty, **values, "updated_at": utcnow()}
    statement = upsert(ModuleProgress).values(
        assignment_id=assignment_id, quiz_id=quiz_id, **values
    )
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["assignment_id", "quiz_id"], set_=values)
    )


def rebuild_progress(assignment_ids: list[int]) -> None:
    """Every progress row of these assignments, rebuilt from their attempts in bulk
    (after a bulk load; in the caller's transaction)."""
    computed = compute_summaries(assignment_ids)
    db.session.execute(
        delete(ModuleProgress).where(ModuleProgress.assignment_id.in_(assignment_ids))
    )
    now = utcnow()
    if computed:
        db.session.execute(
            insert(ModuleProgress),
            [
                {"assignment_id": a, "quiz_id": q, "updated_at": now, **values}
                for (a, q), values in computed.items()
            ],
        )


def summaries(assignment_ids) -> dict[tuple[int, str], AttemptsSummary]:
    """Each module's summary from its progress row, by (assignment id, quiz id): one query."""
    out = {}
    table = ModuleProgress.__table__  # plain rows: thousands of them, no ORM objects needed
    for row in db.session.execute(select(table).where(table.c.assignment_id.in_(assignment_ids))):
        best = latest = None
        if row.best_percent is not None:
            best = AttemptFacts(
                row.best_number or 0,
                row.best_at,
                row.best_at,
                row.best_percent,
                bool(row.best_passed),
            )
        if row.latest_number is not None:
            latest = AttemptFacts(
                row.latest_number,
                row.latest_at,
                row.latest_at,
                row.latest_percent,
                bool(row.latest_passed),
            )
        out[(row.assignment_id, row.quiz_id)] = AttemptsSummary(
            used=row.used,
            has_open=row.has_open,
            any_awaiting=row.any_awaiting,
            latest_submitted_awaiting=row.latest_submitted_awaiting,
            best=best,
            latest=latest,
        )
    return out


EMPTY = AttemptsSummary(0, False, False, False, None, None)


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class AssignmentRef:
    id: int
    due_at: datetime
    counts: str
    attempt_limit: int | None


@dataclass
class MatrixRow:
    assignment: AssignmentRef
    learner: Named
    team: Named | None
    cells: list[ModuleState] = field(default_factory=list)

    @property
    def progress(self) -> float:
        return sum(c.done for c in self.cells) / len(self.cells) if self.cells else 0.0


def matrix(
    teams: list[Team], path: OnboardingPath, now: datetime, team_id: int | None = None
) -> list[MatrixRow]:
    """One row per learner of these teams holding the path, a state per module: 2 queries."""
    team_ids = [t.id for t in teams if team_id is None or t.id == team_id]
    members = select(Membership.user_id).where(Membership.team_id.in_(team_ids))
    rows = db.session.execute(
        select(
            Assignment.id,
            Assignment.due_at,
            Assignment.counts,
            Assignment.attempt_limit,
            User.id,
            User.name,
            Team.id,
            Team.name,
        )
        .join(User, User.id == Assignment.learner_id)
        .outerjoin(Team, Team.id == Assignment.team_id)
        .where(Assignment.path_id == path.id, Assignment.learner_id.in_(members))
        .order_by(Assignment.id)
    ).all()
    found = summaries(
        select(Assignment.id).where(
            Assignment.path_id == path.id, Assignment.learner_id.in_(members)
        )
    )
    out = []
    for a_id, due_at, counts, limit, user_id, user_name, t_id, t_name in rows:
        out.append(
            MatrixRow(
                AssignmentRef(a_id, due_at, counts, limit),
                Named(user_id, user_name),
                Named(t_id, t_name) if t_id is not None else None,
                [
                    summary_state(
                        found.get((a_id, m.quiz_id), EMPTY),
                        counts=counts,
                        due_at=due_at,
                        limit=limit,
                        now=now,
                    )
                    for m in path.modules
                ],
            )
        )
    return out


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


def criterion_averages(assignment_ids, quiz_ids: list[str]) -> list[CriterionAverage]:
    """The level on each criterion of these quizzes, over each learner's attempt that
    counts (best or latest, as the assignment says), averaged in SQL: one query.

    One attempt per learner and module, so a learner with many attempts does
    not weigh more than one with few; an attempt awaiting review is provisional
    and does not count.
    """
    counting = case(
        (Assignment.counts == "latest", ModuleProgress.latest_attempt_id),
        else_=ModuleProgress.best_attempt_id,
    )
    chosen = (
        select(counting.label("attempt_id"))
        .join(Assignment, Assignment.id == ModuleProgress.assignment_id)
        .where(
            ModuleProgress.assignment_id.in_(assignment_ids),
            ModuleProgress.quiz_id.in_(quiz_ids),
        )
        .subquery()
    )
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
        .where(AttemptCriterion.attempt_id.in_(select(chosen.c.attempt_id)))
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


# --- A short-lived, validated cache of the dashboard's computations ------------------

CACHE_SECONDS = 60
"""At most this old (relative due dates and "overdue" move with the clock)."""
_cache: dict[tuple, tuple[tuple, datetime, object]] = {}
_CACHE_SIZE = 64


def progress_token(path_id: int, team_ids: list[int]) -> tuple:
    """What changes whenever the dashboard of these teams and this path would: one query.

    Any write to an attempt updates its module's progress row; assigning the
    path or someone joining a team with it adds rows. A cached view is used
    only while this is the same.
    """
    row = db.session.execute(
        select(
            func.count(ModuleProgress.id),
            func.max(ModuleProgress.updated_at),
            func.count(func.distinct(Assignment.id)),
            func.max(Assignment.id),
            func.max(Membership.id),
        )
        .select_from(Membership)
        .join(
            Assignment,
            and_(Assignment.learner_id == Membership.user_id, Assignment.path_id == path_id),
        )
        .outerjoin(ModuleProgress, ModuleProgress.assignment_id == Assignment.id)
        .where(Membership.team_id.in_(team_ids))
    ).one()
    return tuple(row)


def cached(key: tuple, token: tuple, compute):
    """``compute()``, or its value from this worker's cache while ``token`` is unchanged."""
    now = utcnow()
    hit = _cache.get(key)
    if hit is not None and hit[0] == token and (now - hit[1]).total_seconds() < CACHE_SECONDS:
        return hit[2]
    value = compute()
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = (token, now, value)
    return value
