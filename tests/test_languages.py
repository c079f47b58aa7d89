"""Languages: URLs carry the language, `/` finds the best one, the switcher works."""

import re

import pytest

from academy.core import LANGUAGES


@pytest.mark.parametrize(
    "header, expected",
    [
        ("pl-PL,pl;q=0.9,en;q=0.8", "pl"),
        ("bg", "bg"),
        ("ro-RO", "ro"),
        ("de-DE,ro;q=0.5", "ro"),
        ("de-DE,fr;q=0.5", "en"),
        ("", "en"),
    ],
)
def test_the_front_door_follows_the_browser_language(client, header, expected):
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/{expected}/"


def test_the_saved_choice_beats_the_browser(client):
    client.set_cookie("lang", "bg")
    response = client.get("/", headers={"Accept-Language": "pl"})
    assert response.headers["Location"] == "/bg/"


def test_a_forged_saved_choice_is_ignored(client):
    client.set_cookie("lang", "xx")
    response = client.get("/", headers={"Accept-Language": "ro"})
    assert response.headers["Location"] == "/ro/"


def test_reading_a_page_saves_its_language(client):
    client.get("/ro/lessons/")
    assert client.get_cookie("lang").value == "ro"
    assert client.get("/").headers["Location"] == "/ro/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_declare_their_language_and_alternates(client, lang):
    page = client.get(f"/{lang}/lessons/alpha").text
    assert f'<html lang="{lang}">' in page
    for other in LANGUAGES:
        assert f'<link rel="alternate" hreflang="{other}" href="/{other}/lessons/alpha">' in page


@pytest.mark.parametrize(
    "path", ["/", "/lessons/", "/lessons/alpha", "/quizzes/", "/quizzes/sample"]
)
def test_the_switcher_leads_to_the_same_page_in_each_language(client, path):
    page = client.get(f"/en{path}").text
    switcher = page.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)" hreflang="([a-z]{2})"', switcher)
    assert sorted(lang for _, lang in links) == sorted(LANGUAGES)
    for href, lang in links:
        assert href == f"/{lang}{path}"
        response = client.get(href)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.text


def test_an_unknown_language_is_a_proper_404_page(client):
    response = client.get("/de/lessons/alpha", headers={"Accept-Language": "pl"})
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert '<html lang="pl">' in response.text


def test_an_unknown_lesson_is_a_404_in_the_page_language(client):
    response = client.get("/bg/lessons/no-such-lesson")
    assert response.status_code == 404
    assert '<html lang="bg">' in response.text
    assert 'href="/bg/lessons/"' in response.text


def test_an_unknown_quiz_is_a_404(client):
    assert client.get("/en/quizzes/no-such-quiz").status_code == 404


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_interface_is_translated(client, lang):
    page = client.get(f"/{lang}/lessons/").text
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    if lang == "en":
        assert ">Lessons<" in nav
    else:
        assert ">Lessons<" not in nav, "the navigation is still in English"


def test_numbers_and_dates_follow_the_locale(app):
    from flask_babel import format_decimal, format_percent

    with app.test_request_context("/pl/"):
        app.preprocess_request()
        assert format_decimal(1234.5) == "1\xa0234,5"
        assert format_percent(0.5) == "50%"
    with app.test_request_context("/en/"):
        app.preprocess_request()
        assert format_decimal(1234.5) == "1,234.5"


def test_an_unknown_address_under_a_language_is_a_404_in_that_language(client):
    response = client.get("/ro/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert '<html lang="ro">' in response.text
    assert "Page not found" not in response.text


def test_the_site_has_an_icon_and_no_404_for_favicon_ico(client):
    page = client.get("/en/").text
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and b"<svg" in icon.data
    icon.close()


def test_titles_stay_with_names_and_ranges_stay_whole():
    from academy.templating import keep_together

    assert keep_together("Здравей, г-н Георгиев: 5–8 изречения") == (
        "Здравей, г\u2011н\u00a0Георгиев: 5\u2060–\u20608 изречения"
    )
    assert keep_together("Write to Ms Hayes (5-8 sentences)") == (
        "Write to Ms\u00a0Hayes (5\u2060–\u20608 sentences)"
    )
