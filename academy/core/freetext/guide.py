"""How each written question is judged: its signs, its graded examples, its judge.

Two kinds of files sit beside the quizzes:

- ``quizzes/freetext/<quiz-id>.<lang>.yaml``: for each written question and
  each of its criteria, the *signs* of the behaviour the rubric rewards and
  those of what it warns *against*, as phrases in that language;
- ``quizzes/examples/<quiz-id>.<lang>.yaml``: graded example answers written
  by native sales trainers, half to tune the judge and half held out to
  measure it, a few shown to learners.

:mod:`.files` reads them; the format is in docs/quiz-format.md, and how a
level is found in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import LANGUAGES
from ..errors import Problem
from . import review
from .signs import Phrase, compile_phrase, find_sign, phrase_words
from .words import WordForms, tokens

if TYPE_CHECKING:
    from ..quizzes import Quiz

EXAMPLE_KINDS = (
    "answer",
    "phrase-list",
    "opposite",
    "off-topic",
    "other-language",
    "lesson-pasted",
    "model-copy",
)
"""``answer`` is a genuine attempt; the others are ways of gaming the judge."""
SPLITS = ("tune", "holdout")
HELD_LEVEL_CAP = 1
"""A held answer is never suggested above this level."""

Phrases = Mapping[str, tuple[str, ...]]  # language → phrases


@dataclass(frozen=True)
class CriterionSigns:
    """The signs of one criterion in one written question."""

    criterion: str
    signs: Mapping[str, Phrases]  # sign name → phrases per language
    against: Mapping[str, Phrases] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A graded example answer."""

    id: str
    lang: str
    split: str
    kind: str
    levels: Mapping[str, int]
    text: str
    note: str
    show: bool = False


