"""Fixtures: an app per test on a fresh database, on fixture or real content."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from academy import config, create_app
from academy.core.freetext.guide import use_cache
from academy.extensions import db

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
PROJECT = HERE.parent
CACHE = PROJECT / ".cache" / "freetext"
use_cache(CACHE)  # the word forms of the signs, read from the dictionaries once


def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test, or the PostgreSQL named by TEST_DATABASE_URL."""
    return config.database_url(
        os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"
    )


def make_app(tmp_path: Path, content: Path, quizzes: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "CONTENT_DIR": content,
        "QUIZZES_DIR": quizzes,
        "SESSION_COOKIE_SECURE": False,
        "CACHE_DIR": CACHE,
        "WTF_CSRF_ENABLED": False,
        **overrides,
    }
    app = create_app(config)
    with app.app_context():
        db.drop_all()  # a shared PostgreSQL database starts every test empty
        db.create_all()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    """The app on the small fixture course (two lessons, one quiz of every type)."""
    yield from _app_on(tmp_path, FIXTURES)


def _app_on(tmp_path: Path, root: Path):
    app = make_app(tmp_path, root / "content", root / "quizzes")
    yield app
    dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def real_app(tmp_path):
    """The app on the real course in content/ and quizzes/."""
    yield from _app_on(tmp_path, PROJECT)


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


# The form a browser posts for the keyed answer to each question of the fixture quiz.
KEYED_FORM = {
    1: ("pick-one", {"option": "a"}),
    2: ("best-and-worst", {"best": "a", "worst": "c"}),
    3: ("put-in-order", {"rank-a": "2", "rank-b": "4", "rank-c": "1", "rank-d": "3"}),
    4: ("pick-two", {"options": ["a", "c"]}),
    5: (
        "write-reply",
        {
            "text": "Sorry that your delivery is late. Could I call you tomorrow to ask "
            "which new day suits you? I will confirm it in writing straight after."
        },
    ),
    6: ("pick-again", {"option": "b"}),
    7: ("more-order", {"rank-a": "1", "rank-b": "2", "rank-c": "3", "rank-d": "4", "rank-e": "5"}),
    8: ("last-multi", {"options": ["b"]}),
}


class QuizDriver:
    """Drives one attempt through the learner's pages, like a browser would."""

    def __init__(self, client, lang: str, quiz_id: str):
        self.client = client
        self.lang = lang
        self.quiz_id = quiz_id
        self.base = ""

    def start(self, mode: str = "practice"):
        response = self.client.post(
            f"/{self.lang}/quizzes/{self.quiz_id}/attempts", data={"mode": mode}
        )
        assert response.status_code == 302, response.status_code
        self.base = response.headers["Location"].rsplit("/questions/", 1)[0]
        return response

    def page(self, number: int):
        return self.client.get(f"{self.base}/questions/{number}")

    def revision(self, number: int) -> str:
        match = re.search(r'name="revision" value="(\d+)"', self.page(number).text)
        assert match, "the question page has no revision field"
        return match.group(1)

    def answer(self, number: int, question_id: str, revision: str | None = None, **fields):
        data = {"question": question_id, "revision": revision or self.revision(number)}
        data.update(fields)
        return self.client.post(f"{self.base}/questions/{number}", data=data)

    def submit(self):
        return self.client.post(f"{self.base}/submit", data={})

    def results(self):
        return self.client.get(f"{self.base}/results")

    @property
    def public_id(self) -> str:
        return self.base.rsplit("/", 1)[1]


@pytest.fixture
def driver(client):
    def make(lang: str = "en", quiz_id: str = "sample") -> QuizDriver:
        return QuizDriver(client, lang, quiz_id)

    return make


PASSWORD = "correct horse battery"


def add_user(app, email: str, role: str = "learner", name: str | None = None, language="en"):
    """A user in the app's database; returns its id."""
    from academy import people

    with app.app_context():
        user = people.create_user(email, name or email.split("@")[0], PASSWORD, role, language)
        db.session.commit()
        return user.id


def sign_in(client, email: str, password: str = PASSWORD, lang: str = "en"):
    response = client.post(f"/{lang}/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, response.status_code
    return response


@pytest.fixture
def app_with(tmp_path):
    """Apps on the fixture course with settings of the test's own; all closed afterwards."""
    made = []

    def make(**overrides):
        app = make_app(tmp_path, FIXTURES / "content", FIXTURES / "quizzes", **overrides)
        made.append(app)
        return app

    yield make
    for app in made:
        dispose(app)
