"""In a real browser (Chromium through Playwright): keyboard-only best/worst and ranking.

Playwright cannot download its own browser here; the tests use Debian's
Chromium (`apt-get install chromium`, done by .ci/run). Without it they are
skipped with a message, except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from .servers import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: apt-get install chromium")
    pytest.skip(
        "no Chromium on this machine (apt-get install chromium): browser tests skipped",
        allow_module_level=True,
    )

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("browser"), workers=2)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    opened = context.new_page()
    yield opened
    context.close()


def start_test_mode(page, server) -> str:
    page.goto(f"{server.base}/en/quizzes/sample")
    page.get_by_label("Test mode: see the feedback only after submitting").check()
    page.get_by_role("button", name="Start the quiz").click()
    return page.url.rsplit("/questions/", 1)[0]


def test_a_keyboard_only_learner_answers_best_worst_by_the_response_names(page, server):
    attempt = start_test_mode(page, server)
    page.goto(f"{attempt}/questions/2")
    best_b = page.get_by_role("radio", name="Most effective: option b [en]")
    worst_d = page.get_by_role("radio", name="Least effective: option d [en]")
    expect(best_b).to_be_visible()
    # Into the "most effective" group, then arrows within it, as a keyboard user does.
    page.get_by_role("radio", name=re.compile(r"^Most effective: ")).first.focus()
    while not best_b.is_checked():
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # on to the "least effective" group
    while not worst_d.is_checked():
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Save and continue"
    page.wait_for_url(re.compile(r"/questions/3$"))
    # With a pointer, clicking a response's text picks it as the most effective.
    page.goto(f"{attempt}/questions/2")
    page.get_by_text("option c [en]", exact=True).click()
    expect(page.get_by_role("radio", name="Most effective: option c [en]")).to_be_checked()
    page.get_by_role("radio", name="Most effective: option b [en]").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/questions/3$"))
    page.goto(f"{attempt}/questions/2")
    expect(page.get_by_role("radio", name="Most effective: option b [en]")).to_be_checked()
    expect(page.get_by_role("radio", name="Least effective: option d [en]")).to_be_checked()


def test_a_keyboard_only_learner_ranks_with_move_buttons_and_sees_the_order(page, server):
    attempt = start_test_mode(page, server)
    page.goto(f"{attempt}/questions/3")
    rows = page.locator("li[data-option]")
    expect(page.locator(".rank-list-enhanced")).to_have_count(1)
    first = rows.nth(0).get_attribute("data-option")
    # Move the first response down twice with the keyboard.
    page.get_by_role("button", name=f"Move down: option {first} [en]").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(rows.nth(2)).to_have_attribute("data-option", first)
    expect(page.locator("[data-rank-status]")).to_have_text("Now in place 3 of 4.")
    shown = [rows.nth(i).get_attribute("data-option") for i in range(4)]
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/questions/4$"))
    page.goto(f"{attempt}/questions/3")
    # Saved as built, and shown again in that order.
    assert [rows.nth(i).get_attribute("data-option") for i in range(4)] == shown


def test_a_new_hire_joins_from_an_invite_takes_the_path_and_prints_the_certificate(
    browser, server, tmp_path
):
    """The onboarding journey end to end: invite, self-assessment, grading, certificate."""
    from datetime import timedelta

    from academy import onboarding, people
    from academy.extensions import db
    from academy.models import utcnow

    from .conftest import KEYED_FORM, PASSWORD

    app = server.app()
    with app.app_context():
        boss = people.create_user("coach@example.com", "Coach Carter", PASSWORD, "manager")
        db.session.commit()
        team = people.create_team("Browser team", boss)
        path = onboarding.create_path("Week one", boss, [("alpha", "sample")])
        rules = onboarding.Rules(utcnow() + timedelta(days=5), None, "best", "assessment")
        onboarding.assign(path, [], rules, boss, team)
        token = people.create_invite(team, boss, "en", 7)
        db.session.remove()
        db.engine.dispose()

    learner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    learner.goto(f"{server.base}/en/invites/{token}")
    learner.get_by_label("Your name").fill("Nina Novak")
    learner.get_by_label("Email address").fill("nina@example.com")
    learner.get_by_label("Password", exact=True).fill(PASSWORD)
    learner.get_by_label("The password again").fill(PASSWORD)
    learner.get_by_role("button", name="Create my account").click()
    expect(learner.get_by_role("heading", name="My onboarding")).to_be_visible()
    expect(learner.get_by_text("due in 5 days")).to_be_visible()

    learner.get_by_role("link", name="Quiz", exact=True).click()
    learner.get_by_text("Rate yourself first (optional)").click()
    learner.get_by_label("asks-first level 3 [en]").check()
    learner.get_by_label("keeps-promises level 1 [en]").check()
    learner.get_by_role("button", name="Start the quiz").click()
    attempt = learner.url.rsplit("/questions/", 1)[0]
    for number, (question_id, fields) in KEYED_FORM.items():
        learner.goto(f"{attempt}/questions/{number}")
        # Post the page's own form with the keyed answer (each type's controls have
        # their own keyboard tests above).
        status = learner.evaluate(
            """([fields, question]) => {
                const form = document.querySelector('form.answer-form');
                const data = new URLSearchParams(new FormData(form));
                for (const name of [...data.keys()]) {
                    if (!['csrf_token', 'revision', 'question'].includes(name)) data.delete(name);
                }
                for (const [name, value] of Object.entries(fields)) {
                    for (const one of [].concat(value)) data.append(name, one);
                }
                return fetch(form.action, {method: 'POST', body: data, redirect: 'manual'})
                    .then(r => r.status);
            }""",
            [fields, question_id],
        )
        assert status in (0, 302), (number, status)  # 0: an opaque redirect
    learner.goto(f"{attempt}/review")
    learner.get_by_role("button", name="Submit my answers").click()
    expect(learner.get_by_text("Awaiting review:")).to_be_visible()
    expect(learner.locator("[data-direction]").first).to_be_visible()

    manager = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    manager.goto(f"{server.base}/en/sign-in")
    manager.get_by_label("Email address").fill("coach@example.com")
    manager.get_by_label("Password").fill(PASSWORD)
    manager.get_by_role("button", name="Sign in").click()
    manager.goto(f"{server.base}/en/manage/")
    expect(manager.locator('[data-cell="awaiting_review"]')).to_be_visible()  # the dashboard
    manager.get_by_role("link", name="Teams and paths").click()
    manager.get_by_role("link", name="Browser team").click()
    expect(manager.locator('[data-status="awaiting_review"]')).to_be_visible()
    manager.get_by_role("link", name="Nina Novak").click()
    manager.get_by_role("link", name="Sample quiz [en]").click()
    manager.get_by_label("3 – keeps-promises level 3 [en]").check()
    manager.get_by_label("3 – asks-first level 3 [en]").check()
    manager.get_by_label("Comment for the learner (optional)").fill("Well done, Nina.")
    manager.get_by_role("button", name="Save the levels").click()
    expect(manager.get_by_text("The levels are saved")).to_be_visible()

    learner.goto(f"{server.base}/en/")
    expect(learner.locator('[data-status="passed"]')).to_be_visible()
    learner.get_by_role("link", name="Your certificate").click()
    expect(learner.locator(".certificate-name")).to_have_text("Nina Novak")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", learner.url).group(0)
    # Anyone can check it by its code, in any language.
    anyone = browser.new_context().new_page()
    anyone.goto(f"{server.base}/ro/certificates/{code}")
    expect(anyone.locator(".certificate-name")).to_have_text("Nina Novak")
    # Printed: one framed page without the site's navigation or the print button.
    learner.emulate_media(media="print")
    expect(learner.locator(".site-nav")).to_be_hidden()
    expect(learner.get_by_role("button", name="Print the certificate")).to_be_hidden()
    pdf = learner.pdf(path=str(tmp_path / "certificate.pdf"))
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") <= 2
