"""How each written question is judged: its signs, its graded examples, its judge.

Two kinds of files sit beside the quizzes:

- ``quizzes/freetext/<quiz-id>.<lang>.yaml``: for each written question and
  each of its criteria, the *signs* of the behaviour the rubric rewards and
  those of what it warns *against*, as phrases in that language;
- ``quizzes/examples/<quiz-id>.<lang>.yaml``: graded example answers written
  by native sales trainers, half to tune the judge and half held out to
  measure it, a few shown to learners.

The format is in docs/quiz-format.md; how a level is found is in
docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

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


# --- Loading ---------------------------------------------------------------


def _read(path: Path, problems: list[Problem]) -> Any:
    from ..quizzes import load_yaml

    try:
        return load_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(Problem(str(path), "", f"cannot be read: {error}"))
        return None


def _phrase_list(raw: Any, file: str, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, where, "needs a list of phrases"))
        return ()
    # A phrase may be a bare number in YAML ("- 20"): read it as the text it is.
    if any(isinstance(p, bool) or not isinstance(p, str | int) or not str(p).strip() for p in raw):
        problems.append(Problem(file, where, "phrases must be non-empty texts"))
        return ()
    return tuple(str(p).strip() for p in raw)


def _named_phrases(
    raw: Any, file: str, where: str, problems: list[Problem], required: bool
) -> dict[str, tuple[str, ...]]:
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict) or (required and not raw):
        problems.append(Problem(file, where, "must name signs, each with a list of phrases"))
        return {}
    return {
        str(name): _phrase_list(value, file, f"{where}.{name}", problems)
        for name, value in raw.items()
    }


def _examples(
    raw: Any,
    lang: str,
    question_criteria: Mapping[str, tuple[str, ...]],
    tops,
    file: str,
    problems: list[Problem],
) -> dict[str, tuple[Example, ...]]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, "", "must map question ids to lists of examples"))
        return {}
    result = {}
    for question_id, items in raw.items():
        if question_id not in question_criteria:
            problems.append(
                Problem(file, str(question_id), "is not a written question of the quiz")
            )
            continue
        if not isinstance(items, list):
            problems.append(Problem(file, str(question_id), "must be a list of examples"))
            continue
        examples = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            where = f"{question_id}[{index}]"
            if not isinstance(item, dict):
                problems.append(Problem(file, where, "must be a mapping"))
                continue
            for extra in sorted(
                set(item) - {"id", "split", "kind", "levels", "text", "note", "show"}, key=str
            ):
                problems.append(Problem(file, f"{where}.{extra}", "is not a known field"))
            example_id = str(item.get("id") or "")
            if not example_id or example_id in seen:
                problems.append(Problem(file, f"{where}.id", "is missing or used twice"))
            seen.add(example_id)
            if item.get("split") not in SPLITS:
                problems.append(Problem(file, f"{where}.split", "must be tune or holdout"))
            if item.get("kind") not in EXAMPLE_KINDS:
                problems.append(
                    Problem(file, f"{where}.kind", f"must be one of {', '.join(EXAMPLE_KINDS)}")
                )
            for key in ("text", "note"):
                if not isinstance(item.get(key), str) or not item[key].strip():
                    problems.append(Problem(file, f"{where}.{key}", "is missing or empty"))
            levels = item.get("levels")
            criteria = question_criteria[question_id]
            if not isinstance(levels, dict) or set(levels) != set(criteria):
                problems.append(
                    Problem(file, f"{where}.levels", f"must give a level for {', '.join(criteria)}")
                )
                levels = {}
            for criterion, level in levels.items():
                if (
                    isinstance(level, bool)
                    or not isinstance(level, int)
                    or not (0 <= level <= tops[criterion])
                ):
                    problems.append(
                        Problem(file, f"{where}.levels.{criterion}", f"{level!r} is not a level")
                    )
            if item.get("show") and item.get("kind") != "answer":
                problems.append(Problem(file, f"{where}.show", "only genuine answers are shown"))
            examples.append(
                Example(
                    id=example_id,
                    lang=lang,
                    split=str(item.get("split")),
                    kind=str(item.get("kind")),
                    levels={str(c): int(v) for c, v in levels.items() if isinstance(v, int)},
                    text=str(item.get("text") or "").strip(),
                    note=str(item.get("note") or "").strip(),
                    show=item.get("show") is True,
                )
            )
        result[str(question_id)] = tuple(examples)
    return result


def load_guides(quiz: Quiz, folder: Path) -> tuple[dict[str, TextGuide], list[Problem]]:
    """The guides of a quiz's written questions, from the files beside it."""
    problems: list[Problem] = []
    written = [q for q in quiz.questions if q.type == "text"]
    if not written:
        return {}, problems
    criteria_of = {q.id: q.criteria for q in written}
    tops = {c.id: c.top for c in quiz.rubric}
    # question → criterion → "signs" | "against" → sign name → language → phrases
    signs: dict[str, dict[str, dict[str, dict[str, dict[str, tuple[str, ...]]]]]] = {
        q.id: {c: {"signs": {}, "against": {}} for c in q.criteria} for q in written
    }
    examples: dict[str, dict[str, tuple[Example, ...]]] = {q.id: {} for q in written}
    for lang in LANGUAGES:
        _load_signs(folder / "freetext" / f"{quiz.id}.{lang}.yaml", lang, written, signs, problems)
        path = folder / "examples" / f"{quiz.id}.{lang}.yaml"
        if path.exists():
            data = _read(path, problems)
            if data is not None:
                found = _examples(data, lang, criteria_of, tops, str(path), problems)
                for question_id, items in found.items():
                    examples[question_id][lang] = items
    guides = {}
    for question in written:
        criteria = {
            c: CriterionSigns(c, parts["signs"], parts["against"])
            for c, parts in signs[question.id].items()
        }
        situation = {
            lang: f"{question.scenario.get(lang, '')}\n{question.prompt.get(lang, '')}"
            for lang in LANGUAGES
        }
        guides[question.id] = TextGuide(
            question.id,
            criteria,
            {c: tops[c] for c in question.criteria},
            examples[question.id],
            question.model_answer or {},
            situation,
        )
    return guides, problems


