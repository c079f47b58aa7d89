"""The quiz as an instrument: no quiz can be passed without reading it."""

from fractions import Fraction

import pytest

from academy.core import LANGUAGES
from academy.core.instrument import measure, table
from academy.core.quizzes import load_quiz
from academy.core.shuffle import draw_orders, in_order

from .conftest import FIXTURES, PROJECT

QUIZ_IDS = ["complacency", "customer-partner", "fair-and-balanced", "promises"]
SAMPLE = load_quiz(FIXTURES / "quizzes" / "sample.yaml")


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_surface_strategy_reaches_the_pass_mark(quiz_id, lang):
    quiz = load_quiz(PROJECT / "quizzes" / f"{quiz_id}.yaml")
    row = measure(quiz, lang)
    for name, score in row.strategies.items():
        assert score * 100 < quiz.pass_mark, (name, float(score))
    assert row.random * 100 < quiz.pass_mark
    assert row.longest_share <= Fraction(1, 4), table([row])


def test_the_random_responder_is_computed_exactly():
    # pick-one: levels (3,3), (1,2), (0,0) weighted 2:1 → credits 1, 4/9, 0 → mean 13/27.
    from academy.core.instrument import _expected_random

    assert _expected_random(SAMPLE, SAMPLE.question("pick-one")) == Fraction(13, 27)


def test_always_the_first_option_is_measured_in_file_order():
    row = measure(SAMPLE, "en")
    # pick-one a, best a/worst b, rank a-b-c-d, multi a+b, pick-again a, ...
    assert "position 1" in row.strategies and "longest" in row.strategies


def test_a_shuffled_order_keeps_every_option_once_and_survives_file_changes():
    import random

    orders = draw_orders(SAMPLE, random.Random(4))
    for question in SAMPLE.questions:
        if question.options:
            assert sorted(orders[question.id]) == sorted(question.option_ids)
            assert [o.id for o in in_order(question, orders)] == orders[question.id]
    question = SAMPLE.question("pick-one")
    stale = {"pick-one": ["c", "zz", "a"]}  # "zz" was removed, "b" was added since
    assert [o.id for o in in_order(question, stale)] == ["c", "a", "b"]
