"""Bad input: a clear message, the form again with the input kept, never a 500,
nothing stored twice and nothing already saved lost."""

import re

import pytest

from academy.extensions import db
from academy.models import Answer, Attempt


def saved(app):
    with app.app_context():
        return {a.question_id: (a.response, a.revision) for a in db.session.query(Answer)}


@pytest.fixture
def quiz(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    return quiz


def test_an_unknown_option_id(app, quiz):
    response = quiz.answer(1, "pick-one", option="zzz")
    assert response.status_code == 400
    assert "not one of this question" in response.text
    assert "prompt pick-one [en]" in response.text  # the form again
    assert saved(app) == {}


def test_a_missing_field(app, quiz):
    response = quiz.answer(2, "best-and-worst", best="a")
    assert response.status_code == 400
    assert "Choose both the most and the least effective response." in response.text
    assert re.search(r'id="best-a" value="a"[^>]* checked>', response.text)  # the input is kept
    assert saved(app) == {}


def test_a_duplicated_field(app, quiz):
    response = quiz.answer(1, "pick-one", option=["a", "b"])
    assert response.status_code == 400
    assert "reached us twice" in response.text
    assert saved(app) == {}


def test_the_same_option_as_best_and_worst_is_refused(app, quiz):
    response = quiz.answer(2, "best-and-worst", best="b", worst="b")
    assert response.status_code == 400
    assert "cannot be the same one" in response.text
    assert saved(app) == {}


def test_tied_ranks_are_refused_and_kept(app, quiz):
    response = quiz.answer(
        3, "put-in-order", **{"rank-a": "1", "rank-b": "1", "rank-c": "2", "rank-d": "3"}
    )
    assert response.status_code == 400
    assert "Each place in the ranking can be used only once." in response.text
    assert response.text.count('<option value="1" selected>') == 2
    assert saved(app) == {}


def test_the_wrong_type_is_refused(app, quiz):
    response = quiz.answer(
        3, "put-in-order", **{"rank-a": "first", "rank-b": "2", "rank-c": "3", "rank-d": "4"}
    )
    assert response.status_code == 400
    assert "could not be read" in response.text
    assert saved(app) == {}


def test_choosing_more_than_n_is_refused_not_scored(app, quiz):
    response = quiz.answer(4, "pick-two", options=["a", "b", "c"])
    assert response.status_code == 400
    assert "Choose at most 2 responses." in response.text
    assert response.text.count("checked") == 3
    assert saved(app) == {}


def test_a_text_over_5000_characters_comes_back_with_a_message(app, quiz):
    long_text = "Dear customer, " + "x" * 5000
    response = quiz.answer(5, "write-reply", text=long_text)
    assert response.status_code == 400
    assert "5015" in response.text and "5000" in response.text
    assert long_text in response.text
    assert saved(app) == {}


def test_a_forged_question_id_is_refused(app, quiz):
    response = quiz.answer(1, "put-in-order", option="a")
    assert response.status_code == 400
    assert "does not belong to the question on this page" in response.text
    assert saved(app) == {}


def test_a_forged_quiz_id_finds_nothing(app, client, quiz):
    forged = quiz.base.replace("/quizzes/sample/", "/quizzes/other/")
    response = client.post(
        f"{forged}/questions/1", data={"question": "pick-one", "revision": "0", "option": "a"}
    )
    assert response.status_code == 404
    assert saved(app) == {}


def test_a_question_number_out_of_range(quiz):
    assert quiz.client.get(f"{quiz.base}/questions/99").status_code == 404
    assert quiz.client.get(f"{quiz.base}/questions/0").status_code == 404


def test_a_forged_revision_is_refused(app, quiz):
    response = quiz.answer(1, "pick-one", revision="abc", option="a")
    assert response.status_code == 400
    assert "has changed since you opened it" in response.text
    assert saved(app) == {}


def test_an_answer_to_a_submitted_attempt_is_refused_and_the_result_kept(app, quiz):
    revision = quiz.revision(1)
    quiz.answer(1, "pick-one", option="a", revision=revision)
    quiz.submit()
    response = quiz.answer(1, "pick-one", option="c", revision="1")
    assert response.status_code == 409
    assert "already been submitted" in response.text
    assert saved(app) == {"pick-one": ({"option": "a"}, 1)}


def test_a_stale_page_from_a_second_tab_does_not_overwrite(app, quiz):
    first_tab_revision = quiz.revision(1)
    second_tab_revision = quiz.revision(1)
    assert quiz.answer(1, "pick-one", option="b", revision=first_tab_revision).status_code == 302
    response = quiz.answer(1, "pick-one", option="c", revision=second_tab_revision)
    assert response.status_code == 409
    assert "changed in another tab" in response.text
    assert 'value="c" checked' in response.text  # the second tab's choice is kept on screen
    assert 'name="revision" value="1"' in response.text  # saving again is now possible
    assert saved(app) == {"pick-one": ({"option": "b"}, 1)}
    assert quiz.answer(1, "pick-one", option="c", revision="1").status_code == 302
    assert saved(app) == {"pick-one": ({"option": "c"}, 2)}


def test_a_stale_first_answer_from_a_second_tab_is_not_stored_twice(app, quiz):
    assert quiz.answer(1, "pick-one", option="b", revision="0").status_code == 302
    response = quiz.answer(1, "pick-one", option="c", revision="0")
    assert response.status_code == 409
    assert saved(app) == {"pick-one": ({"option": "b"}, 1)}


def test_a_second_tab_submitting_first_is_a_clear_conflict(app, quiz):
    revision = quiz.revision(2)
    quiz.submit()
    response = quiz.answer(2, "best-and-worst", best="a", worst="c", revision=revision)
    assert response.status_code == 409
    assert saved(app) == {}


def test_a_checked_practice_answer_cannot_be_changed(app, driver):
    quiz = driver()
    quiz.start(mode="practice")
    quiz.answer(1, "pick-one", option="b", revision="0")
    response = quiz.answer(1, "pick-one", option="a", revision="1")
    assert response.status_code == 409
    assert "already checked" in response.text
    assert saved(app) == {"pick-one": ({"option": "b"}, 1)}


def test_a_practice_answer_checked_in_another_tab_stays_as_checked(app, driver):
    quiz = driver()
    quiz.start(mode="practice")
    assert quiz.answer(1, "pick-one", option="b", revision="0").status_code == 302
    response = quiz.answer(1, "pick-one", option="a", revision="0")
    assert response.status_code == 409
    assert "already checked" in response.text
    assert 'id="feedback"' in response.text
    assert saved(app) == {"pick-one": ({"option": "b"}, 1)}


def test_a_form_too_large_is_a_clear_page_not_a_500(quiz):
    response = quiz.answer(5, "write-reply", text="x" * 400_000)
    assert response.status_code == 413
    assert "too large" in response.text


def test_messages_come_in_the_learners_language(app, driver):
    quiz = driver(lang="pl")
    quiz.start()
    response = quiz.answer(1, "pick-one")
    assert response.status_code == 400
    assert '<html lang="pl">' in response.text
    assert "Choose one of the responses." not in response.text


def test_bad_input_never_creates_attempts(app, quiz):
    for fields in ({"option": "zz"}, {"option": ["a", "b"]}, {}):
        quiz.answer(1, "pick-one", **fields)
    with app.app_context():
        assert db.session.query(Attempt).count() == 1


def test_an_unknown_start_mode_shows_the_form_again(app, client):
    response = client.post("/en/quizzes/sample/attempts", data={"mode": "exam"})
    assert response.status_code == 400
    assert 'name="mode"' in response.text
    with app.app_context():
        assert db.session.query(Attempt).count() == 0
