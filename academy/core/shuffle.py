"""The order options are shown in: shuffled once per attempt, then kept.

A learner sees each option question's options in an order drawn when the
attempt starts. The order is stored with the attempt, so it is the same on
reload, on every page and in the results, whatever the file order.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .quizzes import Option, Question, Quiz


def draw_orders(quiz: Quiz, rng: random.Random) -> dict[str, list[str]]:
    """A shuffled order of option ids for every option question of a quiz."""
    orders = {}
    for question in quiz.questions:
        if question.options:
            ids = list(question.option_ids)
            rng.shuffle(ids)
            orders[question.id] = ids
    return orders


def in_order(question: Question, order: Mapping[str, Sequence[str]] | None) -> tuple[Option, ...]:
    """The question's options in the stored order.

    Options the stored order does not know (added to the file later) follow
    in file order; ids the question no longer has are skipped.
    """
    stored = list((order or {}).get(question.id) or ())
    by_id = {o.id: o for o in question.options}
    shown = [by_id[i] for i in stored if i in by_id]
    return tuple(shown + [o for o in question.options if o.id not in stored])
