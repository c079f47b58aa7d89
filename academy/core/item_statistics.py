"""Item statistics of a quiz: facility, discrimination, reliability, language fairness.

Classical test theory on the scores of submitted attempts, as Moodle's quiz
statistics and most psychometric textbooks compute them. Pure functions on
plain numbers; the formulas and the reasons for each choice are in
docs/scoring.md, and tests check them against values worked out by hand.

Every item score is the share of the question's credit the answer earned, in
[0, 1]; an unanswered question scores 0. Undefined values (no variance, too
few attempts) are ``None``, never a made-up number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_ATTEMPTS = 10
"""Below this many submitted attempts, statistics are not shown: they would mislead."""

TOO_EASY = 0.9
TOO_HARD = 0.2
LOW_DISCRIMINATION = 0.2
LANGUAGE_GAP = 0.2
"""How much lower one language's facility must be than the others' to be flagged…"""
LANGUAGE_P = 0.05
"""…and how unlikely by chance (p-value of the test) the difference must be."""
MIN_PER_LANGUAGE = 5


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def variance(values: Sequence[float]) -> float | None:
    """The population variance (divided by n), as classical test theory uses it."""
    if not values:
        return None
    m = sum(values) / len(values)
    return sum((v - m) ** 2 for v in values) / len(values)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary."""
    if len(xs) != len(ys):
        raise ValueError("both sides need the same number of values")
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def facility(scores: Sequence[float]) -> float | None:
    """The mean item score divided by the maximum (1): the share of the credit earned."""
    return mean(scores)


def item_rest_correlation(matrix: Sequence[Sequence[float]], item: int) -> float | None:
    """Discrimination: the item's correlation with the rest of the quiz.

    "Corrected" item–total correlation: the item's own score is left out of
    the total it is correlated with, so an item does not correlate with itself.
    """
    item_scores = [row[item] for row in matrix]
    rest = [sum(row) - row[item] for row in matrix]
    return correlation(item_scores, rest)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha: k/(k−1) · (1 − Σ item variances / variance of totals).

    None with fewer than two items, fewer than two attempts, or totals that
    do not vary (every attempt scored the same).
    """
    if len(matrix) < 2 or not matrix[0] or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    totals = [sum(row) for row in matrix]
    total_variance = variance(totals)
    if not total_variance:
        return None
    item_variances = sum(variance([row[i] for row in matrix]) for i in range(k))
    return k / (k - 1) * (1 - item_variances / total_variance)


def alpha_if_deleted(matrix: Sequence[Sequence[float]], item: int) -> float | None:
    """Cronbach's alpha of the quiz without this item."""
    return cronbach_alpha([[v for i, v in enumerate(row) if i != item] for row in matrix])


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class LanguageDifference:
    """Is the item harder in one language than in the others?"""

    facility: dict[str, float]
    counts: dict[str, int]
    p_value: float | None
    """Kruskal–Wallis test across the languages with enough attempts."""
    hardest: str | None
    gap: float | None
    """How far the hardest language's facility is below the mean of the others."""

    @property
    def flagged(self) -> bool:
        return (
            self.p_value is not None
            and self.p_value < LANGUAGE_P
            and self.gap is not None
            and self.gap >= LANGUAGE_GAP
        )


def language_difference(scores_by_language: Mapping[str, Sequence[float]]) -> LanguageDifference:
    """Facility per language, and a test of whether the languages differ.

    The Kruskal–Wallis H test (scipy) compares the languages' item scores
    without assuming they are normal (they are mostly 0, ⅓, ⅔ and 1); only
    languages with at least MIN_PER_LANGUAGE attempts take part.
    """
    from scipy.stats import kruskal

    facilities = {lang: mean(s) for lang, s in scores_by_language.items() if s}
    counts = {lang: len(s) for lang, s in scores_by_language.items()}
    groups = {lang: list(s) for lang, s in scores_by_language.items() if len(s) >= MIN_PER_LANGUAGE}
    p_value = hardest = gap = None
    if len(groups) >= 2:
        everything = [v for s in groups.values() for v in s]
        if len(set(everything)) > 1:
            p_value = float(kruskal(*groups.values()).pvalue)
        hardest = min(groups, key=lambda lang: facilities[lang])
        others = [v for lang, s in groups.items() if lang != hardest for v in s]
        gap = mean(others) - facilities[hardest]
    return LanguageDifference(facilities, counts, p_value, hardest, gap)


@dataclass(frozen=True)
class ItemStatistics:
    question_id: str
    attempts: int
    facility: float | None
    discrimination: float | None
    alpha_if_deleted: float | None
    median_seconds: float | None
    options: dict[str, int] = field(default_factory=dict)
    """How often each option was chosen (for option questions)."""
    by_language: LanguageDifference | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        found = []
        if self.facility is not None and self.facility > TOO_EASY:
            found.append("too_easy")
        if self.facility is not None and self.facility < TOO_HARD:
            found.append("too_hard")
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            found.append(
                "negative_discrimination" if self.discrimination < 0 else "low_discrimination"
            )
        if self.options and any(count == 0 for count in self.options.values()):
            found.append("unused_option")
        if self.by_language is not None and self.by_language.flagged:
            found.append("language_gap")
        return tuple(found)


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    alpha: float | None
    items: list[ItemStatistics]
    enough: bool


def quiz_statistics(
    question_ids: Sequence[str],
    matrix: Sequence[Sequence[float]],
    *,
    options: Mapping[str, Mapping[str, int]] | None = None,
    seconds: Mapping[str, Sequence[float]] | None = None,
    languages: Sequence[str] | None = None,
) -> QuizStatistics:
    """Every statistic of a quiz from its score matrix (one row per attempt).

    ``options`` counts the choices per question and option id (every option
    listed, zeros included); ``seconds`` holds the time spent on each question;
    ``languages`` gives each row's language, for the fairness test.
    """
    n = len(matrix)
    items = []
    for index, question_id in enumerate(question_ids):
        column = [row[index] for row in matrix]
        by_language = None
        if languages is not None:
            grouped: dict[str, list[float]] = {}
            for lang, value in zip(languages, column, strict=True):
                grouped.setdefault(lang, []).append(value)
            by_language = language_difference(grouped)
        items.append(
            ItemStatistics(
                question_id=question_id,
                attempts=n,
                facility=facility(column),
                discrimination=item_rest_correlation(matrix, index) if n else None,
                alpha_if_deleted=alpha_if_deleted(matrix, index) if n else None,
                median_seconds=median((seconds or {}).get(question_id, [])),
                options=dict((options or {}).get(question_id, {})),
                by_language=by_language,
            )
        )
    return QuizStatistics(n, cronbach_alpha(matrix), items, n >= MIN_ATTEMPTS)
