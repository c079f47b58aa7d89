"""Finding a rubric's indicator phrases in a free-text answer.

Polish, Bulgarian and Romanian are inflected, and learners type with or
without diacritics, so matching works on folded words and word stems:

- text and indicators are case-folded and stripped of diacritics
  (``Przepraszamy`` → ``przepraszamy``, ``ș`` → ``s``, ``ł`` → ``l``, ``й`` → ``и``);
- an indicator word ending in ``*`` matches any word starting with it;
- any other word of five letters or more matches words that share all but
  its last two letters (``dostawa`` matches ``dostawy``, ``dostawie``);
- shorter words must match whole;
- the words of a phrase must appear in order with at most two other words
  between each pair;
- English contractions are spelled out first (``I'll`` → ``i will``,
  ``don't`` → ``do not``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import Problem

MAX_GAP = 2
STEM_MIN_LENGTH = 5
STEM_CUT = 2

# Letters NFKD does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"\w+")
# English contractions, so that "I'll call" matches an indicator "will call".
_CONTRACTIONS = (
    (re.compile(r"\b(can)['’]t\b"), r"\1 not"),
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"(\w)n['’]t\b"), r"\1 not"),
    (re.compile(r"(\w)['’]ll\b"), r"\1 will"),
    (re.compile(r"(\w)['’]re\b"), r"\1 are"),
    (re.compile(r"(\w)['’]ve\b"), r"\1 have"),
    (re.compile(r"(\w)['’]d\b"), r"\1 would"),
    (re.compile(r"\b(i)['’]m\b"), r"\1 am"),
)


def fold(text: str) -> str:
    """Lower-case ``text`` and remove diacritics, keeping the base letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)


def words(text: str) -> list[str]:
    """The folded words of a text, with English contractions spelled out."""
    folded = fold(text)
    for pattern, replacement in _CONTRACTIONS:
        folded = pattern.sub(replacement, folded)
    return _WORD.findall(folded)


@dataclass(frozen=True)
class _Pattern:
    prefix: str
    whole: bool

    def matches(self, word: str) -> bool:
        return word == self.prefix if self.whole else word.startswith(self.prefix)


def _pattern(word: str) -> _Pattern:
    if word.endswith("*"):
        return _Pattern(word.rstrip("*"), whole=False)
    if len(word) >= STEM_MIN_LENGTH:
        return _Pattern(word[:-STEM_CUT], whole=False)
    return _Pattern(word, whole=True)


def _patterns(indicator: str) -> list[_Pattern]:
    # Keep the star: it is part of the indicator's syntax, not a word character.
    raw = [w for w in re.findall(r"\w+\*?", fold(indicator))]
    return [_pattern(w) for w in raw]


def _found_from(patterns: list[_Pattern], tokens: list[str], start: int) -> bool:
    if not patterns:
        return True
    end = min(len(tokens), start + MAX_GAP + 1)
    return any(
        patterns[0].matches(tokens[i]) and _found_from(patterns[1:], tokens, i + 1)
        for i in range(start, end)
    )


def contains(text_words: list[str], indicator: str) -> bool:
    """Whether the indicator phrase occurs in the (already folded) words."""
    patterns = _patterns(indicator)
    if not patterns:
        return False
    return any(
        patterns[0].matches(word) and _found_from(patterns[1:], text_words, i + 1)
        for i, word in enumerate(text_words)
    )


def matched_indicators(text: str, indicators: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct indicators found in ``text``, in the order they are listed."""
    tokens = words(text)
    seen: set[str] = set()
    found = []
    for indicator in indicators:
        key = fold(indicator).strip()
        if key not in seen and contains(tokens, indicator):
            seen.add(key)
            found.append(indicator)
    return tuple(found)


def provisional_level(text: str, indicators: tuple[str, ...], top: int) -> int:
    """The automatic level: one level per distinct indicator found, up to ``top``."""
    return min(top, len(matched_indicators(text, indicators)))


def model_answer_problems(quiz, file: str) -> list[Problem]:
    """Model answers that would not reach the top level by their own indicators."""
    problems = []
    for index, question in enumerate(quiz.questions):
        if question.type != "text" or not question.model_answer:
            continue
        for criterion_id, per_lang in question.indicators.items():
            top = quiz.criterion(criterion_id).top
            for lang, phrases in per_lang.items():
                level = provisional_level(question.model_answer.get(lang, ""), phrases, top)
                if level < top:
                    problems.append(
                        Problem(
                            file,
                            f"questions[{index}].model_answer.{lang}",
                            f"reaches level {level} of {top} on {criterion_id!r}; "
                            "the model answer must reach the top level",
                        )
                    )
    return problems
