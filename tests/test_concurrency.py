"""Races under a real multi-worker server: gunicorn with four workers on loopback.

Run alone with ``make test-concurrency`` (``pytest -m concurrency``); on
PostgreSQL with ``TEST_DATABASE_URL`` set, as ``make test-postgres`` does.
Every request loop is bounded, and the server only listens on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import KEYED_FORM as KEYED
from .servers import Server

pytestmark = pytest.mark.concurrency


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One learner's browser: its own cookies, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, tries: int = 1) -> tuple[int, str, str]:
        """(status, Location, body); a dropped connection is retried, as a learner would."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        for attempt in range(tries):
            try:
                with self.opener.open(self.base + path, data=body, timeout=30) as response:
                    return (
                        response.status,
                        response.headers.get("Location", ""),
                        response.read().decode(),
                    )
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("Location", ""), error.read().decode()
            except (ConnectionError, urllib.error.URLError, TimeoutError):
                if attempt == tries - 1:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def token(self, path: str) -> str:
        status, _, page = self.request(path, tries=3)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def start(self, token: str, tries: int = 1) -> tuple[int, str]:
        status, location, _ = self.request(
            "/en/quizzes/sample/attempts", {"csrf_token": token, "mode": "assessment"}, tries
        )
        return status, location

    def answer(self, attempt: str, number: int, revision: str, token: str, tries: int = 1):
        question_id, fields = KEYED[number]
        data = {"csrf_token": token, "question": question_id, "revision": revision, **fields}
        return self.request(f"{attempt}/questions/{number}", data, tries)

    def revision(self, attempt: str, number: int) -> str:
        status, _, page = self.request(f"{attempt}/questions/{number}")
        assert status == 200
        return re.search(r'name="revision" value="(\d+)"', page).group(1)

    def submit(self, attempt: str, token: str, tries: int = 1):
        return self.request(f"{attempt}/submit", {"csrf_token": token}, tries)


def attempt_path(location: str) -> str:
    return urllib.parse.urlsplit(location).path.rsplit("/questions/", 1)[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("gunicorn"))
    yield running
    running.stop()


def parallel(count: int, task):
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: task(), range(count)))


@pytest.mark.parametrize("visitor", ["first visit", "known visitor"])
def test_ten_parallel_starts_make_one_attempt_and_all_point_to_it(server, visitor):
    browser = Browser(server.base)
    if visitor == "known visitor":
        browser.request("/en/quizzes/")
    token = browser.token("/en/quizzes/sample")
    results = parallel(10, lambda: browser.start(token))
    assert {status for status, _ in results} == {302}
    attempts = {attempt_path(location) for _, location in results}
    assert len(attempts) == 1
    public_id = attempts.pop().rsplit("/", 1)[1]
    owner = server.query("SELECT owner_key FROM attempts WHERE public_id = :p", p=public_id)[0][0]
    assert len(server.query("SELECT id FROM attempts WHERE owner_key = :o", o=owner)) == 1
    # The attempt the responses point to is the browser's own.
    status, _, _ = browser.request(f"/en/quizzes/sample/attempts/{public_id}/questions/1")
    assert status == 200


def test_ten_parallel_submits_submit_once(server):
    browser = Browser(server.base)
    token = browser.token("/en/quizzes/sample")
    attempt = attempt_path(browser.start(token)[1])
    for number in KEYED:
        assert browser.answer(attempt, number, "0", token)[0] == 302
    results = parallel(10, lambda: browser.submit(attempt, token))
    assert {status for status, _, _ in results} == {302}
    public_id = attempt.rsplit("/", 1)[1]
    rows = server.query(
        "SELECT score_percent, submitted_at FROM attempts WHERE public_id = :p", p=public_id
    )
    assert len(rows) == 1 and rows[0][1] is not None
    assert rows[0][0] == 100


def test_the_last_answer_racing_the_submit_is_scored_whenever_it_was_acknowledged(server):
    outcomes = []
    for _ in range(20):
        browser = Browser(server.base)
        token = browser.token("/en/quizzes/sample")
        attempt = attempt_path(browser.start(token)[1])
        for number in range(1, 8):
            assert browser.answer(attempt, number, "0", token)[0] == 302
        with ThreadPoolExecutor(max_workers=2) as pool:
            answered = pool.submit(browser.answer, attempt, 8, "0", token)
            submitted = pool.submit(browser.submit, attempt, token)
            answer_status = answered.result()[0]
            assert submitted.result()[0] == 302
        public_id = attempt.rsplit("/", 1)[1]
        stored = server.query(
            "SELECT a.question_id, a.judgement IS NOT NULL FROM answers a "
            "JOIN attempts t ON t.id = a.attempt_id WHERE t.public_id = :p",
            p=public_id,
        )
        score = server.query("SELECT score_percent FROM attempts WHERE public_id = :p", p=public_id)
        assert answer_status in (302, 409)
        if answer_status == 302:
            # Acknowledged: it is stored, judged at submission, and in the score.
            assert ("last-multi", True) in stored
            assert score[0][0] == 100
        else:
            assert "last-multi" not in {question for question, _ in stored}
            assert score[0][0] == 87  # seven of eight at full credit, rounded down
        outcomes.append(answer_status)
    assert len(outcomes) == 20


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(server):
    learners = [Browser(server.base) for _ in range(20)]
    acknowledged: dict[str, set[str]] = {}

    def learn(browser: Browser) -> None:
        token = browser.token("/en/quizzes/sample")
        status, location = browser.start(token, tries=3)
        assert status == 302
        attempt = attempt_path(location)
        done = acknowledged.setdefault(attempt, set())
        for number, (question_id, _) in KEYED.items():
            status, _, _ = browser.answer(attempt, number, "0", token, tries=3)
            # A retry after a dropped connection may find its own answer saved (409).
            assert status in (302, 409), status
            if status == 302:
                done.add(question_id)
        assert browser.submit(attempt, token, tries=3)[0] == 302

    with ThreadPoolExecutor(max_workers=10) as pool:
        running = [pool.submit(learn, browser) for browser in learners]
        time.sleep(0.5)
        victims = server.workers()
        assert victims, "gunicorn has no workers to kill"
        os.kill(victims[0], signal.SIGKILL)
        for future in running:
            future.result()

    for attempt, answered in acknowledged.items():
        public_id = attempt.rsplit("/", 1)[1]
        stored = [
            row[0]
            for row in server.query(
                "SELECT a.question_id FROM answers a JOIN attempts t ON t.id = a.attempt_id "
                "WHERE t.public_id = :p",
                p=public_id,
            )
        ]
        assert len(stored) == len(set(stored)), "an answer was stored twice"
        assert answered <= set(stored), "an acknowledged answer was lost"
        submitted = server.query(
            "SELECT submitted_at FROM attempts WHERE public_id = :p", p=public_id
        )
        assert submitted[0][0] is not None
    assert len(acknowledged) == 20


