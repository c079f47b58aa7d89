"""Onboarding paths, assignments, lessons read and certificates.

Reads gather what the status rules in :mod:`academy.core.progress` need in
a fixed number of queries, however many learners and attempts there are;
writes are small named functions, one transaction each.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .core.progress import AttemptFacts, ModuleState, module_state, path_progress
from .extensions import db
from .models import (
    Assignment,
    Attempt,
    Certificate,
    LessonRead,
    Membership,
    OnboardingPath,
    PathModule,
    Team,
    TeamAssignment,
    User,
    utcnow,
)

# --- Paths -------------------------------------------------------------------


def create_path(name: str, owner: User, modules: list[tuple[str, str]]) -> OnboardingPath:
    """A path of modules, each (lesson slug, quiz id), in the order given."""
    path = OnboardingPath(name=name.strip(), owner_id=owner.id)
    path.modules = [
        PathModule(position=i, lesson=lesson, quiz_id=quiz_id)
        for i, (lesson, quiz_id) in enumerate(modules, 1)
    ]
    db.session.add(path)
    db.session.commit()
    return path


def paths_visible_to(user: User) -> list[OnboardingPath]:
    query = select(OnboardingPath).order_by(OnboardingPath.name, OnboardingPath.id)
    if user.role != "admin":
        query = query.where(OnboardingPath.owner_id == user.id)
    return list(db.session.scalars(query))


def can_use_path(user: User, path: OnboardingPath) -> bool:
    return user.role == "admin" or (user.role == "manager" and path.owner_id == user.id)


# --- Assignments -------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    due_at: datetime
    attempt_limit: int | None
    counts: str
    mode: str


def assign(
    path: OnboardingPath, learners: list[User], rules: Rules, by: User, team: Team | None
) -> tuple[int, int]:
    """Assign the path to each learner; returns (assigned, already had it).

    ``team`` is set when the whole team was chosen: learners who join the team
    later get the path too.
    """
    assigned = skipped = 0
    if team is not None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    TeamAssignment(
                        team_id=team.id,
                        path_id=path.id,
                        assigned_by=by.id,
                        due_at=rules.due_at,
                        attempt_limit=rules.attempt_limit,
                        counts=rules.counts,
                        mode=rules.mode,
                    )
                )
        except IntegrityError:  # assigned to the team before: its rules stay
            pass
    for learner in learners:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Assignment(
                        path_id=path.id,
                        learner_id=learner.id,
                        team_id=team.id if team else None,
                        assigned_by=by.id,
                        due_at=rules.due_at,
                        attempt_limit=rules.attempt_limit,
                        counts=rules.counts,
                        mode=rules.mode,
                    )
                )
            assigned += 1
        except IntegrityError:
            skipped += 1
    db.session.commit()
    return assigned, skipped


def assignments_of(user: User) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.learner_id == user.id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )


def assignment_for(user: User, quiz_id: str) -> Assignment | None:
    """The learner's assignment that a start of this quiz belongs to, if any.

    Where several paths hold the quiz, the one due first that the learner has
    not passed yet; else the one due first.
    """
    candidates = list(
        db.session.scalars(
            select(Assignment)
            .join(PathModule, PathModule.path_id == Assignment.path_id)
            .where(Assignment.learner_id == user.id, PathModule.quiz_id == quiz_id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )
    if not candidates:
        return None
    states = module_states(candidates, utcnow())
    for assignment in candidates:
        if not states[(assignment.id, quiz_id)].done:
            return assignment
    return candidates[0]


def attempt_facts(assignment_ids: list[int]) -> dict[tuple[int, str], list[AttemptFacts]]:
    """Every attempt of these assignments, by (assignment id, quiz id), in one query."""
    facts: dict[tuple[int, str], list[AttemptFacts]] = defaultdict(list)
    if not assignment_ids:
        return facts
    rows = db.session.execute(
        select(
            Attempt.assignment_id,
            Attempt.quiz_id,
            Attempt.number,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score_percent,
            Attempt.passed,
            Attempt.needs_review,
            Attempt.reviewed_at,
        )
        .where(Attempt.assignment_id.in_(assignment_ids), Attempt.abandoned_at.is_(None))
        .order_by(Attempt.number)
    )
    for row in rows:
        facts[(row.assignment_id, row.quiz_id)].append(
            AttemptFacts(
                number=row.number or 0,
                started_at=row.started_at,
                submitted_at=row.submitted_at,
                percent=row.score_percent,
                passed=row.passed,
                awaiting_review=bool(
                    row.submitted_at and row.needs_review and row.reviewed_at is None
                ),
            )
        )
    return facts


def module_states(
    assignments: list[Assignment], now: datetime
) -> dict[tuple[int, str], ModuleState]:
    """The state of every module of these assignments, by (assignment id, quiz id)."""
    facts = attempt_facts([a.id for a in assignments])
    return {
        (a.id, module.quiz_id): module_state(
            facts.get((a.id, module.quiz_id), []),
            counts=a.counts,
            due_at=a.due_at,
            limit=a.attempt_limit,
            now=now,
        )
        for a in assignments
        for module in a.path.modules
    }


@dataclass(frozen=True)
class AssignmentView:
    """An assignment with the state of each of its modules, for a page."""

    assignment: Assignment
    modules: list[tuple[PathModule, ModuleState]]

    @property
    def progress(self):
        return path_progress([state for _, state in self.modules])

    @property
    def complete(self) -> bool:
        return bool(self.modules) and all(state.done for _, state in self.modules)


def onboarding_of(user: User, now: datetime) -> list[AssignmentView]:
    return views_of(assignments_of(user), now)


def views_of(assignments: list[Assignment], now: datetime) -> list[AssignmentView]:
    states = module_states(assignments, now)
    return [
        AssignmentView(a, [(m, states[(a.id, m.quiz_id)]) for m in a.path.modules])
        for a in assignments
    ]


def team_assignments(team: Team) -> list[Assignment]:
    """Every assignment held by the team's members (whoever assigned it)."""
    return list(
        db.session.scalars(
            select(Assignment)
            .join(Membership, Membership.user_id == Assignment.learner_id)
            .where(Membership.team_id == team.id)
            .order_by(Assignment.path_id, Assignment.id)
        )
    )


