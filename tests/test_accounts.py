"""Accounts: registration, sign-in, sessions, the account page and its data."""

import json
import os

import pytest
from sqlalchemy import func, select

from academy.extensions import db
from academy.models import Attempt, User

from .conftest import KEYED_FORM, PASSWORD, QuizDriver, add_user, sign_in


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def register(client, lang="en", **fields):
    data = {
        "name": "Ana Pop",
        "email": "ana@example.com",
        "password": PASSWORD,
        "repeat": PASSWORD,
        **fields,
    }
    return client.post(f"/{lang}/register", data=data)


def test_registering_signs_in_and_keeps_the_page_language(app, client):
    response = register(client, lang="ro")
    assert response.status_code == 302
    assert client.get("/ro/account").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role, user.language) == ("ana@example.com", "learner", "ro")
        assert user.password_hash.startswith("scrypt:")  # never the password itself
    assert client.get("/").headers["Location"].endswith("/ro/")


def test_a_short_password_is_refused_in_the_users_language_with_the_input_kept(app, client):
    response = register(client, lang="pl", password="short", repeat="short", name="Ewa Kos")
    assert response.status_code == 400
    page = response.text
    assert 'value="Ewa Kos"' in page and 'value="ana@example.com"' in page
    assert "10" in page and "Hasło" in page  # the message and the labels are Polish
    assert count_users(app) == 0


def test_a_duplicate_email_gets_a_clear_message_and_nothing_is_stored_twice(app, client):
    add_user(app, "ana@example.com")
    response = register(client, email="ANA@example.com ")
    assert response.status_code == 400
    assert "already exists" in response.text
    assert count_users(app) == 1