def _chunked_post(server: Server, browser: Browser, path: str, body: bytes) -> int:
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Cookie", cookie)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    try:
        for start in range(0, len(body), 65536):
            chunk = body[start : start + 65536]
            connection.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and stopped reading: the response says why
    response = connection.getresponse()
    status = response.status
    connection.close()
    return status


def test_a_chunked_body_over_the_limit_gets_413_and_a_small_one_is_read(server):
    browser = Browser(server.base)
    token = browser.token("/en/quizzes/sample")
    attempt = attempt_path(browser.start(token)[1])
    form = f"csrf_token={token}&question=write-reply&revision=0&text=".encode()
    assert _chunked_post(server, browser, f"{attempt}/questions/5", form + b"a" * 20_000_000) == 413
    reply = urllib.parse.quote("Sorry that your delivery is late; I will call you.").encode()
    assert _chunked_post(server, browser, f"{attempt}/questions/5", form + reply) == 302


def assigned_learner(server, email: str, limit: int) -> None:
    """A learner in a team whose path (the sample quiz) allows ``limit`` attempts."""
    from datetime import timedelta

    from academy import onboarding, people
    from academy.extensions import db
    from academy.models import utcnow

    from .conftest import PASSWORD

    app = server.app()
    with app.app_context():
        manager = people.create_user(f"boss-{email}", "Boss", PASSWORD, "manager")
        learner = people.create_user(email, "Learner", PASSWORD, "learner")
        db.session.commit()
        team = people.create_team(f"Team {email}", manager)
        path = onboarding.create_path("Path", manager, [("alpha", "sample")])
        rules = onboarding.Rules(utcnow() + timedelta(days=7), limit, "best", "assessment")
        onboarding.assign(path, [learner], rules, manager, team)
        db.session.remove()
        db.engine.dispose()


def signed_in_browser(server, email: str) -> Browser:
    from .conftest import PASSWORD

    browser = Browser(server.base)
    token = browser.token("/en/sign-in")
    status, _, _ = browser.request(
        "/en/sign-in", {"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert status == 302
    return browser


def test_an_attempt_limit_holds_under_parallel_starts(server):
    assigned_learner(server, "limited@example.com", limit=1)
    browser = signed_in_browser(server, "limited@example.com")
    token = browser.token("/en/quizzes/sample")
    user_id = server.query("SELECT id FROM users WHERE email = :e", e="limited@example.com")[0][0]
    owner = f"user:{user_id}"

    def attempts():
        return server.query(
            "SELECT number, submitted_at FROM attempts WHERE owner_key = :o", o=owner
        )

    results = parallel(10, lambda: browser.start(token))
    assert {status for status, _ in results} == {302}
    assert len({attempt_path(location) for _, location in results}) == 1
    assert [number for number, _ in attempts()] == [1]

    attempt = attempt_path(results[0][1])
    for number in KEYED:
        assert browser.answer(attempt, number, "0", token)[0] == 302
    assert browser.submit(attempt, token)[0] == 302
    # The limit is used up: ten parallel starts are all refused, none is created.
    results = parallel(10, lambda: browser.start(token))
    assert {status for status, _ in results} == {409}
    assert len(attempts()) == 1


def test_two_attempts_allowed_means_two_whatever_the_races(server):
    assigned_learner(server, "twice@example.com", limit=2)
    browser = signed_in_browser(server, "twice@example.com")
    token = browser.token("/en/quizzes/sample")
    user_id = server.query("SELECT id FROM users WHERE email = :e", e="twice@example.com")[0][0]
    owner = f"user:{user_id}"
    for _ in range(3):
        results = parallel(10, lambda: browser.start(token))
        started = {attempt_path(location) for status, location in results if status == 302}
        for attempt in started:
            for number in KEYED:
                browser.answer(attempt, number, "0", token)
            browser.submit(attempt, token)
    numbers = sorted(
        n for (n,) in server.query("SELECT number FROM attempts WHERE owner_key = :o", o=owner)
    )
    assert numbers == [1, 2]
