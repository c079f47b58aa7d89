"""Attempts that hold: one in progress per quiz, every acknowledged answer scored, bounds first."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from academy import attempts as operations
from academy.extensions import db
from academy.learn import scores
from academy.models import Answer, Attempt

from .conftest import FIXTURES, dispose, make_app
from .test_quiz_flow import stored_attempt


def test_the_database_refuses_a_second_attempt_in_progress(app):
    with app.app_context():
        db.session.add(
            Attempt(public_id="a" * 22, quiz_id="sample", owner_key="k", mode="practice")
        )
        db.session.commit()
        db.session.add(
            Attempt(public_id="b" * 22, quiz_id="sample", owner_key="k", mode="practice")
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_start_that_loses_the_race_returns_the_attempt_that_won(app, monkeypatch):
    with app.app_context():
        winner = operations.start_attempt("sample", "visitor:x", "practice")
        # As if a parallel request inserted between this one's check and its insert.
        monkeypatch.setattr(operations, "open_attempt", _none_once(operations.open_attempt))
        again = operations.start_attempt("sample", "visitor:x", "assessment")
        assert again.id == winner.id
        assert db.session.query(Attempt).count() == 1


def _none_once(real):
    calls = []

    def fake(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    return fake


def test_the_quiz_page_gives_the_visitor_an_owner_before_any_start(client):
    client.get("/en/quizzes/sample")
    with client.session_transaction() as session:
        assert session.get("visitor")


def test_an_answer_saved_while_the_score_was_computed_is_in_the_stored_score(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(1, "pick-one", option="a")
    with app.app_context():
        attempt = db.session.query(Attempt).one()
        quiz_def = app.extensions["academy.catalog"].quizzes["sample"]
        read_version = attempt.version
        stale = scores.live_result(quiz_def, attempt)
        # The last answer lands between reading the attempt and closing it.
        operations.save_answer(attempt, "pick-again", {"option": "b"}, 0)
        with pytest.raises(operations.AttemptChanged):
            operations.submit_attempt(attempt, read_version, stale.percent, stale.passed, {})
        assert scores.submit(quiz_def, attempt)
        assert attempt.score_percent == 25  # two of eight questions, both at full credit
    _, judgements = stored_attempt(app, quiz.public_id)
    assert set(judgements) == {"pick-one", "pick-again"}


def test_an_answer_after_the_submit_gets_409_and_is_not_stored(app, driver):
    quiz = driver()
    quiz.start(mode="assessment")
    revision = quiz.revision(1)
    quiz.submit()
    response = quiz.answer(1, "pick-one", revision=revision, option="a")
    assert response.status_code == 409
    with app.app_context():
        assert db.session.query(Answer).count() == 0


@pytest.mark.parametrize("revision", [str(2**31), str(2**63), "-1", "1e9", "0x10"])
def test_a_revision_out_of_range_is_a_400(driver, revision):
    quiz = driver()
    quiz.start(mode="assessment")
    assert quiz.answer(1, "pick-one", revision=revision, option="a").status_code == 400


@pytest.mark.parametrize("public_id", ["abc\x00def", "x" * 21, "x" * 23, "a" * 21 + "!", "%00"])
def test_a_value_that_cannot_be_an_attempt_id_is_a_404_before_any_query(
    client, driver, public_id, monkeypatch
):
    driver().start()

    def no_query(*args):
        raise AssertionError("queried the database")

    monkeypatch.setattr(operations, "find_attempt", no_query)
    for page in ("questions/1", "review", "results"):
        assert client.get(f"/en/quizzes/sample/attempts/{public_id}/{page}").status_code == 404


def test_every_sqlite_connection_uses_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    # On its own SQLite file, so the PostgreSQL run checks the SQLite settings too.
    app = make_app(
        tmp_path,
        FIXTURES / "content",
        FIXTURES / "quizzes",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'own.db'}",
    )
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    dispose(app)


@pytest.mark.parametrize("text", [b"\xff\xfe not utf-8 \xc3", b"%FF%FE%C3"])
def test_text_that_is_not_utf8_gets_a_clear_400(client, driver, text):
    quiz = driver()
    quiz.start(mode="assessment")
    body = b"question=write-reply&revision=0&text=" + text
    response = client.post(
        f"{quiz.base}/questions/5", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "characters this site cannot read" in response.text
