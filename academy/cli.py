"""Command-line tools: `flask content check` and `flask translate …`.

They are registered as Flask CLI plugins (see pyproject.toml), so they run
even when the app itself refuses to start because the content is broken.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .config import PROJECT_ROOT, content_paths
from .core import LANGUAGES
from .core.catalog import load_catalog
from .core.freetext.guide import use_cache
from .core.instrument import measure_all, table


@click.group()
def content() -> None:
    """Lessons and quizzes."""


@content.command("check")
@click.option("--content-dir", type=click.Path(path_type=Path), help="Lessons folder.")
@click.option("--quizzes-dir", type=click.Path(path_type=Path), help="Quizzes folder.")
def check(content_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Validate every lesson and quiz; exit non-zero naming each problem."""
    default_content, default_quizzes = content_paths()
    use_cache(PROJECT_ROOT / "instance" / "cache")
    catalog, problems = load_catalog(content_dir or default_content, quizzes_dir or default_quizzes)
    rows = [row for _, quiz in sorted(catalog.quizzes.items()) for row in measure_all(quiz)]
    if rows:
        click.echo("Answering without reading (written answers blank), and how often the key")
        click.echo("is the longest option:\n")
        click.echo(table(rows) + "\n")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    lessons = sum(len(catalog.lessons.in_language(lang)) for lang in LANGUAGES)
    click.echo(
        f"ok: {lessons} lesson files in {len(LANGUAGES)} languages, {len(catalog.quizzes)} quizzes."
    )


@click.group()
def translate() -> None:
    """Translation catalogs (wraps pybabel)."""


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    result = subprocess.run(command, cwd=PROJECT_ROOT, check=False)
    if result.returncode != 0:
        raise click.ClickException(f"pybabel {args[0]} failed (exit {result.returncode})")


def extract(pot: Path = PROJECT_ROOT / "messages.pot") -> Path:
    """Extract every UI string of the code and templates into a template catalog."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "-o",
        str(pot),
        ".",
    )
    return pot


@translate.command("update")
def update() -> None:
    """Extract the strings and merge them into every catalog."""
    pot = extract()
    try:
        _pybabel("update", "-i", str(pot), "-d", "translations", "--no-fuzzy-matching")
    finally:
        os.remove(pot)


@translate.command("compile")
def compile_catalogs() -> None:
    """Compile the catalogs to .mo files (build output, not kept in git)."""
    _pybabel("compile", "-d", "translations", "--statistics")


@translate.command("init")
@click.argument("lang")
def init(lang: str) -> None:
    """Start the catalog of a new language."""
    pot = extract()
    try:
        _pybabel("init", "-i", str(pot), "-d", "translations", "-l", lang)
    finally:
        os.remove(pot)


@click.group()
def quizzes() -> None:
    """Quizzes and the attempts at them."""


@quizzes.command("rescore")
@click.argument("quiz_id")
@with_appcontext
def rescore(quiz_id: str) -> None:
    """Score every submitted attempt at QUIZ_ID again with the current quiz file.

    A submitted attempt keeps the judgement it was given; this changes it on
    purpose (after a key was corrected) and reports every change.
    """
    from .learn.scores import rescore_quiz

    changes = rescore_quiz(quiz_id)
    for change in changes:
        click.echo(change)
    click.echo(f"{len(changes)} attempt(s) changed.")


@click.group()
def users() -> None:
    """Accounts: create the first admin, add managers, disable an account."""


@users.command("create")
@click.option("--email", prompt=True, help="The sign-in address.")
@click.option("--name", prompt=True, help="The name shown on pages and certificates.")
@click.option(
    "--role",
    type=click.Choice(["learner", "manager", "admin"]),
    default="learner",
    show_default=True,
)
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters (asked for when not given).",
)
@with_appcontext
def create_user(email: str, name: str, role: str, language: str, password: str) -> None:
    """Create an account."""
    from . import people

    if len(password) < people.MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"The password needs at least {people.MIN_PASSWORD_LENGTH} characters."
        )
    if not name.strip() or len(name) > people.MAX_NAME_LENGTH:
        raise click.ClickException(f"The name needs 1 to {people.MAX_NAME_LENGTH} characters.")
    try:
        people.create_user(email, name, password, role, language)
    except people.DuplicateEmail:
        raise click.ClickException(f"An account with the address {email} already exists.") from None
    from .extensions import db

    db.session.commit()
    click.echo(f"Created {role} {people.normal_email(email)}.")


@users.command("disable")
@click.argument("email")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@with_appcontext
def disable_user(email: str, enable: bool) -> None:
    """Disable an account: it is signed out at its next request and cannot sign in."""
    from . import people

    user = people.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the address {email}.")
    people.set_active(user, enable)
    click.echo(f"{'Enabled' if enable else 'Disabled'} {user.email}.")


@click.command("demo")
@click.option("--password", help="The password of every demo account (else one is generated).")
@click.option(
    "--learners",
    type=click.IntRange(0, 100_000),
    default=100,
    show_default=True,
    help="Learners in the field sales teams (25 each), beside the named ones.",
)
@click.option(
    "--attempts",
    type=click.IntRange(0, 5_000_000),
    default=3000,
    show_default=True,
    help="Attempts among them: enough for item statistics and grading agreement.",
)
@with_appcontext
def demo(password: str | None, learners: int, attempts: int) -> None:
    """Load a realistic demo: an admin, two managers, three named teams, paths and attempts,
    plus field sales teams with a longer history (statistics and agreement need data).

    Safe to run twice: existing demo accounts are kept (their password is set
    again) and nothing is added twice. `--learners 500 --attempts 50000` makes
    the large data set for scale checks.
    """
    import secrets

    from .demo import load_demo

    password = password or secrets.token_urlsafe(9)
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    summary = load_demo(password)
    click.echo(summary)
    if learners:
        import time

        from .demo_scale import load_scale

        began = time.monotonic()
        click.echo(load_scale(learners, attempts, password))
        click.echo(f"({time.monotonic() - began:.1f} s)")
    click.echo(f"Every demo account signs in with the password: {password}")
