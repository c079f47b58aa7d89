"""`flask users …` for the first accounts, and `flask demo` for a populated site."""

from sqlalchemy import func, select

from academy.extensions import db
from academy.models import Assignment, Attempt, Certificate, Membership, Team, User

from .conftest import PASSWORD, sign_in


def test_users_create_makes_the_first_admin_and_refuses_bad_input(app):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "Root@Example.com",
            "--name",
            "Root",
            "--password",
            PASSWORD,
        ],
    )
    assert made.exit_code == 0, made.output
    assert "Created admin root@example.com" in made.output
    again = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "root@example.com",
            "--name",
            "Two",
            "--password",
            PASSWORD,
        ],
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(
        args=["users", "create", "--email", "x@example.com", "--name", "X", "--password", "short"],
    )
    assert short.exit_code != 0 and "at least 10" in short.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    sign_in(app.test_client(), "root@example.com")


def test_users_disable_signs_out_and_refuses_sign_in(app, client):
    runner = app.test_cli_runner()
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "lena@example.com",
            "--name",
            "Lena",
            "--password",
            PASSWORD,
        ],
    )
    sign_in(client, "lena@example.com")
    result = runner.invoke(args=["users", "disable", "lena@example.com"])
    assert result.exit_code == 0 and "Disabled" in result.output
    assert client.get("/en/account").status_code == 302
    assert runner.invoke(args=["users", "disable", "nobody@example.com"]).exit_code != 0
    runner.invoke(args=["users", "disable", "--enable", "lena@example.com"])
    sign_in(client, "lena@example.com")


def test_the_demo_is_realistic_and_safe_to_run_twice(real_app):
    runner = real_app.test_cli_runner()
    first = runner.invoke(args=["demo", "--password", "demo-pass-2026"])
    assert first.exit_code == 0, first.output
    with real_app.app_context():

        def count(model, *where):
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

        roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
        teams = count(Team)
        sizes = [
            count(Membership, Membership.team_id == team.id)
            for team in db.session.scalars(select(Team).where(~Team.name.like("Field sales %")))
        ]
        field_teams = count(Team, Team.name.like("Field sales %"))
        languages = set(db.session.scalars(select(User.language)))
        before = (count(User), count(Attempt), count(Assignment), count(Certificate))
        states = {
            "in progress": count(Attempt, Attempt.submitted_at.is_(None)),
            "awaiting review": count(
                Attempt, Attempt.needs_review.is_(True), Attempt.reviewed_at.is_(None)
            ),
            "passed": count(Attempt, Attempt.passed.is_(True), Attempt.reviewed_at.is_not(None)),
            "failed": count(Attempt, Attempt.passed.is_(False), Attempt.submitted_at.is_not(None)),
        }
        held = sum(
            1
            for attempt in db.session.scalars(select(Attempt))
            for answer in attempt.answers
            if (answer.judgement or {}).get("review")
        )
    assert roles["admin"] == 1 and roles["manager"] == 2
    assert teams == 3 + field_teams and len(sizes) == 3 and all(6 <= size <= 10 for size in sizes)
    assert field_teams == 4  # 100 learners in teams of 25, with 3,000 attempts
    assert languages == {"pl", "en", "bg", "ro"}
    assert all(states.values()), states
    assert held >= 1
    assert before[3] >= 1  # someone has finished a path

    second = runner.invoke(args=["demo", "--password", "demo-pass-2026"])
    assert second.exit_code == 0 and "already loaded" in second.output
    with real_app.app_context():
        after = (count(User), count(Attempt), count(Assignment), count(Certificate))
    assert after == before

    manager = real_app.test_client()
    sign_in(manager, "manager@example.com", "demo-pass-2026")
    page = manager.get("/pl/manage/").text
    assert "Warszawa" in page
    learner = real_app.test_client()
    sign_in(learner, "learner@example.com", "demo-pass-2026")
    home = learner.get("/en/").text
    assert 'data-status="passed"' in home and 'data-status="not_started"' in home


def test_without_a_password_the_demo_prints_the_one_it_generated(real_app):
    result = real_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0
    password = result.output.strip().rsplit(": ", 1)[1]
    assert len(password) >= 10
    sign_in(real_app.test_client(), "learner@example.com", password)


def test_the_progress_read_model_agrees_with_the_attempts_everywhere(real_app):
    """module_progress, kept up to date by every write, gives the statuses the attempts give."""
    from academy import insight, onboarding
    from academy.core.progress import summary_state
    from academy.models import Assignment, utcnow

    assert real_app.test_cli_runner().invoke(args=["demo", "--password", "x" * 12]).exit_code == 0
    with real_app.app_context():
        assignments = list(db.session.scalars(select(Assignment)))
        now = utcnow()
        from_attempts = onboarding.module_states(assignments, now)
        stored = insight.summaries([a.id for a in assignments])
        checked = 0
        for assignment in assignments:
            for module in assignment.path.modules:
                expected = from_attempts[(assignment.id, module.quiz_id)]
                summary = stored.get((assignment.id, module.quiz_id), insight.EMPTY)
                got = summary_state(
                    summary,
                    counts=assignment.counts,
                    due_at=assignment.due_at,
                    limit=assignment.attempt_limit,
                    now=now,
                )
                assert (got.status, got.used, got.left) == (
                    expected.status,
                    expected.used,
                    expected.left,
                )
                if expected.counting:
                    assert got.counting.percent == expected.counting.percent
                checked += 1
    assert checked > 50
