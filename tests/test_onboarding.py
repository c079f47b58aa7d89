"""A manager invites, builds a path and assigns it; a learner joins, takes it, passes."""

import re
import smtplib
from datetime import date, timedelta

from sqlalchemy import func, select, update

from academy.extensions import db
from academy.models import (
    Assignment,
    Attempt,
    Certificate,
    Grade,
    Invite,
    Membership,
    User,
    utcnow,
)

from .conftest import KEYED_FORM, PASSWORD, QuizDriver, add_user, sign_in

INVITE_LINK = re.compile(r'value="(http://localhost/(\w\w)/invites/([A-Za-z0-9_-]{32}))"')
RESET_LINK = re.compile(r'value="(http://localhost/(\w\w)/password/reset/([A-Za-z0-9_-]{32}))"')


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def manager_with_team(app, client, email="boss@example.com", team="Sales Kraków") -> int:
    add_user(app, email, "manager", name="Marta Boss")
    sign_in(client, email)
    response = client.post("/en/manage/teams", data={"name": team})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def invite_link(client, team_id: int, lang="en", email="") -> str:
    response = client.post(
        f"/en/manage/teams/{team_id}/invites", data={"email": email, "language": lang}
    )
    assert response.status_code == 200
    return INVITE_LINK.search(response.text).group(1).removeprefix("http://localhost")


def make_path(client, name="First week", places=None) -> None:
    places = places or {"place_alpha": "1"}
    response = client.post("/en/manage/paths/new", data={"name": name, **places})
    assert response.status_code == 302, response.text


def assign(client, team_id, **rules):
    data = {
        "path": "1",
        "who": "team",
        "due": (date.today() + timedelta(days=7)).isoformat(),
        "attempt_limit": "",
        "counts": "best",
        "mode": "assessment",
        **rules,
    }
    return client.post(f"/en/manage/teams/{team_id}/assignments", data=data)


def join(app, link, name="Jan Nowak", email="jan@example.com"):
    learner = app.test_client()
    response = learner.post(
        link, data={"name": name, "email": email, "password": PASSWORD, "repeat": PASSWORD}
    )
    return learner, response


def take_sample(client, lang="en", ratings=None):
    driver = QuizDriver(client, lang, "sample")
    client.get(f"/{lang}/quizzes/sample")
    response = client.post(
        f"/{lang}/quizzes/sample/attempts", data={"mode": "practice", **(ratings or {})}
    )
    assert response.status_code == 302, response.status_code
    driver.base = response.headers["Location"].rsplit("/questions/", 1)[0]
    for number, (question_id, fields) in KEYED_FORM.items():
        driver.answer(number, question_id, **fields)
    assert driver.submit().status_code == 302
    return driver


