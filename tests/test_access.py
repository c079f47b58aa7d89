"""Who may open what, route by route, over the whole ``app.url_map``.

Every endpoint is given an audience below; a route without one fails the
test, so a new page cannot ship unclassified. Each audience is then checked
for six people: a visitor, the learner who owns the data, another learner,
the manager of the learner's team, a manager of another team, and an admin.
A refused request must be a 403 or 404 (or a sign-in redirect for a
visitor), and a refused POST must leave the database exactly as it was.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from academy import onboarding, people
from academy.extensions import db
from academy.models import Attempt, Certificate, User

from .conftest import FIXTURES, KEYED_FORM, QuizDriver, add_user, make_app, sign_in

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # any account; a visitor is sent to sign in
OWNER = "attempt owner"  # only who took the attempt (a visitor or a user)
MANAGERS = "managers"  # managers and admins
TEAM = "team's manager"  # the manager of that team, and admins
ADMIN = "admin"

AUDIENCE = {
    "site.front_door": PUBLIC,
    "site.favicon": PUBLIC,
    "site.health": PUBLIC,
    "static": PUBLIC,
    "learn.home": PUBLIC,
    "learn.lessons": PUBLIC,
    "learn.lesson": PUBLIC,
    "learn.quizzes": PUBLIC,
    "learn.quiz": PUBLIC,
    "learn.start": PUBLIC,
    "learn.progress": PUBLIC,
    "learn.certificate": PUBLIC,
    "learn.mark_read": SIGNED_IN,
    "learn.question": OWNER,
    "learn.answer": OWNER,
    "learn.review": OWNER,
    "learn.submit": OWNER,
    "learn.abandon": OWNER,
    "learn.results": OWNER,
    "accounts.sign_in": PUBLIC,
    "accounts.sign_out": PUBLIC,
    "accounts.register": PUBLIC,
    "accounts.invite": PUBLIC,
    "accounts.reset": PUBLIC,
    "accounts.forgot": PUBLIC,
    "accounts.account": SIGNED_IN,
    "accounts.save_profile": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.download_data": SIGNED_IN,
    "accounts.delete_account": SIGNED_IN,
    "manage.index": MANAGERS,
    "manage.export": MANAGERS,
    "manage.grading": MANAGERS,
    "manage.agreement": MANAGERS,
    "manage.quiz_list": MANAGERS,
    "manage.statistics": MANAGERS,
    "manage.teams": MANAGERS,
    "manage.create_team": MANAGERS,
    "manage.new_path": MANAGERS,
    "manage.team": TEAM,
    "manage.invite": TEAM,
    "manage.assign": TEAM,
    "manage.revoke_invite": TEAM,
    "manage.learner": TEAM,
    "manage.reset_link": TEAM,
    "manage.attempt": TEAM,
    "manage.grade": TEAM,
    "manage.hand_over": ADMIN,
    "manage.users": ADMIN,
    "manage.save_user": ADMIN,
}

ROLES = ("visitor", "owner", "other learner", "team manager", "other manager", "admin")


def allowed(audience: str, role: str) -> bool:
    return {
        PUBLIC: True,
        SIGNED_IN: role != "visitor",
        OWNER: role == "owner",
        MANAGERS: role in ("team manager", "other manager", "admin"),
        TEAM: role in ("team manager", "admin"),
        ADMIN: role == "admin",
    }[audience]


# Routes that end the session or change what later routes see run last.
LAST = ("learn.submit", "learn.abandon", "accounts.sign_out", "accounts.delete_account")


def test_every_route_has_an_audience(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(AUDIENCE) == set(), "classify the new routes in AUDIENCE"
    assert set(AUDIENCE) - endpoints == set()


def fingerprint() -> str:
    """Every row of every table: a refused request must not change one of them."""
    rows = []
    for table in sorted(db.metadata.tables):
        rows.append(table)
        query = text(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - our own table names
        rows += [repr(tuple(r)) for r in db.session.execute(query)]
    return "\n".join(rows)


@pytest.fixture
def world(tmp_path):
    """A small company: team A (its manager, a learner with an attempt), team B, an admin."""
    app = make_app(tmp_path, FIXTURES / "content", FIXTURES / "quizzes")
    ids = {
        "owner": add_user(app, "owner@example.com"),
        "other learner": add_user(app, "other@example.com"),
        "team manager": add_user(app, "boss@example.com", "manager"),
        "other manager": add_user(app, "boss2@example.com", "manager"),
        "admin": add_user(app, "admin@example.com", "admin"),
    }
    with app.app_context():
        get = lambda key: db.session.get(User, ids[key])  # noqa: E731
        team = people.create_team("A", get("team manager"))
        people.create_team("B", get("other manager"))
        people.join_team(get("owner"), team)
        db.session.commit()
        path = onboarding.create_path("P", get("team manager"), [("alpha", "sample")])
        invite = people.create_invite(team, get("team manager"), "en", 7)
        reset = people.create_reset(get("other learner"), None, 24)
        values = {
            "team_id": team.id,
            "user_id": ids["owner"],
            "path_id": path.id,
            "invite_token": invite,
            "reset_token": reset,
        }
    client = app.test_client()
    sign_in(client, "owner@example.com")
    driver = QuizDriver(client, "en", "sample")
    client.get("/en/quizzes/sample")
    driver.start("assessment")
    for number, (question_id, fields) in KEYED_FORM.items():
        driver.answer(number, question_id, **fields)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        db.session.add(
            Certificate(code="ABCD-EFGH-JKLM", user_id=ids["owner"], details={"modules": []})
        )
        db.session.commit()
        values["public_id"] = attempt.public_id
        values["invite_id"] = 1
    yield app, ids, values
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


EMAILS = {
    "owner": "owner@example.com",
    "other learner": "other@example.com",
    "team manager": "boss@example.com",
    "other manager": "boss2@example.com",
    "admin": "admin@example.com",
}


def url_of(rule, values) -> str:
    arguments = {
        "lang": "en",
        "slug": "alpha",
        "quiz_id": "sample",
        "number": 1,
        "question_id": "write-reply",
        "code": "ABCD-EFGH-JKLM",
        "filename": "style.css",
        "format": "csv",
        "token": values["reset_token"] if "reset" in rule.rule else values["invite_token"],
        **{k: v for k, v in values.items() if k in rule.arguments},
    }
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(arguments[name]))
        path = path.replace(f"<int:{name}>", str(arguments[name]))
        path = path.replace(f"<path:{name}>", str(arguments[name]))
    return path


def refused(response, role) -> bool:
    if response.status_code in (403, 404):
        return True
    return (
        role == "visitor"
        and response.status_code == 302
        and "/sign-in" in response.headers.get("Location", "")
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_route_lets_in_exactly_its_audience(world, role):
    app, ids, values = world
    client = app.test_client()
    if role == "owner":
        # The owner's own browser, where the attempt was taken.
        sign_in(client, EMAILS[role])
    elif role != "visitor":
        sign_in(client, EMAILS[role])
    rules = sorted(
        app.url_map.iter_rules(),
        key=lambda r: (
            r.endpoint in LAST,
            LAST.index(r.endpoint) if r.endpoint in LAST else 0,
            r.endpoint,
        ),
    )
    problems = []
    for rule in rules:
        url = url_of(rule, values)
        expected = allowed(AUDIENCE[rule.endpoint], role)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            with app.app_context():
                before = fingerprint()
            response = client.open(url, method=method, data={})
            response.close()
            with app.app_context():
                after = fingerprint()
            if expected and refused(response, role):
                problems.append(f"{method} {url}: {role} refused ({response.status_code})")
            if not expected:
                if not refused(response, role):
                    problems.append(f"{method} {url}: {role} let in ({response.status_code})")
                if before != after:
                    problems.append(f"{method} {url}: {role} refused, but the database changed")
            assert response.status_code < 500, f"{method} {url}: {response.status_code}"
            if response.mimetype == "text/html":
                page = response.get_data(as_text=True)
                # No attribute rendered from a missing value, no markup in the title.
                if '="None"' in page:
                    problems.append(f"{method} {url}: an attribute reads None")
                title = page.split("<title>", 1)[-1].split("</title>", 1)[0]
                if "<" in title:
                    problems.append(f"{method} {url}: markup inside <title>")
    assert problems == []