def _load_signs(path: Path, lang: str, written, signs, problems: list[Problem]) -> None:
    file = str(path)
    if not path.exists():
        problems.append(Problem(file, "", "is missing: written questions need signs"))
        return
    raw = _read(path, problems)
    if raw is None:
        return
    if not isinstance(raw, dict):
        problems.append(Problem(file, "", "must map written question ids to criteria"))
        return
    for extra in sorted(set(raw) - {q.id for q in written}, key=str):
        problems.append(Problem(file, str(extra), "is not a written question of the quiz"))
    for question in written:
        per_criterion = raw.get(question.id)
        if not isinstance(per_criterion, dict):
            problems.append(Problem(file, question.id, "is missing"))
            continue
        for extra in sorted(set(per_criterion) - set(question.criteria), key=str):
            problems.append(Problem(file, f"{question.id}.{extra}", "is not a criterion of it"))
        for criterion in question.criteria:
            where = f"{question.id}.{criterion}"
            entry = per_criterion.get(criterion)
            if not isinstance(entry, dict):
                problems.append(Problem(file, where, "needs `signs`"))
                continue
            for extra in sorted(set(entry) - {"signs", "against"}, key=str):
                problems.append(Problem(file, f"{where}.{extra}", "is not a known field"))
            for part, required in (("signs", True), ("against", False)):
                named = _named_phrases(entry.get(part), file, f"{where}.{part}", problems, required)
                for name, phrases in named.items():
                    signs[question.id][criterion][part].setdefault(name, {})[lang] = phrases


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
