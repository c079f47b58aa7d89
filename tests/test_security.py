"""Security on by default: CSRF, ownership of attempts, headers, secret key."""

import re

import pytest

from academy import InsecureSecretKey, create_app

from .conftest import FIXTURES, QuizDriver, dispose, make_app


def test_another_visitor_cannot_open_or_answer_someone_elses_attempt(app, driver):
    quiz = driver()
    quiz.start()
    stranger = app.test_client()
    assert stranger.get(f"{quiz.base}/questions/1").status_code == 404
    assert stranger.get(f"{quiz.base}/review").status_code == 404
    assert stranger.post(f"{quiz.base}/submit").status_code == 404
    response = stranger.post(
        f"{quiz.base}/questions/1", data={"question": "pick-one", "revision": "0", "option": "a"}
    )
    assert response.status_code == 404


def test_results_are_private_to_their_owner(app, driver):
    quiz = driver()
    quiz.start()
    quiz.submit()
    assert quiz.results().status_code == 200
    assert app.test_client().get(f"{quiz.base}/results").status_code == 404


@pytest.fixture
def csrf_client(tmp_path):
    app = make_app(tmp_path, FIXTURES / "content", FIXTURES / "quizzes", WTF_CSRF_ENABLED=True)
    yield app.test_client()
    dispose(app)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def test_posts_without_a_csrf_token_are_refused_with_a_clear_page(csrf_client):
    response = csrf_client.post("/en/quizzes/sample/attempts", data={"mode": "practice"})
    assert response.status_code == 400
    assert "This form has expired or was not sent from this site." in response.text


def test_posts_with_the_csrf_token_go_through(csrf_client):
    page = csrf_client.get("/en/quizzes/sample").text
    token = csrf_token(page)
    response = csrf_client.post(
        "/en/quizzes/sample/attempts", data={"mode": "practice", "csrf_token": token}
    )
    assert response.status_code == 302
    question = csrf_client.get(response.headers["Location"]).text
    answer = csrf_client.post(
        response.headers["Location"],
        data={
            "csrf_token": csrf_token(question),
            "question": "pick-one",
            "revision": "0",
            "option": "a",
        },
    )
    assert answer.status_code == 302
    forged = csrf_client.post(
        response.headers["Location"],
        data={"csrf_token": "forged", "question": "pick-one", "revision": "1", "option": "b"},
    )
    assert forged.status_code == 400


def test_security_headers_are_set(client):
    response = client.get("/en/lessons/alpha")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client, driver):
    quiz = driver()
    quiz.start()
    pages = [client.get(u).text for u in ("/en/", "/en/lessons/alpha", "/en/quizzes/sample")]
    pages += [quiz.page(1).text, quiz.page(3).text]  # a choice, and a ranking with rank.js
    for page in pages:
        # Scripts only from the site's own files, never inline.
        for script in re.findall(r"<script[^>]*>.*?</script>", page, re.S):
            assert re.fullmatch(r'<script src="/static/[a-z-]+\.js" defer></script>', script)
        assert page.count("<script") == len(re.findall(r"<script[^>]*>.*?</script>", page, re.S))
        assert " style=" not in page
        assert "<style" not in page
    assert 'src="/static/rank.js"' in pages[-1]


def test_session_cookies_are_secure_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": FIXTURES / "content",
            "QUIZZES_DIR": FIXTURES / "quizzes",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_visitor_session_cookie_is_http_only(app, client):
    QuizDriver(client, "en", "sample").start()
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only


def test_production_refuses_the_default_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "0")
    with pytest.raises(InsecureSecretKey, match="SECRET_KEY"):
        create_app(
            {
                "CONTENT_DIR": FIXTURES / "content",
                "QUIZZES_DIR": FIXTURES / "quizzes",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
            },
            # An instance folder without the key `make run` writes to instance/secret_key.
            instance_path=str(tmp_path / "instance"),
        )


def test_production_starts_with_a_real_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-from-the-environment")
    monkeypatch.setenv("FLASK_DEBUG", "0")
    app = create_app(
        {
            "CONTENT_DIR": FIXTURES / "content",
            "QUIZZES_DIR": FIXTURES / "quizzes",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
        }
    )
    assert app.config["SECRET_KEY"] == "a-long-random-value-from-the-environment"


def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_reports_an_unreachable_database():
    broken = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": FIXTURES / "content",
            "QUIZZES_DIR": FIXTURES / "quizzes",
            "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-dir/none.db",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_user_text_is_escaped(driver):
    quiz = driver()
    quiz.start(mode="assessment")
    quiz.answer(5, "write-reply", text='<script>alert("x")</script> sorry')
    page = quiz.page(5).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_postgres_urls_use_the_installed_driver():
    from academy.config import database_url

    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
