"""Taking a quiz: start, answer every type, leave and resume, submit, results."""

import re

import pytest

from academy.extensions import db
from academy.models import Answer, Attempt

from .conftest import KEYED_FORM


def answer_everything(quiz, answers=KEYED_FORM):
    for number, (question_id, fields) in answers.items():
        response = quiz.answer(number, question_id, **fields)
        assert response.status_code == 302, (number, response.status_code)


def count(app, model):
    with app.app_context():
        return db.session.query(model).count()


def test_the_quiz_page_shows_the_rubric_before_starting(client):
    page = client.get("/en/quizzes/sample").text
    assert "Scoring guide: how your answers are judged</caption>" in page
    # Scrollable on a narrow screen, so reachable by keyboard; cells named for stacking.
    assert '<div class="table-scroll" role="region" tabindex="0"' in page
    assert '<td data-label="Exemplary">asks-first level 3 [en]</td>' in page
    for criterion in ("asks-first [en]", "protects-margin [en]", "keeps-promises [en]"):
        assert criterion in page
    assert "asks-first level 3 [en]" in page


def test_one_question_a_page_with_progress(driver):
    quiz = driver()
    quiz.start()
    page = quiz.page(3).text
    assert "Question 3 of 8" in page
    assert '<progress max="8" value="3"' in page
    assert "prompt put-in-order [en]" in page
    assert "prompt pick-one [en]" not in page


