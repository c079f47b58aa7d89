"""Rubric scoring, checked against examples computed by hand (see docs/scoring.md)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.core.errors import InvalidAnswer
from academy.core.quizzes import load_quiz
from academy.core.scoring import (
    QuizResult,
    credit,
    keyed_response,
    level_for,
    parse_response,
    score_question,
    score_quiz,
    stored_score,
)

from .conftest import FIXTURES

QUIZ = load_quiz(FIXTURES / "quizzes" / "sample.yaml")


def q(question_id):
    return QUIZ.question(question_id)


def test_choice_takes_the_levels_of_the_chosen_option():
    score = score_question(QUIZ, q("pick-one"), {"option": "b"})
    assert score.levels == {"asks-first": 1, "protects-margin": 2}
    # Within the question: asks-first weighs 2 (1/3), protects-margin 1 (2/3).
    assert score.credit == (2 * Fraction(1, 3) + 1 * Fraction(2, 3)) / 3


def test_best_worst_credits_closeness_to_the_keyed_ratings():
    # Ratings a5 b3 c1 d2. Best b: (3−1)/(5−1) = 1/2. Worst d: (5−2)/4 = 3/4. Mean 5/8.
    assert credit(q("best-and-worst"), {"best": "b", "worst": "d"}) == Fraction(5, 8)
    # 5/8 of 3 levels is 1.875, which rounds down to level 1.
    assert score_question(QUIZ, q("best-and-worst"), {"best": "b", "worst": "d"}).levels == {
        "asks-first": 1
    }


def test_best_worst_reversed_gets_nothing():
    score = score_question(QUIZ, q("best-and-worst"), {"best": "c", "worst": "a"})
    assert score.levels == {"asks-first": 0}


def test_rank_gives_near_miss_credit_per_option():
    # Keyed c1 a2 d3 b4. Given a1 c2 d3 b4: credits 1 + 1 + 2 + 2 = 6 of 2 × 4.
    order = {"order": ["a", "c", "d", "b"]}
    assert credit(q("put-in-order"), order) == Fraction(6, 8)
    assert score_question(QUIZ, q("put-in-order"), order).levels == {"protects-margin": 2}


@pytest.mark.parametrize("question_id", ["put-in-order", "more-order"])
def test_a_fully_reversed_ranking_earns_level_0(question_id):
    question = q(question_id)
    keyed = keyed_response(question)["order"]
    # Four options: 0 + 1 + 1 + 0 = 2 of 8 → 0.75 → level 0.
    # Five options: 0 + 0 + 2 + 0 + 0 = 2 of 10 → 0.6 → level 0.
    score = score_question(QUIZ, question, {"order": list(reversed(keyed))})
    assert set(score.levels.values()) == {0}


def test_multi_gives_linear_credit_so_a_partial_answer_is_partly_met():
    assert credit(q("pick-two"), {"options": ["a", "b"]}) == Fraction(1, 2)
    # One of two keyed options: 1/2 × 3 = 1.5, rounded down to level 1, never "meets".
    assert score_question(QUIZ, q("pick-two"), {"options": ["a", "b"]}).levels == {
        "keeps-promises": 1
    }
    assert score_question(QUIZ, q("pick-two"), {"options": ["a", "c"]}).levels == {
        "keeps-promises": 3
    }
    assert score_question(QUIZ, q("pick-two"), {"options": ["b", "d"]}).levels == {
        "keeps-promises": 0
    }


def test_every_question_counts_the_same_towards_the_quiz():
    # pick-one earns its full credit; every other question earns nothing.
    result = score_quiz(QUIZ, {"pick-one": {"option": "a"}})
    assert result.score == Fraction(1, len(QUIZ.questions))
    assert result.percent == 12  # 1/8 = 12.5 %, shown rounded down
    assert not result.passed


def test_no_question_weighs_more_than_15_percent_of_a_quiz():
    for question in QUIZ.questions:
        if question.type == "text":
            continue
        keyed = {question.id: keyed_response(question)}
        assert score_quiz(QUIZ, keyed).score <= Fraction(15, 100)


def test_the_displayed_percentage_is_rounded_down_so_a_fail_never_shows_the_pass_mark():
    # 69.7 % against a pass mark of 70: shown as 69, and not passed.
    result = QuizResult({}, Fraction(697, 1000), 70, ())
    assert result.percent == 69
    assert not result.passed
    exactly = QuizResult({}, Fraction(7, 10), 70, ())
    assert exactly.percent == 70 and exactly.passed


def test_profile_averages_levels_per_criterion():
    result = score_quiz(
        QUIZ, {"pick-one": {"option": "b"}, "best-and-worst": {"best": "a", "worst": "c"}}
    )
    profile = {p.criterion_id: p for p in result.profile}
    # asks-first: pick-one (1), best-and-worst (3), write-reply (0), more-order (0).
    assert profile["asks-first"].evidence == 4
    assert profile["asks-first"].mean_level == Fraction(4, 4)
    assert profile["asks-first"].percent == pytest.approx(100 / 3)


def test_pass_mark_is_inclusive():
    options = {q.id: keyed_response(q) for q in QUIZ.questions if q.type != "text"}
    # Seven of eight questions at full credit: 87.5 % against a pass mark of 60.
    assert score_quiz(QUIZ, options).passed


def test_a_stored_judgement_is_shown_as_stored():
    stored = {"levels": {"keeps-promises": 2, "asks-first": 1}, "review": [], "automatic": True}
    score = stored_score(QUIZ, q("write-reply"), stored)
    assert score.levels == {"keeps-promises": 2, "asks-first": 1}
    held = stored_score(QUIZ, q("write-reply"), {**stored, "review": ["phrase-list"]})
    assert held.levels == {"keeps-promises": 0, "asks-first": 0}
    assert held.suggested == {"keeps-promises": 2, "asks-first": 1}
    assert held.credit == 0


@pytest.mark.parametrize(
    "fraction, top, level",
    [
        (Fraction(0), 3, 0),
        (Fraction(1, 6), 3, 0),
        (Fraction(1, 2), 3, 1),
        (Fraction(1, 3), 3, 1),
        (Fraction(2, 3), 3, 2),
        (Fraction(1), 3, 3),
        (Fraction(1, 2), 2, 1),
    ],
)
def test_level_for_rounds_down(fraction, top, level):
    assert level_for(fraction, top) == level


# --- Refused answers -------------------------------------------------------


@pytest.mark.parametrize(
    "question_id, raw, code",
    [
        ("pick-one", {"option": "z"}, "unknown_option"),
        ("pick-one", {"option": None}, "missing"),
        ("pick-one", {"option": 3}, "wrong_type"),
        ("best-and-worst", {"best": "a", "worst": "a"}, "same_best_worst"),
        ("put-in-order", {"order": ["a", "a", "b", "c"]}, "tied_ranks"),
        ("put-in-order", {"order": ["a", "b"]}, "rank_incomplete"),
        ("put-in-order", {"order": "abcd"}, "wrong_type"),
        ("pick-two", {"options": ["a", "b", "c"]}, "too_many"),
        ("pick-two", {"options": ["a", "a"]}, "duplicate"),
        ("pick-two", {"options": ["a", "x"]}, "unknown_option"),
        ("pick-two", {"options": []}, "missing"),
        ("write-reply", {"text": "x" * 5001, "lang": "en"}, "too_long"),
        ("write-reply", {"text": "   ", "lang": "en"}, "missing"),
        ("write-reply", {"text": "hi", "lang": "de"}, "wrong_type"),
        ("write-reply", {"text": "ok", "lang": "en"}, "too_short"),
        ("write-reply", {"text": "…  \u200b 👍", "lang": "en"}, "too_short"),
        ("pick-two", {"options": ()}, "missing"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_a_code(question_id, raw, code):
    with pytest.raises(InvalidAnswer) as refused:
        parse_response(q(question_id), raw)
    assert refused.value.code == code


def test_a_text_of_exactly_the_limit_is_accepted():
    text = ("word " * 1000)[:5000]
    assert parse_response(q("write-reply"), {"text": text, "lang": "en"})["text"]


def test_unknown_question_ids_are_rejected_by_the_quiz_score():
    with pytest.raises(InvalidAnswer) as refused:
        score_quiz(QUIZ, {"no-such-question": {"option": "a"}})
    assert refused.value.code == "unknown_question"


# --- Properties ------------------------------------------------------------


def responses_for(question):
    """A strategy of every valid canonical response to an option question."""
    ids = list(question.option_ids)
    if question.type == "choice":
        return st.sampled_from(ids).map(lambda o: {"option": o})
    if question.type == "best_worst":
        return st.permutations(ids).map(lambda p: {"best": p[0], "worst": p[1]})
    if question.type == "rank":
        return st.permutations(ids).map(lambda p: {"order": list(p)})
    if question.type == "multi":
        return st.lists(
            st.sampled_from(ids), min_size=1, max_size=question.choose, unique=True
        ).map(lambda c: {"options": c})
    return st.tuples(
        st.lists(st.sampled_from(REPLY_WORDS), min_size=3, max_size=40).map(" ".join),
        st.sampled_from(["pl", "en", "bg", "ro"]),
    ).map(lambda t: {"text": t[0], "lang": t[1]})


REPLY_WORDS = [
    "ask",
    "asked",
    "delivery",
    "suits",
    "you",
    "Przepraszam",
    "dostawy",
    "zapytam",
    "Извинете",
    "доставката",
    "попитам",
    "scuze",
    "livrării",
    "întreb",
    "OK",
]


@st.composite
def attempts(draw):
    answered = draw(st.lists(st.sampled_from(QUIZ.questions), unique_by=lambda x: x.id))
    return {question.id: draw(responses_for(question)) for question in answered}


@settings(deadline=None)  # the first written answer reads the word forms
@given(attempts())
def test_every_score_lies_between_zero_and_the_maximum(responses):
    result = score_quiz(QUIZ, {k: parse_response(q(k), v) for k, v in responses.items()})
    assert 0 <= result.score <= 1
    for score in result.questions.values():
        assert 0 <= score.credit <= 1
        for criterion_id, level in score.levels.items():
            assert 0 <= level <= QUIZ.criterion(criterion_id).top


@given(attempts())
def test_the_keyed_answers_get_the_maximum(responses):
    for question_id, response in responses.items():
        question = q(question_id)
        if question.type == "text":
            continue
        score = score_question(QUIZ, question, response).credit
        assert score <= score_question(QUIZ, question, keyed_response(question)).credit == 1


@given(st.permutations(list(q("pick-two").option_ids)).map(lambda p: p[:2]))
def test_the_order_of_multi_choices_does_not_change_the_score(chosen):
    question = q("pick-two")
    forwards = score_question(QUIZ, question, parse_response(question, {"options": chosen}))
    backwards = score_question(
        QUIZ, question, parse_response(question, {"options": list(reversed(chosen))})
    )
    assert forwards == backwards


@given(st.text(min_size=1, max_size=8).filter(lambda s: s not in "abcde"))
def test_unknown_option_ids_are_rejected(option_id):
    for question in QUIZ.questions:
        if question.type == "text":
            continue
        raw = {
            "choice": {"option": option_id},
            "best_worst": {"best": option_id, "worst": "a"},
            "rank": {"order": [option_id, "a", "b", "c"]},
            "multi": {"options": [option_id]},
        }[question.type]
        with pytest.raises(InvalidAnswer) as refused:
            parse_response(question, raw)
        assert refused.value.code == "unknown_option"
