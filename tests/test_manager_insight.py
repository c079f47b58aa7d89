"""The grading queue, the attempt review, item statistics and the judge's agreement."""

import re

import pytest
from sqlalchemy import select, update

from academy.extensions import db
from academy.models import Answer, Attempt, Grade

from .conftest import add_user, sign_in
from .seeding import seed_team
from .test_dashboard import QueryCounter


@pytest.fixture
def boss(app):
    seed_team(app, learners=3)
    client = app.test_client()
    sign_in(client, "boss@example.com")
    return client


def grade(client, public_id, keeps=3, asks=3, comment=""):
    return client.post(
        f"/en/manage/attempts/{public_id}/questions/write-reply/grade",
        data={
            "q-write-reply-level_keeps-promises": str(keeps),
            "q-write-reply-level_asks-first": str(asks),
            "q-write-reply-comment": comment,
        },
    )


def test_the_queue_lists_held_answers_first_then_the_oldest(app, boss):
    with app.app_context():
        attempts = list(db.session.scalars(select(Attempt).order_by(Attempt.id)))
        # Hold the newest attempt's written answer, as the judge would for a copy.
        newest = attempts[-1]
        db.session.execute(
            update(Answer)
            .where(Answer.attempt_id == newest.id, Answer.question_id == "write-reply")
            .values(
                judgement={
                    "levels": {"keeps-promises": 1, "asks-first": 1},
                    "review": ["copy"],
                    "automatic": True,
                }
            )
        )
        db.session.commit()
        order = [a.public_id for a in attempts]
    page = boss.get("/en/manage/grading/").text
    listed = re.findall(r"/en/manage/attempts/([A-Za-z0-9_-]{22})#grade-write-reply", page)
    assert listed == [order[-1], order[0], order[1]]
    assert "copies text the course shows" in page  # the reason, in words
    assert "Team 3: 3 answers" in page


def test_grading_empties_the_queue_and_keeps_every_grading(app, boss):
    page = boss.get("/en/manage/grading/").text
    public_id = re.search(r"/en/manage/attempts/([A-Za-z0-9_-]{22})#", page).group(1)
    assert grade(boss, public_id, 1, 1, "First look").status_code == 302
    assert grade(boss, public_id, 3, 2, "On second thoughts").status_code == 302
    with app.app_context():
        grades = list(db.session.scalars(select(Grade).order_by(Grade.id)))
    assert [g.comment for g in grades] == ["First look", "On second thoughts"]
    assert grades[1].levels_before == grades[0].levels_after  # a regrade keeps the earlier one
    page = boss.get("/en/manage/grading/").text
    assert public_id not in page
    assert page.count("#grade-write-reply") == 2


def test_the_attempt_page_shows_the_options_in_the_order_the_learner_saw(app, boss):
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id)
            .values(option_order={"pick-one": ["c", "b", "a"]})
        )
        db.session.commit()
        public_id = attempt.public_id
    page = boss.get(f"/en/manage/attempts/{public_id}").text
    first_question = page.split('id="grade-')[0].split("Question 1", 1)[1]
    texts = re.findall(r'class="option-text">([^<]+)<', first_question)
    assert texts[:3] == [f"option {x} [en]" for x in "cba"]
    assert "The learner's choice" in first_question and "The best answer" in first_question
    assert "Time on this question" in page and "Time taken" in page


def test_item_statistics_need_ten_attempts_and_then_flag_questions(app, boss):
    few = boss.get("/en/manage/quizzes/sample/statistics").text
    assert "Statistics appear once the quiz has 10 submitted attempts" in few
    seed_team(app, learners=10, seed=7)
    page = boss.get("/en/manage/quizzes/sample/statistics").text
    assert "13 submitted attempts" in page
    assert re.search(r'data-alpha="[-0-9.]*"', page)
    rows = dict(re.findall(r'data-question="([\w-]+)" data-flags="([^"]*)"', page))
    assert "too_easy" in rows["best-and-worst"]  # everyone answers it with the key
    assert "unused_option" in rows["best-and-worst"]  # b and d: never best, never worst
    assert boss.get("/en/manage/quizzes/unknown/statistics").status_code == 404


def test_statistics_and_queue_pages_send_the_same_number_of_queries_on_more_data(app, boss):
    def queries(url):
        with QueryCounter(app) as counter:
            assert boss.get(url).status_code == 200
        return counter.count

    urls = [
        "/en/manage/grading/",
        "/en/manage/quizzes/sample/statistics",
        "/en/manage/grading/agreement",
        "/en/manage/quizzes/",
    ]
    small = {url: queries(url) for url in urls}
    seed_team(app, learners=12, attempts_each=2, seed=8)
    assert {url: queries(url) for url in urls} == small


def test_agreement_is_measured_once_ten_answers_are_graded(app, boss):
    seed_team(app, learners=8, seed=9)
    page = boss.get("/en/manage/grading/").text
    ids = re.findall(r"/en/manage/attempts/([A-Za-z0-9_-]{22})#", page)
    assert len(ids) == 11
    for public_id in ids[:9]:
        grade(boss, public_id)
    assert "not enough yet" in boss.get("/en/manage/grading/agreement").text
    grade(boss, ids[9])
    agreement = boss.get("/en/manage/grading/agreement").text
    assert "not enough yet" not in agreement
    assert re.search(r'data-kappa="[-0-9.]+"', agreement)


def test_other_managers_and_learners_cannot_reach_a_teams_insight(app, boss):
    add_user(app, "stranger@example.com", "manager")
    stranger = app.test_client()
    sign_in(stranger, "stranger@example.com")
    with app.app_context():
        public_id = db.session.scalar(select(Attempt.public_id))
    assert stranger.get(f"/en/manage/attempts/{public_id}").status_code == 404
    assert grade(stranger, public_id).status_code == 404
    assert "#grade-" not in stranger.get("/en/manage/grading/").text
    assert "3 submitted attempts" not in stranger.get("/en/manage/quizzes/").text
    with app.app_context():
        assert db.session.scalar(select(Grade.id)) is None
