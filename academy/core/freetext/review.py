"""Why a written answer is held for a person to review instead of rewarded.

Each check returns a reason code, or nothing. The thresholds were set on the
tuning half of the graded example answers and are checked on the held-out
half (``tests/test_freetext.py``); docs/scoring.md gives the
figures.

- ``phrase-list``: it reads as a list of phrases rather than a message: its
  stretches between punctuation (of two words or more) average a few words,
  or the rubric's signs cover half of it;
- ``language``: it is not written in the language of the page;
- ``copy``: it copies text the course shows (the model answer, the example
  answers, the lesson);
- ``negated``: it names what the rubric rewards only to say it will not do it;
- ``contradiction``: it does what the rubric warns against;
- ``off-topic``: it hardly shares a word with the situation it answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .words import Token, script_share, segments, tokens

REASONS = ("phrase-list", "language", "copy", "negated", "contradiction", "off-topic")

SHORT_SEGMENT_WORDS = 3.4
"""A message's stretches between punctuation (of two words or more) average more words."""
MIN_SEGMENTS_FOR_LIST = 3
SIGN_DENSITY = 0.5
"""Share of an answer's words that sign phrases may cover in a real message."""
COPY_SHINGLE = 4
COPY_SHARE = 0.5
"""Share of an answer's four-word runs found in one text the course shows."""
TOPIC_SHARE = 0.4
"""Share of an answer's content words that must belong to the situation."""
MIN_WORDS_TO_JUDGE = 8


def phrase_list(text: str, words: list[Token], covered: int, lang: str) -> bool:
    if not words:
        return False
    # One-word stretches are greetings and sign-offs as often as list items.
    lengths = [n for n in (len(tokens(part, lang)) for part in segments(text)) if n >= 2]
    if len(lengths) >= MIN_SEGMENTS_FOR_LIST and sum(lengths) / len(lengths) <= SHORT_SEGMENT_WORDS:
        return True
    return len(words) >= 5 and covered / len(words) >= SIGN_DENSITY


@cache
def _identifiers():
    from py3langid import langid

    path = langid.MODEL_DIR / langid.MODEL_FILE
    course = langid.LanguageIdentifier.from_modelpath(path, norm_probs=True)
    course.set_languages(["pl", "en", "bg", "ro"])
    every = langid.LanguageIdentifier.from_modelpath(path, norm_probs=True)
    return course, every


def written_language(text: str, page_lang: str) -> str | None:
    """The course language a text is written in, or None when it cannot be told.

    Bulgarian typed in Latin letters is Bulgarian: on a Bulgarian page a text
    in Latin letters counts as foreign only when it reads as one of the
    course's other languages.
    """
    if len(text.split()) < MIN_WORDS_TO_JUDGE:
        return None
    course, every = _identifiers()
    latin, cyrillic = script_share(text)
    if page_lang == "bg" and latin > 0.5:
        found, _ = every.classify(text)
        return found if found in ("pl", "en", "ro") else "bg"
    if cyrillic > 0.5:
        return "bg"
    found, _ = course.classify(text)
    return found


def not_in_language(text: str, page_lang: str) -> bool:
    found = written_language(text, page_lang)
    return found is not None and found != page_lang


def shingles(words: Iterable[str], size: int = COPY_SHINGLE) -> set[tuple[str, ...]]:
    items = list(words)
    return {tuple(items[i : i + size]) for i in range(len(items) - size + 1)}


def copies(words: list[Token], references: Iterable[set[tuple[str, ...]]]) -> bool:
    own = shingles(t.key for t in words)
    if len(words) < MIN_WORDS_TO_JUDGE or not own:
        return False
    return any(len(own & ref) / len(own) >= COPY_SHARE for ref in references)


def topic_stem(token_key: str) -> str:
    """A coarse stem for the topic check only: the first five letters."""
    return token_key[:5]


def off_topic(words: list[Token], topic: set[str]) -> bool:
    content = [t.key for t in words if len(t.key) >= 4 and not t.key.isdigit()]
    if len(content) < MIN_WORDS_TO_JUDGE or not topic:
        return False
    shared = sum(topic_stem(k) in topic for k in content)
    return shared / len(content) < TOPIC_SHARE
