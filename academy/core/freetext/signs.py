"""Finding a criterion's signs in an answer, with negation.

A *sign* is one behaviour the rubric rewards (or warns against), written as
a few alternative phrases per language. A phrase matches when its words
appear in order with at most two other words between each pair; a word
ending in ``*`` matches any word starting with it, any other word matches
every form of its lemma (see :mod:`.words`).

A match is *negated* when a negating word stands up to five words before it
in the same clause, or between its words: "I will not confirm" does not
count as confirming. A phrase that itself contains a negating word ("we
cannot", "nie możemy") is meant as written and is never negated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import NEGATORS, Token, WordForms, key

MAX_GAP = 2
NEGATION_REACH = 5


@dataclass(frozen=True)
class _Word:
    keys: frozenset[str]
    prefix: str | None = None

    def matches(self, token_key: str) -> bool:
        if self.prefix is not None:
            return token_key.startswith(self.prefix)
        return token_key in self.keys


@dataclass(frozen=True)
class Phrase:
    """One phrase of a sign, ready to match against an answer's tokens."""

    text: str
    words: tuple[_Word, ...]
    negative: bool  # the phrase itself says "not"

    def spans(self, tokens: list[Token]) -> list[tuple[int, ...]]:
        """Every placement of the phrase in the tokens, as matched positions."""
        found = []
        for start, token in enumerate(tokens):
            if self.words and self.words[0].matches(token.key):
                rest = self._place(tokens, 1, start)
                if rest is not None:
                    found.append((start, *rest))
        return found

    def _place(self, tokens: list[Token], index: int, after: int) -> tuple[int, ...] | None:
        if index == len(self.words):
            return ()
        for position in range(after + 1, min(len(tokens), after + MAX_GAP + 2)):
            if self.words[index].matches(tokens[position].key):
                rest = self._place(tokens, index + 1, position)
                if rest is not None:
                    return (position, *rest)
        return None


def phrase_words(phrase: str) -> list[str]:
    """The plain (non-prefix) words of a phrase, for looking up their forms."""
    return [w for w in re.findall(r"[^\W_]+\*?", phrase) if not w.endswith("*")]


def compile_phrase(phrase: str, lang: str, forms: WordForms) -> Phrase:
    words = []
    negative = False
    for raw in re.findall(r"[^\W_]+\*?", phrase):
        if raw.endswith("*"):
            words.append(_Word(frozenset(), prefix=key(raw[:-1], lang)))
            negative = negative or key(raw[:-1], lang) in NEGATORS[lang]
        else:
            words.append(_Word(forms.of(raw)))
            negative = negative or key(raw, lang) in NEGATORS[lang]
    return Phrase(phrase, tuple(words), negative)


@dataclass(frozen=True)
class SignMatch:
    """Whether a sign was found in an answer, and how."""

    name: str
    found: bool  # at least one placement that is not negated
    negated: bool  # placements exist, but every one is negated
    positions: frozenset[int]  # token positions of the placements that count


def is_negated(tokens: list[Token], span: tuple[int, ...], lang: str) -> bool:
    """Whether a placement is in the scope of a negating word."""
    negators = NEGATORS[lang]
    start, end = span[0], span[-1]
    clause = tokens[start].clause
    before = range(max(0, start - NEGATION_REACH), start)
    if any(tokens[i].key in negators and tokens[i].clause == clause for i in before):
        return True
    inside = set(range(start, end + 1)) - set(span)
    return any(tokens[i].key in negators for i in inside)


def find_sign(name: str, phrases: tuple[Phrase, ...], tokens: list[Token], lang: str) -> SignMatch:
    """Look for any of a sign's phrases in the tokens."""
    counted: set[int] = set()
    placed = False
    for phrase in phrases:
        for span in phrase.spans(tokens):
            placed = True
            if phrase.negative or not is_negated(tokens, span, lang):
                counted.update(span)
    return SignMatch(name, bool(counted), placed and not counted, frozenset(counted))