def test_keyed_answers_of_every_type_score_full_marks(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    answer_everything(quiz)
    assert quiz.submit().status_code == 302
    page = quiz.results().text
    assert 'data-score="100"' in page
    assert "Passed" in page
    assert page.count('<progress class="chart-bar"') == 3  # one bar per criterion
    assert page.count('class="result-question"') == 8


def test_results_show_the_answer_the_key_and_the_teaching_feedback(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="b")
    quiz.submit()
    page = quiz.results().text
    first = page.split('class="result-question"')[1]
    assert "option b [en]" in first  # the learner's answer
    assert "option a [en]" in first  # the keyed best answer
    assert "feedback b [en]" in first
    assert "asks-first level 1 [en]" in first  # the level reached, with its descriptor
    assert 'href="/en/lessons/alpha#asking"' in first
    assert "Not answered" in page.split('class="result-question"')[2]


def test_practice_mode_shows_feedback_right_after_each_answer(driver):
    quiz = driver()
    quiz.start(mode="practice")
    response = quiz.answer(1, "pick-one", option="b")
    assert response.headers["Location"].endswith("/questions/1#feedback")
    page = quiz.page(1).text
    assert 'id="feedback"' in page
    assert "feedback b [en]" in page
    assert "<fieldset disabled" in page


def test_assessment_mode_keeps_feedback_until_submitting(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    response = quiz.answer(1, "pick-one", option="b")
    assert response.headers["Location"].endswith("/questions/2")
    page = quiz.page(1).text
    assert "feedback b [en]" not in page
    assert 'id="feedback"' not in page
    assert 'value="b" checked' in page


def test_answers_can_change_until_submitting_in_assessment_mode(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="b")
    quiz.answer(1, "pick-one", option="c")
    assert 'value="c" checked' in quiz.page(1).text
    assert count(app, Answer) == 1


def test_going_back_and_forward(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    response = quiz.answer(2, "best-and-worst", go="previous", best="a", worst="c")
    assert response.headers["Location"].endswith("/questions/1")
    response = quiz.answer(8, "last-multi", options=["b"])
    assert response.headers["Location"].endswith("/review")


def test_leaving_and_coming_back_resumes_the_same_attempt(app, client, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="b")
    quiz.answer(3, "put-in-order", **{"rank-a": "1", "rank-b": "2", "rank-c": "3", "rank-d": "4"})
    # The browser is closed: only the cookie jar survives. The quiz page offers to continue.
    page = client.get("/en/quizzes/sample").text
    assert "Continue where you left off" in page
    assert quiz.public_id in page
    # Starting again returns the attempt in progress instead of a new one.
    again = client.post("/en/quizzes/sample/attempts", data={"mode": "practice"})
    assert quiz.public_id in again.headers["Location"]
    assert count(app, Attempt) == 1
    page = quiz.page(3).text
    assert re.search(r'<option value="1" selected>1</option>', page)


def test_the_review_page_lists_unanswered_questions(driver):
    quiz = driver()
    quiz.start()
    quiz.answer(1, "pick-one", option="a")
    page = quiz.client.get(f"{quiz.base}/review").text
    unanswered = page.split("Not answered yet", 1)[1].split("</ul>", 1)[0]
    assert "title pick-one [en]" not in unanswered
    assert unanswered.count("<li>") == 7
    assert "title write-reply [en]" in unanswered


def test_submitting_twice_shows_the_same_result_and_one_attempt(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="a")
    first = quiz.submit()
    second = quiz.submit()
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Attempt) == 1
    with app.app_context():
        attempt = db.session.query(Attempt).one()
        assert attempt.submitted_at is not None
        submitted_at = attempt.submitted_at
    quiz.submit()
    with app.app_context():
        assert db.session.query(Attempt).one().submitted_at == submitted_at


def test_after_submitting_questions_lead_to_the_results(driver):
    quiz = driver()
    quiz.start()
    quiz.submit()
    response = quiz.page(1)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/results")


def test_trying_again_after_submitting_starts_a_new_attempt(app, client, driver):
    quiz = driver()
    quiz.start()
    quiz.submit()
    response = client.post("/en/quizzes/sample/attempts", data={"mode": "practice"})
    assert quiz.public_id not in response.headers["Location"]
    assert count(app, Attempt) == 2


def test_a_written_reply_gets_suggested_levels_examples_and_the_model_answer(driver):
    quiz = driver()
    quiz.start(mode="practice")
    quiz.answer(5, "write-reply", text="Sorry for the delivery, I will call you tomorrow.")
    page = quiz.page(5).text
    assert "suggested automatically" in page
    assert 'data-criterion="keeps-promises" data-level="2"' in page  # apology + delivery
    assert 'data-criterion="asks-first" data-level="1"' in page  # call
    assert "We apologise for the late delivery." in page  # the model answer
    assert "data-review" not in page
    # The internal signs and their phrases are never shown.
    assert "apology" not in page and "blames-others" not in page


@pytest.mark.parametrize("lang", ["pl", "bg", "ro"])
def test_a_quiz_in_another_language_shows_that_language(driver, lang):
    quiz = driver(lang=lang)
    quiz.start()
    page = quiz.page(1).text
    assert f"prompt pick-one [{lang}]" in page
    assert f"option a [{lang}]" in page


def test_the_visitors_attempts_are_listed(driver, client):
    quiz = driver()
    quiz.start()
    quiz.submit()
    page = client.get("/en/quizzes/").text
    assert "results" in page.split('id="history"', 1)[1]


def stored_attempt(app, public_id):
    with app.app_context():
        attempt = db.session.query(Attempt).filter_by(public_id=public_id).one()
        return attempt.option_order, {a.question_id: a.judgement for a in attempt.answers}


def test_options_are_shown_in_the_order_stored_with_the_attempt(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    orders, _ = stored_attempt(app, quiz.public_id)
    assert sorted(orders["pick-one"]) == ["a", "b", "c"]
    for _ in range(2):  # the same order on reload
        page = quiz.page(1).text
        shown = re.findall(r'id="option-([a-e])"', page)
        assert shown == orders["pick-one"]


def test_a_shuffled_attempt_scores_the_same_as_the_file_order(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    answer_everything(quiz)
    quiz.submit()
    assert 'data-score="100"' in quiz.results().text


def test_a_submitted_attempt_keeps_its_judgement_until_it_is_rescored(app, driver):
    import dataclasses

    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="b")
    quiz.submit()
    _, judgements = stored_attempt(app, quiz.public_id)
    assert judgements["pick-one"]["levels"] == {"asks-first": 1, "protects-margin": 2}
    # The key changes: option b is now worth the top level.
    catalog = app.extensions["academy.catalog"]
    sample = catalog.quizzes["sample"]
    question = sample.question("pick-one")
    options = tuple(
        dataclasses.replace(o, levels={"asks-first": 3, "protects-margin": 3}) if o.id == "b" else o
        for o in question.options
    )
    changed = dataclasses.replace(question, options=options)
    catalog.quizzes["sample"] = dataclasses.replace(
        sample, questions=tuple(changed if q.id == "pick-one" else q for q in sample.questions)
    )
    first = quiz.results().text.split('class="result-question"')[1]
    assert 'data-criterion="asks-first" data-level="1"' in first
    result = app.test_cli_runner().invoke(args=["quizzes", "rescore", "sample"])
    assert "1 attempt(s) changed." in result.output
    assert "pick-one" in result.output
    first = quiz.results().text.split('class="result-question"')[1]
    assert 'data-criterion="asks-first" data-level="3"' in first


def test_a_pasted_phrase_list_is_held_for_review_and_counts_nothing(app, driver):
    quiz = driver(lang="pl")
    quiz.start(mode="assessment")
    answer_everything(quiz, {k: v for k, v in KEYED_FORM.items() if k != 5})
    quiz.answer(
        5, "write-reply", text="przepraszam, dostawa, potwierdzić, zapytać, pasuje, zadzwonić"
    )
    quiz.submit()
    page = quiz.results().text
    written = page.split('class="result-question"')[5]
    assert 'data-review="needed"' in written
    assert 'data-criterion="keeps-promises" data-level="0"' in written
    assert "Wygląda jak lista zwrotów" in written  # the reason, in the learner's language
    # Seven of eight questions at full credit: 87.5 % → 87 %, the held answer counts 0.
    assert 'data-score="87"' in page
    _, judgements = stored_attempt(app, quiz.public_id)
    assert judgements["write-reply"]["review"] == ["phrase-list"]
    assert max(judgements["write-reply"]["levels"].values()) <= 1


def test_a_too_short_written_answer_is_refused_with_the_input_kept(driver):
    quiz = driver(lang="ro")
    quiz.start(mode="assessment")
    response = quiz.answer(5, "write-reply", text="ok")
    assert response.status_code == 400
    assert "cel puțin 3 cuvinte" in response.text
    assert ">ok</textarea>" in response.text


def test_continue_goes_to_the_first_unanswered_question(driver, client):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="a")
    quiz.answer(2, "best-and-worst", best="a", worst="c")
    page = client.get("/en/quizzes/sample").text
    assert f'href="{quiz.base}/questions/3"' in page


def test_the_review_page_tells_questions_apart_and_shows_their_status(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="a")
    page = quiz.client.get(f"{quiz.base}/review").text
    items = page.split('class="review-list"', 1)[1]
    assert "title pick-one [en]" in items and "title last-multi [en]" in items
    assert '<li class="answered">' in items and '<li class="open">' in items


def test_a_learner_can_leave_an_attempt_and_start_again_in_the_other_mode(app, driver, client):
    quiz = driver()
    quiz.start(mode="practice")
    quiz.answer(1, "pick-one", option="b")
    first = quiz.public_id
    response = client.post(f"{quiz.base}/abandon", data={})
    assert response.status_code == 302
    assert client.get(f"{quiz.base}/questions/1").status_code == 404  # gone
    quiz.start(mode="assessment")
    assert quiz.public_id != first
    with app.app_context():
        modes = {
            a.public_id: (a.mode, a.abandoned_at is not None) for a in db.session.query(Attempt)
        }
    assert modes[first] == ("practice", True)
    assert modes[quiz.public_id] == ("assessment", False)
    # The abandoned attempt is no longer listed.
    assert first not in client.get("/en/quizzes/").text


def test_best_worst_radios_are_named_by_their_response(driver):
    quiz = driver()
    quiz.start()
    page = quiz.page(2).text
    for option in "abcd":
        text = f"option {option} [en]"
        assert f'id="best-{option}" value="{option}" aria-label="Most effective: {text}"' in page
        assert f'id="worst-{option}" value="{option}" aria-label="Least effective: {text}"' in page


def test_practice_feedback_shows_the_choice_and_the_best_answer_above_next(driver):
    quiz = driver()
    quiz.start(mode="practice")
    quiz.answer(1, "pick-one", option="b")
    page = quiz.page(1).text
    feedback = page.split('id="feedback"', 1)[1]
    assert "Your answer" in feedback and "option b [en]" in feedback
    assert "The best answer" in feedback and "feedback a [en]" in feedback
    assert feedback.index("The best answer") < feedback.index("Next question")


def test_rank_feedback_puts_your_place_beside_the_expert_ranking_in_expert_order(driver):
    quiz = driver()
    quiz.start(mode="practice")
    quiz.answer(3, "put-in-order", **{"rank-a": "1", "rank-b": "2", "rank-c": "3", "rank-d": "4"})
    feedback = quiz.page(3).text.split('id="feedback"', 1)[1]
    # Keyed c1 a2 d3 b4: listed in that order, each with the learner's place.
    order = [feedback.index(f"option {o} [en]") for o in "cadb"]
    assert order == sorted(order)
    assert "Expert ranking: 1" in feedback and "Your place: 3" in feedback


def test_dates_follow_the_locale_without_seconds(driver):
    quiz = driver(lang="pl")
    quiz.start(mode="assessment")
    quiz.submit()
    page = quiz.results().text
    assert re.search(
        r"\d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|"
        r"września|października|listopada|grudnia) \d{4}, \d{2}:\d{2}<",
        page,
    )
    assert not re.search(r"\d{2}:\d{2}:\d{2}", page)


def test_a_clash_in_the_ranking_is_marked_on_the_rows_that_clash(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    response = quiz.answer(
        3, "put-in-order", **{"rank-a": "1", "rank-b": "1", "rank-c": "2", "rank-d": "3"}
    )
    assert response.status_code == 400
    rows = re.findall(r'<li class="rank-row( clash)?" data-option="([a-d])">', response.text)
    assert {option for clash, option in rows if clash} == {"a", "b"}
    assert 'id="rank-a" aria-invalid="true"' in response.text
    assert 'id="rank-c" aria-invalid' not in response.text


def test_a_saved_ranking_is_shown_in_the_order_it_was_given(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(3, "put-in-order", **{"rank-a": "4", "rank-b": "2", "rank-c": "3", "rank-d": "1"})
    page = quiz.page(3).text
    assert re.findall(r'data-option="([a-d])"', page) == ["d", "b", "c", "a"]
    assert 'src="/static/rank.js"' in page  # moving them, with JavaScript