# --- Lessons read --------------------------------------------------------------


def mark_read(user: User, lesson: str) -> None:
    db.session.add(LessonRead(user_id=user.id, lesson=lesson))
    try:
        db.session.commit()
    except IntegrityError:  # already marked: reading twice changes nothing
        db.session.rollback()


def lessons_read(user: User) -> set[str]:
    return set(db.session.scalars(select(LessonRead.lesson).where(LessonRead.user_id == user.id)))


# --- Certificates --------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normal_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def certificate_for(assignment: Assignment) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.assignment_id == assignment.id))


def find_certificate(code: str) -> Certificate | None:
    normal = normal_code(code)
    if len(normal) != 14:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == normal))


def issue_certificate(
    view: AssignmentView, titles: dict[str, dict[str, str]]
) -> Certificate | None:
    """The path's certificate, issued once every module is passed (else None).

    ``titles`` gives each lesson's title in every language, so the
    certificate reads the same whatever language it is checked in.
    """
    if not view.complete:
        return None
    existing = certificate_for(view.assignment)
    if existing is not None:
        return existing
    a = view.assignment
    details = {
        "learner": a.learner.name,
        "path": a.path.name,
        "team": a.team.name if a.team else None,
        "manager": a.team.manager.name if a.team else None,
        "modules": [
            {
                "lesson": module.lesson,
                "quiz": module.quiz_id,
                "titles": titles.get(module.lesson, {}),
                "percent": state.counting.percent,
                "passed_on": state.counting.submitted_at.isoformat(),
            }
            for module, state in view.modules
        ],
    }
    certificate = Certificate(
        code=new_code(), assignment_id=a.id, user_id=a.learner_id, details=details
    )
    db.session.add(certificate)
    try:
        db.session.commit()
    except IntegrityError:  # issued by a parallel request
        db.session.rollback()
        return certificate_for(a)
    return certificate


def certificates_of(user: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )
