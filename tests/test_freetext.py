"""The free-text judge: word forms, negation, scripts, and gaming held for review."""

import pytest

from academy.core import LANGUAGES
from academy.core.freetext.agreement import agreement, course_guides, judge_examples
from academy.core.freetext.words import key, tokens
from academy.core.quizzes import load_quiz

from .conftest import FIXTURES, PROJECT

SAMPLE = load_quiz(FIXTURES / "quizzes" / "sample.yaml")
GUIDE = SAMPLE.guides["write-reply"]


def levels(text, lang):
    return GUIDE.judge(text, lang).levels


def test_a_sign_word_matches_every_form_of_its_lemma():
    # "potwierdzić" is the sign; the learner writes "potwierdzimy".
    assert levels("Przykro mi z powodu dostawy, potwierdzimy nowy termin jutro.", "pl") == {
        "keeps-promises": 3,
        "asks-first": 0,
    }


def test_polish_and_romanian_without_diacritics_are_the_same_words():
    with_marks = levels("Przykro mi, dostawa się spóźni, potwierdzę termin.", "pl")
    without = levels("Przykro mi, dostawa sie spozni, potwierdze termin.", "pl")
    assert with_marks == without
    assert levels("Îmi pare rău pentru livrare, vă confirmăm data.", "ro") == levels(
        "Imi pare rau pentru livrare, va confirmam data.", "ro"
    )


def test_bulgarian_typed_in_latin_letters_is_read_as_bulgarian():
    cyrillic = levels("Съжалявам за доставката, ще потвърдя новата дата утре.", "bg")
    latin = levels("Sazhalyavam za dostavkata, shte potvardya novata data utre.", "bg")
    assert cyrillic == latin
    assert cyrillic["keeps-promises"] == 3
    assert key("петък", "bg") == key("petak", "bg")


def test_english_contractions_are_spelled_out():
    assert [t.key for t in tokens("I can't, we won't, you'll", "en")] == [
        "i",
        "can",
        "not",
        "we",
        "will",
        "not",
        "you",
        "will",
    ]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "I will not confirm anything and I won't apologise for the delivery."),
        ("pl", "Nie potwierdzę niczego i nie przepraszam za dostawę."),
        ("bg", "Няма да потвърдя нищо и не съжалявам за доставката."),
        ("ro", "Nu confirm nimic și nu îmi cer scuze pentru livrare."),
    ],
)
def test_a_negated_sign_does_not_count_and_the_answer_is_held(lang, text):
    judgement = GUIDE.judge(text, lang)
    assert judgement.levels["keeps-promises"] <= 1
    assert "negated" in judgement.review


def test_a_negation_in_another_clause_does_not_cancel_a_sign():
    judgement = GUIDE.judge("No problem at all, I will confirm the delivery date today.", "en")
    assert judgement.levels["keeps-promises"] == 2
    assert not judgement.held


def test_what_the_rubric_warns_against_is_held_and_scores_zero():
    judgement = GUIDE.judge(
        "Sorry, the delivery is late, but it is not our fault: the courier's fault. I confirm.",
        "en",
    )
    assert "contradiction" in judgement.review
    assert judgement.levels["keeps-promises"] == 0


# --- The real course: graded examples ------------------------------------

GUIDES = course_guides(PROJECT)
JUDGED = judge_examples(GUIDES)
GAMING = ("phrase-list", "opposite", "off-topic", "other-language", "lesson-pasted", "model-copy")


def test_every_written_question_has_at_least_12_graded_examples_per_language():
    for (quiz_id, question_id), guide in GUIDES.items():
        for lang in LANGUAGES:
            genuine = [e for e in guide.examples[lang] if e.kind == "answer"]
            assert len(guide.examples[lang]) >= 12, (quiz_id, question_id, lang)
            assert {e.split for e in guide.examples[lang]} == {"tune", "holdout"}
            for criterion, top in guide.tops.items():
                assert {e.levels[criterion] for e in genuine} == set(range(top + 1))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", GAMING)
def test_every_gaming_attempt_of_the_tuning_half_is_held_in_every_language(lang, kind):
    attempts = [
        j
        for j in JUDGED
        if j.example.lang == lang and j.example.kind == kind and j.example.split == "tune"
    ]
    for item in attempts:
        assert item.judgement.held, (item.quiz_id, item.example.id, item.judgement)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_learner_who_pastes_a_shown_example_is_held_for_copying(lang):
    for guide in GUIDES.values():
        for example in guide.shown_examples(lang):
            assert "copy" in guide.judge(example.text, lang).review, example.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_gaming_attempts_are_held_or_worth_almost_nothing(lang):
    # Measured on answers the signs were not written from: docs/scoring.md names the misses.
    attempts = [
        j
        for j in JUDGED
        if j.example.lang == lang and j.example.kind != "answer" and j.example.split == "holdout"
    ]
    assert len(attempts) >= 12
    assert sum(j.judgement.held for j in attempts) >= len(attempts) - 1
    for item in attempts:
        assert max(item.counted.values()) <= 1, (item.quiz_id, item.example.id)


KAPPA_FLOOR = 0.75
"""The held-out agreement floor in every language, just below the figures in docs/scoring.md."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_agreement_with_the_trainers_stays_above_its_floor(lang):
    measured = agreement(JUDGED, lang, "holdout")
    assert measured.pairs >= 20
    assert measured.kappa >= KAPPA_FLOOR


def test_no_language_is_judged_much_worse_than_the_best():
    kappas = [agreement(JUDGED, lang, "holdout").kappa for lang in LANGUAGES]
    assert max(kappas) - min(kappas) <= 0.1