def test_names_with_markup_or_too_long_are_refused_and_shown_escaped(app, client):
    response = register(client, name="<script>alert(1)</script>")
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
    response = register(client, name="x" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.text
    assert count_users(app) == 0


def test_an_unknown_user_and_a_wrong_password_get_the_same_message(app, client):
    add_user(app, "lena@example.com")
    unknown = client.post("/en/sign-in", data={"email": "nobody@example.com", "password": "x" * 12})
    wrong = client.post("/en/sign-in", data={"email": "lena@example.com", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 400
    message = "The email address or password is wrong."
    assert message in unknown.text and message in wrong.text
    assert 'value="lena@example.com"' in wrong.text  # the address is kept


def test_sign_in_renews_the_session_and_follows_only_local_next(app, client):
    add_user(app, "lena@example.com")
    client.get("/en/quizzes/sample")  # the visitor gets an anonymous session
    before = client.get_cookie("session").value
    response = client.post(
        "/en/sign-in?next=/en/progress", data={"email": "lena@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/en/progress"
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "visitor" not in session
    client.post("/en/sign-out")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"):
        response = client.post(
            "/en/sign-in",
            query_string={"next": target},
            data={"email": "lena@example.com", "password": PASSWORD},
        )
        assert response.headers["Location"] == "/en/", target
        client.post("/en/sign-out")


def test_sign_out_is_a_post_and_ends_the_session(app, client):
    add_user(app, "lena@example.com")
    sign_in(client, "lena@example.com")
    assert client.get("/en/sign-out").status_code == 405
    assert client.get("/en/account").status_code == 200
    assert client.post("/en/sign-out").status_code == 302
    response = client.get("/en/account")
    assert response.status_code == 302 and "/en/sign-in" in response.headers["Location"]


def test_failed_sign_ins_are_rate_limited_with_a_message_in_the_language(app_with):
    app = app_with(SIGN_IN_LIMIT="3 per minute")
    add_user(app, "lena@example.com")
    client = app.test_client()
    for _ in range(3):
        bad = client.post("/bg/sign-in", data={"email": "lena@example.com", "password": "x" * 12})
        assert bad.status_code == 400
    blocked = client.post("/bg/sign-in", data={"email": "lena@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too Many Requests" not in blocked.text
    assert 'lang="bg"' in blocked.text


def test_successful_sign_ins_do_not_use_up_the_limit(app_with):
    app = app_with(SIGN_IN_LIMIT="2 per minute")
    add_user(app, "lena@example.com")
    client = app.test_client()
    for _ in range(4):
        sign_in(client, "lena@example.com")
        client.post("/en/sign-out")


def test_a_disabled_account_is_refused_at_its_next_request_and_at_sign_in(app, client):
    user_id = add_user(app, "lena@example.com")
    sign_in(client, "lena@example.com")
    assert client.get("/en/account").status_code == 200
    with app.app_context():
        from academy import people

        people.set_active(db.session.get(User, user_id), False)
    assert client.get("/en/account").status_code == 302  # signed out
    refused = client.post("/en/sign-in", data={"email": "lena@example.com", "password": PASSWORD})
    assert refused.status_code == 400
    assert "disabled" in refused.text


def test_changing_the_password_needs_the_current_one_and_signs_out_other_devices(app):
    add_user(app, "lena@example.com")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "lena@example.com")
    sign_in(phone, "lena@example.com")
    new = "a brand new passphrase"
    wrong = laptop.post(
        "/en/account/password", data={"current": "not it at all", "password": new, "repeat": new}
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    changed = laptop.post(
        "/en/account/password", data={"current": PASSWORD, "password": new, "repeat": new}
    )
    assert changed.status_code == 302
    assert laptop.get("/en/account").status_code == 200  # this device stays signed in
    assert phone.get("/en/account").status_code == 302  # the other is signed out
    sign_in(phone, "lena@example.com", new)


def test_registration_can_be_turned_off_for_company_installations(app_with):
    app = app_with(REGISTRATION_OPEN=False)
    client = app.test_client()
    assert client.get("/en/register").status_code == 403
    assert register(client).status_code == 403
    assert count_users(app) == 0
    assert "Create an account" not in client.get("/en/sign-in").text


def take_quiz_anonymously(client) -> str:
    driver = QuizDriver(client, "en", "sample")
    client.get("/en/quizzes/sample")
    driver.start("assessment")
    for number, (question_id, fields) in KEYED_FORM.items():
        driver.answer(number, question_id, **fields)
    driver.submit()
    return driver.public_id


def test_anonymous_attempts_become_the_users_on_registration_and_on_sign_in(app, client):
    first = take_quiz_anonymously(client)
    register(client)
    with app.app_context():
        user = db.session.scalar(select(User))
        owners = set(db.session.scalars(select(Attempt.owner_key)))
    assert owners == {f"user:{user.id}"}
    assert first in client.get("/en/progress").text
    client.post("/en/sign-out")
    second = take_quiz_anonymously(client)
    sign_in(client, "ana@example.com")
    page = client.get("/en/progress").text
    assert first in page and second in page


def test_the_users_open_attempt_wins_when_both_have_one_at_the_same_quiz(app, client):
    add_user(app, "lena@example.com")
    sign_in(client, "lena@example.com")
    client.get("/en/quizzes/sample")
    QuizDriver(client, "en", "sample").start()
    client.post("/en/sign-out")
    client.get("/en/quizzes/sample")
    QuizDriver(client, "en", "sample").start()  # the visitor's own open attempt
    sign_in(client, "lena@example.com")  # no unique-index error: the visitor's is left
    with app.app_context():
        open_ = db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.submitted_at.is_(None), Attempt.abandoned_at.is_(None))
        )
    assert open_ == 1


def test_the_preferred_language_is_saved_by_the_switcher_and_used_by_the_front_door(app, client):
    add_user(app, "lena@example.com", language="en")
    sign_in(client, "lena@example.com")
    client.get("/bg/lessons/")  # the switcher's link
    client.delete_cookie("lang")
    assert client.get("/").headers["Location"].endswith("/bg/")
    with app.app_context():
        assert db.session.scalar(select(User.language)) == "bg"


def test_the_account_page_saves_name_and_language(app, client):
    add_user(app, "lena@example.com")
    sign_in(client, "lena@example.com")
    response = client.post("/en/account", data={"name": "Lena Nowak", "language": "pl"})
    assert response.headers["Location"].startswith("/pl/account")
    with app.app_context():
        assert db.session.scalar(select(User.name)) == "Lena Nowak"
    bad = client.post("/en/account", data={"name": "", "language": "xx"})
    assert bad.status_code == 400


def test_personal_data_download_holds_the_attempts_and_answers(app, client):
    public_id = take_quiz_anonymously(client)
    register(client)
    response = client.get("/en/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "ana@example.com"
    assert len(data["attempts"]) == 1
    assert len(data["attempts"][0]["answers"]) == len(KEYED_FORM)
    assert public_id  # the attempt downloaded is the one taken before registering


def test_deleting_the_account_needs_the_password_and_removes_everything(app, client):
    take_quiz_anonymously(client)
    register(client)
    kept = client.post("/en/account/delete", data={"current": "wrong password!", "confirm": "y"})
    assert kept.status_code == 400 and count_users(app) == 1
    gone = client.post("/en/account/delete", data={"current": PASSWORD, "confirm": "y"})
    assert gone.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    assert count_users(app) == 0
    assert client.get("/en/account").status_code == 302


def test_with_redis_two_instances_share_the_sign_in_limit(app_with):
    """RATELIMIT_STORAGE_URI=redis://… makes failed sign-ins count across every instance."""
    import uuid

    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")
    settings = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # this run's counts only
        "SIGN_IN_LIMIT": "3 per minute",
    }
    first = app_with(**settings)
    second = app_with(**settings)
    add_user(first, "lena@example.com")  # one database behind both instances
    wrong = {"email": "lena@example.com", "password": "x" * 12}
    assert first.test_client().post("/en/sign-in", data=wrong).status_code == 400
    assert second.test_client().post("/en/sign-in", data=wrong).status_code == 400
    assert first.test_client().post("/en/sign-in", data=wrong).status_code == 400
    # The fourth try, on the other instance, is refused: the count is shared.
    blocked = second.test_client().post("/en/sign-in", data=wrong)
    assert blocked.status_code == 429
