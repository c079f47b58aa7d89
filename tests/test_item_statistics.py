"""Item statistics against values worked out by hand, and their edge cases."""

import pytest

from academy.core.item_statistics import (
    alpha_if_deleted,
    cronbach_alpha,
    facility,
    item_rest_correlation,
    language_difference,
    median,
    quiz_statistics,
)

# Four attempts at three items, a perfect Guttman pattern:
#   totals 3, 2, 1, 0 (mean 1.5, variance 1.25); item variances .1875, .25, .1875.
GUTTMAN = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_facility_is_the_mean_share_of_the_credit():
    assert facility([1, 1, 1, 0]) == 0.75
    assert facility([1, 2 / 3, 1 / 3, 0]) == pytest.approx(0.5)
    assert facility([]) is None


def test_cronbach_alpha_by_hand():
    # 3/2 · (1 − 0.625 / 1.25) = 0.75
    assert cronbach_alpha(GUTTMAN) == pytest.approx(0.75)


def test_alpha_if_an_item_is_deleted_by_hand():
    # Without item 0: totals 2, 1, 0, 0 (variance 0.6875); item variances .25 + .1875.
    # 2 · (1 − 0.4375 / 0.6875) = 0.72727…
    assert alpha_if_deleted(GUTTMAN, 0) == pytest.approx(0.727272, abs=1e-5)


def test_discrimination_is_the_correlation_with_the_rest_of_the_quiz_by_hand():
    # Item 1 = 1, 1, 0, 0; rest = 2, 1, 1, 0: r = 1 / √2.
    assert item_rest_correlation(GUTTMAN, 1) == pytest.approx(2**-0.5)
    # Item 0 = 1, 1, 0, 1 against rest 1, 0, 2, 2: r = −0.75 / √(0.75 · 2.75).
    reversed_item = [[1, 1, 0], [1, 0, 0], [0, 1, 1], [1, 1, 1]]
    assert item_rest_correlation(reversed_item, 0) == pytest.approx(-0.522233, abs=1e-6)


def test_zero_variance_gives_no_number_rather_than_a_wrong_one():
    same = [[1, 1, 1]] * 5
    assert cronbach_alpha(same) is None
    assert item_rest_correlation(same, 0) is None
    assert facility([row[0] for row in same]) == 1


def test_a_single_attempt_has_no_reliability_or_discrimination():
    assert cronbach_alpha([[1, 0, 1]]) is None
    assert item_rest_correlation([[1, 0, 1]], 0) is None
    assert cronbach_alpha([]) is None


def test_a_single_item_has_no_alpha():
    assert cronbach_alpha([[1], [0], [1]]) is None


def test_median_time():
    assert median([30, 10, 20]) == 20
    assert median([10, 20, 30, 40]) == 25
    assert median([]) is None


def test_an_item_much_harder_in_one_language_is_flagged():
    fair = language_difference({"pl": [1, 0] * 5, "en": [1, 0] * 5, "bg": [0, 1] * 5})
    assert not fair.flagged
    assert fair.facility == {"pl": 0.5, "en": 0.5, "bg": 0.5}
    unfair = language_difference(
        {"pl": [1] * 9 + [0], "en": [1] * 8 + [0] * 2, "ro": [0] * 9 + [1]}
    )
    assert unfair.flagged
    assert unfair.hardest == "ro"
    assert unfair.gap == pytest.approx(0.85 - 0.1)
    assert unfair.p_value < 0.01


def test_languages_with_too_few_attempts_are_left_out_of_the_test():
    few = language_difference({"pl": [1] * 10, "bg": [0] * 3})
    assert few.p_value is None and not few.flagged
    assert few.counts == {"pl": 10, "bg": 3}
    identical = language_difference({"pl": [1] * 6, "en": [1] * 6})
    assert identical.p_value is None and not identical.flagged


def test_flags_for_easy_hard_undiscriminating_and_unused_options():
    rows = [[1, 0, 1, 0], [1, 0, 0, 1], [1, 0, 1, 1], [1, 0, 0, 0]] * 3
    stats = quiz_statistics(
        ["easy", "hard", "a", "b"],
        rows,
        options={"easy": {"a": 12, "b": 0}},
        seconds={"easy": [10, 20, 40]},
    )
    by_id = {item.question_id: item for item in stats.items}
    assert "too_easy" in by_id["easy"].flags and "unused_option" in by_id["easy"].flags
    assert "too_hard" in by_id["hard"].flags
    assert by_id["easy"].discrimination is None  # every attempt got it: no variance
    assert by_id["easy"].median_seconds == 20
    assert stats.enough and stats.attempts == 12
    assert not quiz_statistics(["x"], [[1]] * 9).enough