def test_the_whole_journey_invite_assign_take_grade_certificate(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    make_path(boss)
    assert assign(boss, team_id).status_code == 302
    link = invite_link(boss, team_id, lang="pl", email="jan@example.com")

    learner, joined = join(app, link)
    assert joined.status_code == 302
    home = learner.get("/pl/").text
    assert "First week" in home and 'data-status="not_started"' in home
    assert count(app, Assignment) == 1  # the team's path reached the newcomer

    # Self-assessment before starting, then the quiz in the manager's mode.
    driver = take_sample(learner, "pl", {"rate_asks-first": "3"})
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.mode == "assessment"  # the assignment's mode, not the form's
        assert attempt.self_rating == {"asks-first": 3}
        assert attempt.awaiting_review
    results = driver.results().text
    assert 'data-status="awaiting_review"' in results
    assert "data-direction=" in results  # self-rating against measured level
    assert 'data-status="awaiting_review"' in learner.get("/pl/").text

    # The manager sees the status and grades the written answer.
    team_page = boss.get(f"/en/manage/teams/{team_id}").text
    assert "Jan Nowak" in team_page and 'data-status="awaiting_review"' in team_page
    graded = boss.post(
        f"/en/manage/attempts/{driver.public_id}/questions/write-reply/grade",
        data={
            "q-write-reply-level_keeps-promises": "3",
            "q-write-reply-level_asks-first": "3",
            "q-write-reply-comment": "Clear and kind.",
        },
    )
    assert graded.status_code == 302, graded.text
    assert count(app, Grade) == 1
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.reviewed_at is not None and attempt.passed

    # Passed: the learner's home links the certificate, which anyone can check.
    home = learner.get("/pl/").text
    assert 'data-status="passed"' in home
    code = re.search(r"/pl/certificates/([A-Z0-9-]{14})", home).group(1)
    results = driver.results().text
    assert "Clear and kind." in results and "Marta Boss" in results
    anyone = app.test_client()
    page = anyone.get(f"/ro/certificates/{code.lower()}")
    assert page.status_code == 200
    assert "Jan Nowak" in page.text and "Sales Kraków" in page.text and code in page.text
    assert anyone.get("/en/certificates/AAAA-BBBB-CCCC").status_code == 404
    assert count(app, Certificate) == 1
    learner.get("/pl/")  # issuing again is a no-op
    assert count(app, Certificate) == 1


def test_the_attempt_limit_is_enforced_with_a_clear_message(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    make_path(boss)
    assert assign(boss, team_id, attempt_limit="1", mode="practice").status_code == 302
    learner, _ = join(app, invite_link(boss, team_id))
    take_sample(learner)
    again = learner.post("/en/quizzes/sample/attempts", data={"mode": "practice"})
    assert again.status_code == 409
    assert "every attempt your manager allowed" in again.text
    assert count(app, Attempt) == 1


def test_assigned_attempts_cannot_be_left_unscored(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    make_path(boss)
    assign(boss, team_id)
    learner, _ = join(app, invite_link(boss, team_id))
    learner.get("/en/quizzes/sample")
    started = learner.post("/en/quizzes/sample/attempts", data={"mode": "practice"})
    base = started.headers["Location"].rsplit("/questions/", 1)[0]
    assert learner.post(f"{base}/abandon").status_code == 409
    assert count(app, Attempt, Attempt.abandoned_at.is_not(None)) == 0


def test_an_invite_works_once_and_expired_or_unknown_links_say_why(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    link = invite_link(boss, team_id)
    join(app, link)
    again, response = join(app, link, email="other@example.com")
    assert response.status_code == 410 and "already been used" in response.text
    assert again.get(link).status_code == 410
    second = invite_link(boss, team_id)
    with app.app_context():
        db.session.execute(update(Invite).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    _, expired = join(app, second, email="late@example.com")
    assert expired.status_code == 410 and "expired" in expired.text
    assert app.test_client().get("/en/invites/" + "x" * 32).status_code == 404
    assert app.test_client().get("/en/invites/short").status_code == 404
    assert count(app, Membership) == 1


def test_a_signed_in_user_joins_with_their_account(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    add_user(app, "eva@example.com")
    eva = app.test_client()
    sign_in(eva, "eva@example.com")
    link = invite_link(boss, team_id)
    assert "Join the team" in eva.get(link).text
    assert eva.post(link).status_code == 302
    assert count(app, Membership) == 1


def test_a_manager_makes_a_one_time_reset_link_for_a_learner(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    learner, _ = join(app, invite_link(boss, team_id))
    with app.app_context():
        learner_id = db.session.scalar(select(Membership.user_id))
    page = boss.post(f"/en/manage/learners/{learner_id}/reset-link")
    link = RESET_LINK.search(page.text).group(1).removeprefix("http://localhost")
    new = "another good passphrase"
    phone = app.test_client()
    assert phone.post(link, data={"password": new, "repeat": new}).status_code == 302
    assert phone.post(link, data={"password": new, "repeat": new}).status_code == 410
    assert learner.get("/en/account").status_code == 302  # the old session is signed out
    sign_in(app.test_client(), "jan@example.com", new)


def test_with_smtp_the_invitation_is_mailed_in_the_learners_language(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append({"host": host, "port": port})

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent[-1]["tls"] = True

        def login(self, user, password):
            sent[-1]["login"] = user

        def send_message(self, message):
            sent[-1]["message"] = message

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.com", MAIL_USERNAME="academy")
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    link = invite_link(boss, team_id, lang="bg", email="ivan@example.com")
    assert len(sent) == 1 and sent[0]["tls"] and sent[0]["login"] == "academy"
    message = sent[0]["message"]
    assert message["To"] == "ivan@example.com"
    body = message.get_content()
    assert "http://localhost" + link in body
    assert re.search("[а-яА-Я]", message["Subject"] + body)  # written in Bulgarian


def test_self_learners_rate_themselves_without_an_account(app, client):
    driver = take_sample(client, "en", {"rate_asks-first": "3", "rate_protects-margin": "0"})
    results = driver.results().text
    assert "rated yourself higher" in results or "rated yourself lower" in results
    progress = client.get("/en/progress").text
    assert "data-gap=" in progress and "<svg" in progress


def test_lessons_read_are_recorded_and_marked(app, client):
    add_user(app, "lena@example.com")
    sign_in(client, "lena@example.com")
    assert 'data-read="yes"' not in client.get("/en/lessons/").text
    assert client.post("/en/lessons/alpha/read").status_code == 302
    assert client.post("/en/lessons/alpha/read").status_code == 302  # twice is harmless
    assert 'data-read="yes"' in client.get("/en/lessons/").text
    assert client.post("/en/lessons/nope/read").status_code == 404


def test_overdue_and_relative_due_dates_on_the_learners_home(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    make_path(boss)
    assign(boss, team_id)
    learner, _ = join(app, invite_link(boss, team_id))
    assert "due in 7 days" in learner.get("/en/").text
    with app.app_context():
        db.session.execute(update(Assignment).values(due_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    home = learner.get("/en/").text
    assert 'data-status="overdue"' in home and "2 days overdue" in home


def test_a_manager_cannot_see_or_assign_to_another_managers_team(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    other = app.test_client()
    manager_with_team(app, other, email="other@example.com", team="Elsewhere")
    assert other.get(f"/en/manage/teams/{team_id}").status_code == 404
    assert (
        other.post(f"/en/manage/teams/{team_id}/invites", data={"language": "en"}).status_code
        == 404
    )
    assert count(app, Invite) == 0


def test_bad_assignment_input_comes_back_with_messages(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    make_path(boss)
    response = assign(
        boss, team_id, attempt_limit="0", due=(date.today() - timedelta(days=1)).isoformat()
    )
    assert response.status_code == 400
    assert "Allow from 1 to 20 attempts" in response.text
    assert "Choose today or a later date" in response.text
    assert count(app, Assignment) == 0
    empty = boss.post("/en/manage/paths/new", data={"name": "Nothing", "place_alpha": ""})
    assert empty.status_code == 400 and "at least one module" in empty.text


def test_a_path_refuses_two_modules_in_the_same_place(app):
    from academy.manage.forms import path_form

    modules = [("alpha", "Alpha"), ("beta", "Beta")]
    data = {"name": "Twice", "place_alpha": "1", "place_beta": "1"}
    with app.test_request_context("/en/manage/paths/new", method="POST", data=data):
        form = path_form(modules)
        assert not form.validate()
        assert any("same place" in str(error) for error in form.form_errors)
    data["place_beta"] = "2"
    with app.test_request_context("/en/manage/paths/new", method="POST", data=data):
        form = path_form(modules)
        assert form.validate()
        assert form.ordered_lessons() == ["alpha", "beta"]


def test_with_smtp_a_learner_asks_for_a_reset_link_by_mail(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    add_user(app, "ana@example.com", language="ro")
    client = app.test_client()
    off = client.get("/en/password/forgot")
    assert "does not send email" in off.text  # without SMTP: ask the manager
    app.config.update(MAIL_SERVER="smtp.example.com")
    unknown = client.post("/en/password/forgot", data={"email": "nobody@example.com"})
    known = client.post("/en/password/forgot", data={"email": "ana@example.com"})
    assert unknown.status_code == known.status_code == 200
    assert "If an account uses that address" in unknown.text  # the same answer for both
    assert "If an account uses that address" in known.text
    assert len(sent) == 1 and sent[0]["To"] == "ana@example.com"
    body = sent[0].get_content()
    link = re.search(r"http://localhost(/ro/password/reset/[A-Za-z0-9_-]{32})", body).group(1)
    assert "ș" in body or "ă" in body or "î" in body  # written in Romanian
    new = "a new romanian passphrase"
    assert client.post(link, data={"password": new, "repeat": new}).status_code == 302
    sign_in(app.test_client(), "ana@example.com", new)


def test_an_admin_hands_a_team_to_another_manager(app):
    boss = app.test_client()
    team_id = manager_with_team(app, boss)
    add_user(app, "next@example.com", "manager", name="Next Boss")
    add_user(app, "root@example.com", "admin")
    admin = app.test_client()
    sign_in(admin, "root@example.com")
    with app.app_context():
        next_id = db.session.scalar(select(User.id).where(User.email == "next@example.com"))
    assert (
        boss.post(f"/en/manage/teams/{team_id}/manager", data={"manager": next_id}).status_code
        == 403
    )
    moved = admin.post(f"/en/manage/teams/{team_id}/manager", data={"manager": next_id})
    assert moved.status_code == 302
    assert boss.get(f"/en/manage/teams/{team_id}").status_code == 404
    successor = app.test_client()
    sign_in(successor, "next@example.com")
    assert successor.get(f"/en/manage/teams/{team_id}").status_code == 200
