"""Lessons: every lesson renders in every language, safely and completely."""

import re

import pytest

from academy.core import LANGUAGES
from academy.core.lessons import render_markdown

from .conftest import PROJECT

SLUGS = sorted(
    p.stem for p in (PROJECT / "content" / "en").glob("*.md") if not p.name.startswith("_")
)


def test_the_course_has_the_four_lessons():
    assert SLUGS == [
        "customer-partner",
        "lasting-relationships",
        "relationship-cost",
        "three-mistakes",
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_lesson_renders_in_every_language(real_app, real_client, lang, slug):
    lesson = real_app.extensions["academy.catalog"].lessons.get(lang, slug)
    response = real_client.get(f"/{lang}/lessons/{slug}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{lesson.title}</h1>" in response.text.replace("&#39;", "'")
    assert 'id="objectives"' in response.text
    assert 'class="credit"' in response.text
    assert lesson.source.title in response.text.replace("&#34;", '"')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_lesson_page_links_to_its_quiz_and_neighbours(real_client, lang):
    pages = {slug: real_client.get(f"/{lang}/lessons/{slug}").text for slug in SLUGS}
    for slug, page in pages.items():
        for href in re.findall(r'href="(/[a-z]{2}/(?:lessons|quizzes)/[^"#]+)"', page):
            assert real_client.get(href).status_code == 200, (slug, href)
        assert re.search(rf'href="/{lang}/quizzes/[a-z-]+"', page), slug
    assert sum('rel="next"' in page for page in pages.values()) == len(SLUGS) - 1
    assert sum('rel="prev"' in page for page in pages.values()) == len(SLUGS) - 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lesson_list_shows_every_lesson_in_course_order(real_app, real_client, lang):
    response = real_client.get(f"/{lang}/lessons/")
    assert response.status_code == 200
    titles = [
        lesson.title for lesson in real_app.extensions["academy.catalog"].lessons.in_language(lang)
    ]
    positions = [response.text.replace("&#39;", "'").find(title) for title in titles]
    assert all(p > 0 for p in positions)
    assert positions == sorted(positions)


def test_a_lesson_page_has_a_table_of_contents_pointing_at_its_sections(client):
    page = client.get("/en/lessons/alpha").text
    assert '<nav class="toc"' in page
    assert '<a href="#asking">Asking first</a>' in page
    assert '<h2 id="asking">Asking first</h2>' in page


def test_real_lessons_take_several_minutes_to_read(real_app):
    for lesson in real_app.extensions["academy.catalog"].lessons.in_language("en"):
        assert lesson.words > 800, lesson.slug
        assert lesson.reading_minutes == -(-lesson.words // 200)


def test_raw_html_in_markdown_is_sanitized():
    html = render_markdown(
        'Hello <script>alert(1)</script> <a href="javascript:alert(2)" onclick="x()">x</a>'
        " <img src=x onerror=alert(3)>"
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "onerror" not in html


def test_tables_and_lists_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<ul>" in html and "<li>one</li>" in html


def test_the_fixture_lesson_script_does_not_reach_the_page(client):
    page = client.get("/en/lessons/alpha").text
    assert "alert(1)" not in page
    assert "<script>" not in page


def test_lessons_are_cached_and_not_reread_outside_debug(app, monkeypatch):
    lessons = app.extensions["academy.catalog"].lessons
    first = lessons.get("en", "alpha")
    monkeypatch.setattr("academy.core.lessons.load_lesson", lambda *a: pytest.fail("re-read"))
    assert lessons.get("en", "alpha") is first


def test_every_lesson_has_the_same_sections_in_every_language(real_app):
    lessons = real_app.extensions["academy.catalog"].lessons
    for slug in SLUGS:
        anchors = {lang: lessons.get(lang, slug).anchors for lang in LANGUAGES}
        assert all(a == anchors["en"] for a in anchors.values()), slug


def test_a_lesson_opens_with_its_key_takeaways(client):
    page = client.get("/pl/lessons/alpha").text
    box = page.split('class="takeaways"', 1)[1].split("</aside>", 1)[0]
    assert "first takeaway [pl]" in box and "third takeaway [pl]" in box
