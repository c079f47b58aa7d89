"""The four course quizzes: well formed, and playable end to end in every language."""

import pytest

from academy.core import LANGUAGES
from academy.core.quizzes import load_quiz
from academy.core.scoring import keyed_response, score_quiz

from .conftest import PROJECT, QuizDriver

QUIZ_IDS = ["complacency", "customer-partner", "fair-and-balanced", "promises"]


def exemplary_reply(quiz, question, lang):
    """The trainers' best answer that learners are not shown (so it is no copy)."""
    guide = quiz.guides[question.id]
    unseen = [e for e in guide.examples[lang] if e.kind == "answer" and not e.show]
    return max(unseen, key=lambda e: sum(e.levels.values())).text


def answer_for(quiz, question, lang):
    if question.type == "text":
        return {"text": exemplary_reply(quiz, question, lang), "lang": lang}
    return keyed_response(question, lang)


def form_fields(question, response):
    """The form a browser would post for a canonical response."""
    if question.type == "rank":
        return {
            f"rank-{option_id}": str(place) for place, option_id in enumerate(response["order"], 1)
        }
    if question.type == "text":
        return {"text": response["text"]}
    return response


def test_the_course_has_the_four_quizzes():
    assert sorted(p.stem for p in (PROJECT / "quizzes").glob("*.yaml")) == QUIZ_IDS


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
def test_each_quiz_is_rich_enough(quiz_id):
    quiz = load_quiz(PROJECT / "quizzes" / f"{quiz_id}.yaml")
    assert len(quiz.questions) >= 8
    assert len(quiz.types) >= 4
    assert 3 <= len(quiz.rubric) <= 4


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_keyed_answers_score_full_marks_in_every_language(quiz_id, lang):
    quiz = load_quiz(PROJECT / "quizzes" / f"{quiz_id}.yaml")
    options = {q.id: keyed_response(q, lang) for q in quiz.questions if q.type != "text"}
    result = score_quiz(quiz, options)
    written = sum(q.type == "text" for q in quiz.questions)
    assert result.score * len(quiz.questions) == len(quiz.questions) - written


@pytest.mark.parametrize("quiz_id", QUIZ_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_learner_takes_the_quiz_end_to_end(real_app, real_client, quiz_id, lang):
    quiz = real_app.extensions["academy.catalog"].quizzes[quiz_id]
    driver = QuizDriver(real_client, lang, quiz_id)
    intro = real_client.get(f"/{lang}/quizzes/{quiz_id}")
    assert intro.status_code == 200
    assert quiz.rubric[0].title[lang] in intro.text.replace("&#39;", "'").replace("&#34;", '"')
    driver.start(mode="practice")
    half = len(quiz.questions) // 2
    for number, question in enumerate(quiz.questions[:half], 1):
        response = driver.answer(
            number, question.id, **form_fields(question, answer_for(quiz, question, lang))
        )
        assert response.status_code == 302, (question.id, response.status_code)
        assert 'id="feedback"' in driver.page(number).text
    # Leave, come back through the quiz page, and finish.
    assert driver.public_id in real_client.get(f"/{lang}/quizzes/{quiz_id}").text
    for number, question in enumerate(quiz.questions[half:], half + 1):
        response = driver.answer(
            number, question.id, **form_fields(question, answer_for(quiz, question, lang))
        )
        assert response.status_code == 302, (question.id, response.status_code)
    driver.submit()
    results = driver.results()
    assert results.status_code == 200
    expected = score_quiz(quiz, {q.id: answer_for(quiz, q, lang) for q in quiz.questions})
    assert f'data-score="{expected.percent}"' in results.text
    assert f'href="/{lang}/lessons/{quiz.lesson}' in results.text
