"""Where a learner stands: module statuses, due dates, self-assessment calibration.

Pure rules over plain facts, so the learner's home, the manager's pages and
the tests all read the same answers: no clock (``now`` is passed in), no
database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

STATUSES = ("not_started", "in_progress", "awaiting_review", "passed", "failed", "overdue")
COUNTS = ("best", "latest")


@dataclass(frozen=True)
class AttemptFacts:
    """What the status rules need to know about one attempt."""

    number: int
    started_at: datetime
    submitted_at: datetime | None
    percent: float | None
    passed: bool | None
    awaiting_review: bool = False

    @property
    def scored(self) -> bool:
        """Submitted, and its score is final (no written answer waits for review)."""
        return self.submitted_at is not None and not self.awaiting_review


@dataclass(frozen=True)
class ModuleState:
    status: str
    counting: AttemptFacts | None
    """The attempt whose score counts (best or latest, among final scores)."""
    used: int
    left: int | None
    """Attempts the learner may still start; None when there is no limit."""
    has_open: bool

    @property
    def done(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class AttemptsSummary:
    """All the status rules need from a module's attempts; SQL can compute it too."""

    used: int
    has_open: bool
    any_awaiting: bool
    latest_submitted_awaiting: bool
    best: AttemptFacts | None
    """The best final attempt (the earlier on a tie)."""
    latest: AttemptFacts | None
    """The latest final attempt."""


def counting_attempt(attempts: Iterable[AttemptFacts], counts: str) -> AttemptFacts | None:
    """The attempt that counts: the best final score, or the latest final one.

    Ties between equal best scores go to the earlier attempt: the learner
    reached that score first.
    """
    summary = summarize(list(attempts))
    return summary.latest if counts == "latest" else summary.best


def summarize(attempts: Sequence[AttemptFacts]) -> AttemptsSummary:
    scored = sorted((a for a in attempts if a.scored), key=lambda a: (a.submitted_at, a.number))
    submitted = sorted(
        (a for a in attempts if a.submitted_at is not None),
        key=lambda a: (a.submitted_at, a.number),
    )
    return AttemptsSummary(
        used=len(attempts),
        has_open=any(a.submitted_at is None for a in attempts),
        any_awaiting=any(a.awaiting_review for a in attempts),
        latest_submitted_awaiting=bool(submitted) and submitted[-1].awaiting_review,
        best=max(scored, key=lambda a: (a.percent or 0, -a.number)) if scored else None,
        latest=scored[-1] if scored else None,
    )


def module_state(
    attempts: Sequence[AttemptFacts],
    *,
    counts: str,
    due_at: datetime | None,
    limit: int | None,
    now: datetime,
) -> ModuleState:
    """The status of one assigned module, from its attempts (see :func:`summary_state`)."""
    return summary_state(summarize(attempts), counts=counts, due_at=due_at, limit=limit, now=now)


def summary_state(
    summary: AttemptsSummary,
    *,
    counts: str,
    due_at: datetime | None,
    limit: int | None,
    now: datetime,
) -> ModuleState:
    """The status of one assigned module.

    In order: *passed* when the attempt that counts passed; *awaiting
    review* when a submitted attempt waits for its manager (and none passed);
    *overdue* once the due date has gone by; *in progress* with an attempt
    open; *failed* when the attempt that counts failed; else *not started*.
    """
    if counts not in COUNTS:
        raise ValueError(f"unknown rule {counts!r}")
    counting = summary.latest if counts == "latest" else summary.best
    waiting = summary.latest_submitted_awaiting if counts == "latest" else summary.any_awaiting
    left = None if limit is None else max(0, limit - summary.used)
    if counting is not None and counting.passed and not (counts == "latest" and waiting):
        status = "passed"
    elif waiting:
        status = "awaiting_review"
    elif due_at is not None and now > due_at:
        status = "overdue"
    elif summary.has_open:
        status = "in_progress"
    elif counting is not None:
        status = "failed"
    else:
        status = "not_started"
    return ModuleState(status, counting, summary.used, left, summary.has_open)


def path_progress(states: Sequence[ModuleState]) -> Fraction:
    """The share of a path's modules passed."""
    if not states:
        return Fraction(0)
    return Fraction(sum(1 for s in states if s.done), len(states))


@dataclass(frozen=True)
class Due:
    """When something is due, relative to today, in whole calendar days."""

    kind: str  # "due_in" | "due_today" | "overdue"
    days: int


def due(due_at: datetime, now: datetime) -> Due:
    """Days until (or since) a due date, counted in calendar days."""
    days = (due_at.date() - now.date()).days
    if days > 0:
        return Due("due_in", days)
    if days == 0 and now <= due_at:
        return Due("due_today", 0)
    return Due("overdue", max(1, -days))


# --- Self-assessment -------------------------------------------------------

CLOSE_ENOUGH = Fraction(1, 2)
"""A self-rating within half a level of the measured mean counts as accurate."""


@dataclass(frozen=True)
class Calibration:
    """A learner's own rating of a criterion against the level their answers showed."""

    criterion_id: str
    rated: int
    measured: Fraction
    top: int

    @property
    def gap(self) -> Fraction:
        """Self-rating minus measured level, in levels (positive: rated higher)."""
        return self.rated - self.measured

    @property
    def direction(self) -> str:
        if abs(self.gap) <= CLOSE_ENOUGH:
            return "close"
        return "higher" if self.gap > 0 else "lower"


def calibration(
    self_rating: Mapping[str, int], measured: Mapping[str, tuple[Fraction, int]]
) -> list[Calibration]:
    """Each rated criterion against its measured mean level.

    ``measured`` maps criterion ids to (mean level, top level); criteria the
    learner did not rate, or that the quiz gave no evidence on, are left out.
    """
    out = []
    for criterion_id, (mean, top) in measured.items():
        rated = self_rating.get(criterion_id)
        if isinstance(rated, int) and not isinstance(rated, bool) and 0 <= rated <= top:
            out.append(Calibration(criterion_id, rated, Fraction(mean), top))
    return out


def mean_gap(items: Sequence[Calibration]) -> Fraction | None:
    """The average gap of one attempt, in levels: how far the learner over- or under-rates."""
    if not items:
        return None
    return sum((c.gap for c in items), Fraction(0)) / len(items)
