"""Statistics of the instrument: agreement between two graders.

Pure functions on plain sequences, so the same code measures the automatic
judge against graded examples today and against managers' grades later.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def exact_agreement(first: Sequence[int], second: Sequence[int]) -> Fraction:
    """The share of items both graders put at the same level."""
    if len(first) != len(second):
        raise ValueError("both graders must grade the same items")
    if not first:
        return Fraction(0)
    return Fraction(sum(a == b for a, b in zip(first, second, strict=True)), len(first))


def quadratic_weighted_kappa(first: Sequence[int], second: Sequence[int], levels: int) -> float:
    """Cohen's kappa with quadratic weights, for levels ``0 … levels-1``.

    1 is perfect agreement, 0 is what chance would give, below 0 is worse than
    chance. When both graders give every item one and the same level there is
    no variation to agree on, and the result is 1 if they agree.
    """
    if len(first) != len(second):
        raise ValueError("both graders must grade the same items")
    n = len(first)
    if n == 0:
        return 0.0
    observed = [[0] * levels for _ in range(levels)]
    for a, b in zip(first, second, strict=True):
        observed[a][b] += 1
    rows = [sum(observed[i]) for i in range(levels)]
    cols = [sum(observed[i][j] for i in range(levels)) for j in range(levels)]
    span = (levels - 1) ** 2 or 1
    disagreement = 0.0
    expected = 0.0
    for i in range(levels):
        for j in range(levels):
            weight = (i - j) ** 2 / span
            disagreement += weight * observed[i][j]
            expected += weight * rows[i] * cols[j] / n
    if expected == 0:
        return 1.0 if disagreement == 0 else 0.0
    return 1.0 - disagreement / expected
