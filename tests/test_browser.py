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
