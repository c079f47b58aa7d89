"""Translation catalogs: complete, no fuzzy entries, right plural forms, native text."""

import re

import pytest
from babel.messages.pofile import read_po

from academy.cli import extract

from .conftest import PROJECT

PLURALS = {"pl": 3, "en": 2, "bg": 2, "ro": 3}
CATALOGS = {
    lang: PROJECT / "translations" / lang / "LC_MESSAGES" / "messages.po" for lang in PLURALS
}


def catalog(lang):
    with CATALOGS[lang].open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", PLURALS)
def test_no_entry_is_untranslated_or_fuzzy(lang):
    entries = [m for m in catalog(lang) if m.id]
    assert entries, "the catalog is empty"
    untranslated = [
        m.id for m in entries if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", PLURALS)
def test_plural_forms_are_those_of_the_language(lang):
    messages = catalog(lang)
    assert messages.num_plurals == PLURALS[lang]
    for message in messages:
        if message.pluralizable and message.id:
            assert len(message.string) == PLURALS[lang], message.id


@pytest.mark.parametrize("lang", PLURALS)
def test_every_translation_keeps_the_placeholders_of_its_source(lang):
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog(lang).check()]
    assert problems == []


# Words spelled the same in English and in the language, and native there.
SAME_IN_BOTH = {"pl": {"Quiz", "Status", "Administrator"}, "bg": set(), "ro": set()}


@pytest.mark.parametrize("lang", ["pl", "bg", "ro"])
def test_no_english_is_left_in_other_languages(lang):
    copied = [
        m.id
        for m in catalog(lang)
        if m.id
        and not isinstance(m.id, tuple)
        and m.string == m.id
        and m.id not in SAME_IN_BOTH[lang]
        and re.search(r"[a-z]{3,}", re.sub(r"%\(\w+\)[sd]", "", m.id))
    ]
    assert copied == []


@pytest.mark.parametrize("lang", PLURALS)
def test_the_catalog_covers_every_string_in_the_code_with_its_plural(lang, tmp_path):
    pot = extract(tmp_path / "messages.pot")
    with pot.open("rb") as handle:
        extracted = [m for m in read_po(handle) if m.id]
    translated = catalog(lang)
    missing = [m.id for m in extracted if translated.get(m.id) is None]
    assert missing == [], "run `make translate-update` and translate the new strings"
    plural_mismatch = [
        m.id for m in extracted if translated.get(m.id).pluralizable != m.pluralizable
    ]
    assert plural_mismatch == []


def test_romanian_uses_comma_below_letters():
    for path in [
        CATALOGS["ro"],
        *(PROJECT / "content" / "ro").glob("*.md"),
        *(PROJECT / "quizzes").glob("*.yaml"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[şţŞŢ]", text), path
