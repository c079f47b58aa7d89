"""The status rules of assigned modules, due dates and self-assessment calibration (pure core)."""

from datetime import datetime, timedelta
from fractions import Fraction

import pytest

from academy.core.charts import line_chart
from academy.core.progress import (
    AttemptFacts,
    Due,
    calibration,
    counting_attempt,
    due,
    mean_gap,
    module_state,
    path_progress,
)

NOW = datetime(2026, 11, 29, 12, 0)
DUE = NOW + timedelta(days=3)


def attempt(number, *, submitted=True, percent=None, passed=None, waiting=False, day=1):
    started = datetime(2026, 11, day, 9, 0) + timedelta(hours=number)
    return AttemptFacts(
        number=number,
        started_at=started,
        submitted_at=started + timedelta(minutes=20) if submitted else None,
        percent=percent,
        passed=passed,
        awaiting_review=waiting,
    )


def state(attempts, counts="best", due_at=DUE, limit=None, now=NOW):
    return module_state(attempts, counts=counts, due_at=due_at, limit=limit, now=now)


def test_no_attempt_is_not_started_and_overdue_once_the_date_has_passed():
    assert state([]).status == "not_started"
    assert state([], due_at=NOW - timedelta(minutes=1)).status == "overdue"


def test_an_open_attempt_is_in_progress_until_the_due_date():
    assert state([attempt(1, submitted=False)]).status == "in_progress"
    late = state([attempt(1, submitted=False)], due_at=NOW - timedelta(days=1))
    assert late.status == "overdue"


def test_the_best_attempt_counts_so_a_later_fail_does_not_undo_a_pass():
    attempts = [attempt(1, percent=80, passed=True), attempt(2, percent=40, passed=False)]
    best = state(attempts, counts="best")
    assert best.status == "passed"
    assert best.counting.number == 1
    latest = state(attempts, counts="latest")
    assert latest.status == "failed"
    assert latest.counting.number == 2


def test_equal_best_scores_count_the_first_attempt_that_reached_them():
    attempts = [attempt(1, percent=75, passed=True), attempt(2, percent=75, passed=True)]
    assert counting_attempt(attempts, "best").number == 1


def test_a_pass_stays_passed_even_after_the_due_date():
    passed = [attempt(1, percent=90, passed=True)]
    assert state(passed, due_at=NOW - timedelta(days=5)).status == "passed"


def test_an_attempt_waiting_for_its_manager_is_awaiting_review_not_passed():
    waiting = [attempt(1, percent=85, passed=True, waiting=True)]
    result = state(waiting)
    assert result.status == "awaiting_review"
    assert result.counting is None  # a provisional score never counts


def test_with_latest_counting_a_new_attempt_in_review_hides_the_earlier_pass():
    attempts = [attempt(1, percent=90, passed=True), attempt(2, percent=50, waiting=True)]
    assert state(attempts, counts="latest").status == "awaiting_review"
    assert state(attempts, counts="best").status == "passed"


def test_a_failed_attempt_with_none_open_is_failed_and_the_limit_counts_attempts_left():
    result = state([attempt(1, percent=30, passed=False)], limit=2)
    assert result.status == "failed"
    assert (result.used, result.left) == (1, 1)
    assert state([attempt(1, percent=30, passed=False)]).left is None


def test_an_unknown_counting_rule_is_refused():
    with pytest.raises(ValueError):
        state([], counts="first")


def test_path_progress_is_the_share_of_modules_passed():
    passed = state([attempt(1, percent=90, passed=True)])
    failed = state([attempt(1, percent=10, passed=False)])
    assert path_progress([passed, failed, failed]) == Fraction(1, 3)
    assert path_progress([]) == 0


@pytest.mark.parametrize(
    ("due_at", "kind", "days"),
    [
        (datetime(2026, 12, 2, 9, 0), "due_in", 3),
        (datetime(2026, 11, 30, 0, 5), "due_in", 1),
        (datetime(2026, 11, 29, 23, 59), "due_today", 0),
        (datetime(2026, 11, 29, 8, 0), "overdue", 1),
        (datetime(2026, 11, 27, 23, 59), "overdue", 2),
    ],
)
def test_due_dates_are_counted_in_calendar_days(due_at, kind, days):
    assert due(due_at, NOW) == Due(kind, days)


def test_calibration_compares_each_rated_criterion_with_its_measured_mean():
    measured = {"a": (Fraction(1), 3), "b": (Fraction(5, 2), 3), "c": (Fraction(2), 3)}
    items = {c.criterion_id: c for c in calibration({"a": 3, "b": 2, "z": 1}, measured)}
    assert set(items) == {"a", "b"}  # "c" was not rated; "z" is not measured
    assert items["a"].direction == "higher"
    assert items["a"].gap == 2
    assert items["b"].direction == "close"  # half a level off is close enough
    assert mean_gap(list(items.values())) == Fraction(3, 4)
    assert calibration({"a": 1}, measured)[0].direction == "close"
    assert calibration({"a": 0}, {"a": (Fraction(2), 3)})[0].direction == "lower"


def test_calibration_ignores_ratings_outside_the_scale():
    measured = {"a": (Fraction(1), 3)}
    assert calibration({"a": 4}, measured) == []
    assert calibration({"a": -1}, measured) == []
    assert calibration({"a": True}, measured) == []
    assert mean_gap([]) is None


def test_the_line_chart_places_values_on_a_zero_to_hundred_scale_and_leaves_gaps():
    chart = line_chart(["1", "2", "3"], [("a", "A", [0, 50, None]), ("b", "B", [100, 100, 100])])
    a, b = chart.series
    top, bottom = chart.top, chart.top + chart.plot_height
    assert a.points[0] == (chart.left, bottom)
    assert a.points[1][1] == pytest.approx((top + bottom) / 2)
    assert len(a.points) == 2  # no point where the criterion had no evidence
    assert all(y == top for _, y in b.points)
    assert chart.x_ticks[-1][0] == chart.left + chart.plot_width