@dataclass(frozen=True)
class TextJudgement:
    """What the judge found in a written answer."""

    levels: dict[str, int]
    """The automatic level per criterion; at most 1 when the answer is held."""
    review: tuple[str, ...] = ()
    """Why the answer is held for review (codes of :mod:`.review`); empty if not."""
    signs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Names of the signs found per criterion. Internal: never shown to learners."""

    @property
    def held(self) -> bool:
        return bool(self.review)


# --- Word forms are shared by every guide of a language --------------------

_cache_dir: Path | None = None
_forms: dict[str, WordForms] = {}
_words: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}


def use_cache(directory: Path | None) -> None:
    """Keep the word forms of sign phrases in ``directory`` between runs."""
    global _cache_dir
    _cache_dir = directory


def _forms_for(lang: str) -> WordForms:
    current = _forms.get(lang)
    if current is None or not _words[lang] <= set(current.words):
        current = WordForms(lang, _words[lang], _cache_dir)
        _forms[lang] = current
    return current


class TextGuide:
    """Judges the answers to one written question."""

    def __init__(
        self,
        question_id: str,
        criteria: Mapping[str, CriterionSigns],
        tops: Mapping[str, int],
        examples: Mapping[str, tuple[Example, ...]],
        model_answer: Mapping[str, str],
        situation: Mapping[str, str],
    ):
        self.question_id = question_id
        self.criteria = dict(criteria)
        self.tops = dict(tops)
        self.examples = {lang: tuple(examples.get(lang, ())) for lang in LANGUAGES}
        self.model_answer = dict(model_answer)
        self._situation = dict(situation)
        self._references: dict[str, list[str]] = {
            lang: [self.model_answer.get(lang, "")]
            + [e.text for e in self.examples[lang] if e.show]
            for lang in LANGUAGES
        }
        self._compiled: dict[str, Any] = {}
        for signs in self.criteria.values():
            for phrases in [*signs.signs.values(), *signs.against.values()]:
                for lang, texts in phrases.items():
                    for text in texts:
                        _words[lang].update(phrase_words(text))

    def add_reference(self, lang: str, text: str) -> None:
        """Text the learner can read (a lesson): copying it is held for review."""
        self._references[lang].append(text)
        self._compiled.pop(lang, None)

    def shown_examples(self, lang: str) -> tuple[Example, ...]:
        """The graded examples learners see, from the lowest level to the highest."""
        shown = [e for e in self.examples[lang] if e.show]
        return tuple(sorted(shown, key=lambda e: sum(e.levels.values())))

    def _prepared(self, lang: str) -> dict[str, Any]:
        prepared = self._compiled.get(lang)
        if prepared is not None:
            return prepared
        forms = _forms_for(lang)

        def compile_all(named: Mapping[str, Phrases]) -> dict[str, tuple[Phrase, ...]]:
            return {
                name: tuple(compile_phrase(p, lang, forms) for p in phrases.get(lang, ()))
                for name, phrases in named.items()
            }

        topic_texts = [self._situation.get(lang, ""), self.model_answer.get(lang, "")]
        topic_texts += [
            e.text for e in self.examples[lang] if e.kind == "answer" and e.split == "tune"
        ]
        for signs in self.criteria.values():
            for phrases in signs.signs.values():
                topic_texts += list(phrases.get(lang, ()))
        prepared = {
            "signs": {c: compile_all(s.signs) for c, s in self.criteria.items()},
            "against": {c: compile_all(s.against) for c, s in self.criteria.items()},
            "references": {
                text.strip(): review.shingles(t.key for t in tokens(text, lang))
                for text in self._references[lang]
                if text
            },
            "topic": {
                review.topic_stem(t.key)
                for text in topic_texts
                for t in tokens(text, lang)
                if len(t.key) >= 4
            },
        }
        self._compiled[lang] = prepared
        return prepared

    def judge(
        self, text: str, lang: str, check_copy: bool = True, source: str | None = None
    ) -> TextJudgement:
        """Find the level on each criterion, and any reason to hold the answer.

        ``source`` is a shown text this answer *is* (a graded example being
        measured), which it is therefore not a copy of; learners never pass it.
        """
        prepared = self._prepared(lang)
        words = tokens(text, lang)
        levels: dict[str, int] = {}
        found: dict[str, tuple[str, ...]] = {}
        covered: set[int] = set()
        negated = 0
        positives = 0
        contradiction = False
        for criterion, named in prepared["signs"].items():
            matches = [find_sign(name, phrases, words, lang) for name, phrases in named.items()]
            hits = tuple(m.name for m in matches if m.found)
            negated += sum(m.negated for m in matches)
            positives += len(hits)
            for m in matches:
                covered |= m.positions
            against = [
                find_sign(name, phrases, words, lang)
                for name, phrases in prepared["against"][criterion].items()
            ]
            if any(m.found for m in against):
                contradiction = True
                levels[criterion] = 0
            else:
                levels[criterion] = min(self.tops[criterion], len(hits))
            found[criterion] = hits
        reasons = []
        if review.phrase_list(text, words, len(covered), lang):
            reasons.append("phrase-list")
        if review.not_in_language(text, lang):
            reasons.append("language")
        references = [
            shingled
            for shown, shingled in prepared["references"].items()
            if source is None or shown != source.strip()
        ]
        if check_copy and review.copies(words, references):
            reasons.append("copy")
        if negated and negated >= positives:
            reasons.append("negated")
        if contradiction:
            reasons.append("contradiction")
        if review.off_topic(words, prepared["topic"]):
            reasons.append("off-topic")
        if reasons:
            levels = {c: min(level, HELD_LEVEL_CAP) for c, level in levels.items()}
        return TextJudgement(levels, tuple(reasons), found)


def model_answer_problems(quiz: Quiz, file: str) -> list[Problem]:
    """Model answers must reach the top level and must not be held for review."""
    problems = []
    for index, question in enumerate(quiz.questions):
        guide = quiz.guides.get(question.id)
        if question.type != "text" or guide is None:
            continue
        for lang in LANGUAGES:
            judgement = guide.judge(guide.model_answer.get(lang, ""), lang, check_copy=False)
            where = f"questions[{index}].model_answer.{lang}"
            if judgement.held:
                problems.append(
                    Problem(file, where, f"is held for review ({', '.join(judgement.review)})")
                )
            for criterion, level in judgement.levels.items():
                if level < guide.tops[criterion]:
                    problems.append(
                        Problem(
                            file,
                            where,
                            f"reaches level {level} of {guide.tops[criterion]} on {criterion!r}; "
                            "the model answer must reach the top level",
                        )
                    )
    return problems
