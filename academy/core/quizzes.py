"""Quiz files: load `quizzes/<id>.yaml` into typed, validated objects.

The format is described in docs/quiz-format.md. Validation collects every
problem with the file, the path inside it (``questions[3].options[b].text.bg``)
and what is wrong, so an author can fix a file in one pass.

Run ``python -m academy.core.quizzes FILE…`` to check files by hand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import LANGUAGES
from .errors import ContentError, Problem
from .freetext.files import load_guides
from .freetext.guide import TextGuide

QUESTION_TYPES = ("choice", "best_worst", "rank", "multi", "text")
SINGLE_CRITERION_TYPES = ("best_worst", "rank", "multi")
"""Types whose one credit is evidence on one criterion only (see docs/scoring.md)."""
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RATING_RANGE = range(1, 6)

Localized = dict[str, str]
"""A text given in every language: ``{"pl": …, "en": …, "bg": …, "ro": …}``."""


@dataclass(frozen=True)
class Criterion:
    """One row of a rubric: what is judged, how much it weighs, its levels."""

    id: str
    title: Localized
    descriptor: Localized
    weight: int
    levels: tuple[Localized, ...]

    @property
    def top(self) -> int:
        """The highest level index (levels run from 0 to ``top``)."""
        return len(self.levels) - 1


@dataclass(frozen=True)
class Option:
    """A response a learner can choose, with what it is worth."""

    id: str
    text: Localized
    feedback: Localized
    levels: dict[str, int] = field(default_factory=dict)  # choice
    rating: int | None = None  # best_worst
    rank: int | None = None  # rank
    keyed: bool = False  # multi


@dataclass(frozen=True)
class Question:
    """A scenario and what the learner is asked to do about it."""

    id: str
    type: str
    criteria: tuple[str, ...]
    title: Localized
    """A few words that tell the question apart from the others (review page)."""
    scenario: Localized
    prompt: Localized
    lesson: str
    lesson_anchor: str
    options: tuple[Option, ...] = ()
    choose: int | None = None
    model_answer: Localized | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @property
    def keyed_options(self) -> tuple[Option, ...]:
        """The option(s) an expert picks first: the top choice, the highest
        rating, rank 1, or every keyed option of a multi question."""
        if not self.options:
            return ()
        if self.type == "choice":
            return (max(self.options, key=lambda o: sum(o.levels.values())),)
        if self.type == "best_worst":
            return (max(self.options, key=lambda o: o.rating or 0),)
        if self.type == "rank":
            return (min(self.options, key=lambda o: o.rank or 0),)
        return tuple(o for o in self.options if o.keyed)

    @property
    def least_effective(self) -> Option | None:
        """The keyed worst option of a best_worst question."""
        if self.type != "best_worst":
            return None
        return min(self.options, key=lambda o: o.rating or 0)

    def in_expert_order(self, options: tuple[Option, ...] | None = None) -> tuple[Option, ...]:
        """Options of a rank question from the expert's first place to the last."""
        return tuple(sorted(options or self.options, key=lambda o: o.rank or 0))


@dataclass(frozen=True)
class Quiz:
    """A quiz: its rubric and its questions, in every language."""

    id: str
    lesson: str
    title: Localized
    description: Localized
    pass_mark: int
    rubric: tuple[Criterion, ...]
    questions: tuple[Question, ...]
    guides: Mapping[str, TextGuide] = field(default_factory=dict)
    """How each written (``text``) question is judged, by question id."""

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.rubric if c.id == criterion_id)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def position(self, question_id: str) -> int:
        """1-based position of a question in the quiz."""
        return next(i for i, q in enumerate(self.questions, 1) if q.id == question_id)

    @property
    def types(self) -> frozenset[str]:
        return frozenset(q.type for q in self.questions)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of keeping the last."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def load_yaml(path: Path) -> Any:
    """Read a YAML file as strict UTF-8, refusing duplicate keys."""
    text = path.read_text(encoding="utf-8", errors="strict")
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


class _Reader:
    """Walks raw YAML data, collecting problems with their paths."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def mapping(self, data: Any, path: str) -> dict:
        if not isinstance(data, dict):
            self.problem(path, "must be a mapping")
            return {}
        return data

    def listing(self, data: Any, path: str) -> list:
        if not isinstance(data, list):
            self.problem(path, "must be a list")
            return []
        return data

    def required(self, data: dict, key: str, path: str) -> Any:
        if key not in data or data[key] is None:
            self.problem(_join(path, key), "is missing")
            return None
        return data[key]

    def slug(self, data: dict, key: str, path: str) -> str:
        value = self.required(data, key, path)
        if value is None:
            return ""
        value = str(value)
        if not SLUG.match(value):
            self.problem(_join(path, key), f"{value!r} is not a slug (a-z, 0-9, hyphens)")
        return value

    def integer(self, data: dict, key: str, path: str, allowed: range) -> int:
        value = self.required(data, key, path)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(_join(path, key), f"must be a whole number, not {value!r}")
            return 0
        if value not in allowed:
            self.problem(
                _join(path, key), f"{value} is out of range {allowed.start}–{allowed.stop - 1}"
            )
        return value

    def localized(self, data: dict, key: str, path: str) -> Localized:
        value = self.required(data, key, path)
        if value is None:
            return {}
        return self.localized_value(value, _join(path, key))

    def localized_value(self, value: Any, here: str) -> Localized:
        if not isinstance(value, dict):
            self.problem(here, "must map each language (pl, en, bg, ro) to a text")
            return {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(f"{here}.{lang}", "is missing or empty")
        for extra in sorted(set(value) - set(LANGUAGES), key=str):
            self.problem(f"{here}.{extra}", "is not a language of the site")
        return {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}

    def unknown_keys(self, data: dict, allowed: set[str], path: str) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.problem(_join(path, str(key)), "is not a known field")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_QUIZ_KEYS = {"lesson", "title", "description", "pass_mark", "rubric", "questions"}
_CRITERION_KEYS = {"id", "title", "descriptor", "weight", "levels"}
_QUESTION_KEYS = {
    "id",
    "title",
    "type",
    "criteria",
    "scenario",
    "prompt",
    "lesson",
    "lesson_anchor",
    "options",
    "choose",
    "model_answer",
}
_OPTION_KEYS = {
    "choice": {"id", "text", "feedback", "levels"},
    "best_worst": {"id", "text", "feedback", "rating"},
    "rank": {"id", "text", "feedback", "rank"},
    "multi": {"id", "text", "feedback", "keyed"},
}


def parse_quiz(quiz_id: str, data: Any, file: str) -> Quiz:
    """Turn raw YAML data into a :class:`Quiz`, or raise :class:`ContentError`."""
    r = _Reader(file)
    if not SLUG.match(quiz_id):
        r.problem("", f"file name {quiz_id!r} is not a slug")
    data = r.mapping(data, "")
    r.unknown_keys(data, _QUIZ_KEYS, "")
    lesson = r.slug(data, "lesson", "")
    title = r.localized(data, "title", "")
    description = r.localized(data, "description", "")
    pass_mark = r.integer(data, "pass_mark", "", range(1, 101))

    rubric = _parse_rubric(r, r.listing(r.required(data, "rubric", "") or [], "rubric"))
    criteria = {c.id: c for c in rubric}
    questions = []
    seen: set[str] = set()
    raw_questions = r.listing(r.required(data, "questions", "") or [], "questions")
    for i, raw in enumerate(raw_questions):
        question = _parse_question(r, raw, f"questions[{i}]", criteria, lesson)
        if question.id in seen:
            r.problem(f"questions[{i}].id", f"{question.id!r} is used twice")
        seen.add(question.id)
        questions.append(question)
    if raw_questions and len(questions) < 8:
        r.problem("questions", f"has {len(questions)} questions; a quiz needs at least 8")
    used_types = {q.type for q in questions}
    if questions and len(used_types) < 4:
        r.problem("questions", f"uses {len(used_types)} question types; a quiz needs at least 4")
    for criterion in rubric:
        if questions and not any(criterion.id in q.criteria for q in questions):
            r.problem(f"rubric[{criterion.id}]", "no question gives evidence on this criterion")

    if r.problems:
        raise ContentError(r.problems)
    return Quiz(quiz_id, lesson, title, description, pass_mark, tuple(rubric), tuple(questions))


def _parse_rubric(r: _Reader, raw_rubric: list) -> list[Criterion]:
    if not 3 <= len(raw_rubric) <= 4:
        r.problem("rubric", f"has {len(raw_rubric)} criteria; a rubric needs 3 or 4")
    rubric: list[Criterion] = []
    for i, raw in enumerate(raw_rubric):
        path = f"rubric[{i}]"
        raw = r.mapping(raw, path)
        r.unknown_keys(raw, _CRITERION_KEYS, path)
        criterion_id = r.slug(raw, "id", path)
        if criterion_id:
            path = f"rubric[{criterion_id}]"
        if any(c.id == criterion_id for c in rubric):
            r.problem(f"{path}.id", f"{criterion_id!r} is used twice")
        levels_raw = r.listing(r.required(raw, "levels", path) or [], f"{path}.levels")
        if not 3 <= len(levels_raw) <= 4:
            r.problem(f"{path}.levels", f"has {len(levels_raw)} levels; a criterion needs 3 or 4")
        levels = tuple(
            r.localized_value(level, f"{path}.levels[{n}]") for n, level in enumerate(levels_raw)
        )
        rubric.append(
            Criterion(
                id=criterion_id,
                title=r.localized(raw, "title", path),
                descriptor=r.localized(raw, "descriptor", path),
                weight=r.integer(raw, "weight", path, range(1, 11)),
                levels=levels,
            )
        )
    return rubric


def _parse_question(
    r: _Reader, raw: Any, path: str, criteria: dict[str, Criterion], quiz_lesson: str
) -> Question:
    raw = r.mapping(raw, path)
    question_id = r.slug(raw, "id", path)
    r.unknown_keys(raw, _QUESTION_KEYS, path)
    kind = r.required(raw, "type", path)
    if kind is not None and kind not in QUESTION_TYPES:
        r.problem(f"{path}.type", f"{kind!r} is not one of {', '.join(QUESTION_TYPES)}")
        kind = None

    named = r.listing(r.required(raw, "criteria", path) or [], f"{path}.criteria")
    if not 1 <= len(named) <= 3:
        r.problem(f"{path}.criteria", "must name 1 to 3 criteria of the rubric")
    for name in named:
        if name not in criteria:
            r.problem(f"{path}.criteria", f"{name!r} is not a criterion of the rubric")
    if len(set(named)) != len(named):
        r.problem(f"{path}.criteria", "names a criterion twice")
    known = tuple(str(n) for n in named if n in criteria)

    lesson = str(raw.get("lesson") or quiz_lesson)
    if not SLUG.match(lesson):
        r.problem(f"{path}.lesson", f"{lesson!r} is not a slug")
    anchor = r.slug(raw, "lesson_anchor", path)
    question = dict(
        id=question_id,
        type=kind or "choice",
        criteria=known,
        title=r.localized(raw, "title", path),
        scenario=r.localized(raw, "scenario", path),
        prompt=r.localized(raw, "prompt", path),
        lesson=lesson,
        lesson_anchor=anchor,
    )
    if kind == "text":
        for key in ("options", "choose"):
            if key in raw:
                r.problem(f"{path}.{key}", "does not belong to a text question")
        model = r.localized(raw, "model_answer", path)
        return Question(**question, model_answer=model)
    if kind in SINGLE_CRITERION_TYPES and len(known) > 1:
        r.problem(
            f"{path}.criteria",
            f"a {kind} question gives evidence on one criterion; it names {len(known)}",
        )
    for key in ("model_answer",):
        if key in raw:
            r.problem(f"{path}.{key}", f"does not belong to a {kind} question")
    if kind is None:
        return Question(**question)
    options = _parse_options(r, raw, path, kind, known, criteria)
    choose = None
    if kind == "multi":
        choose = r.integer(raw, "choose", path, range(1, max(2, len(options))))
        keyed = sum(o.keyed for o in options)
        if choose and keyed != choose:
            r.problem(f"{path}.options", f"{keyed} options are keyed; choose is {choose}")
    elif "choose" in raw:
        r.problem(f"{path}.choose", f"does not belong to a {kind} question")
    return Question(**question, options=tuple(options), choose=choose)


def _parse_options(
    r: _Reader, raw: dict, path: str, kind: str, known: tuple[str, ...], criteria: dict
) -> list[Option]:
    raw_options = r.listing(r.required(raw, "options", path) or [], f"{path}.options")
    sizes = {"choice": (3, 5), "best_worst": (4, 5), "rank": (4, 5), "multi": (4, 6)}[kind]
    if not sizes[0] <= len(raw_options) <= sizes[1]:
        r.problem(
            f"{path}.options",
            f"has {len(raw_options)} options; a {kind} question needs {sizes[0]}–{sizes[1]}",
        )
    options: list[Option] = []
    for i, raw_option in enumerate(raw_options):
        where = f"{path}.options[{i}]"
        raw_option = r.mapping(raw_option, where)
        option_id = r.slug(raw_option, "id", where)
        if option_id:
            where = f"{path}.options[{option_id}]"
        if any(o.id == option_id for o in options):
            r.problem(f"{where}.id", f"{option_id!r} is used twice")
        r.unknown_keys(raw_option, _OPTION_KEYS[kind], where)
        option = dict(
            id=option_id,
            text=r.localized(raw_option, "text", where),
            feedback=r.localized(raw_option, "feedback", where),
        )
        if kind == "choice":
            option["levels"] = _parse_option_levels(r, raw_option, where, known, criteria)
        elif kind == "best_worst":
            option["rating"] = r.integer(raw_option, "rating", where, RATING_RANGE)
        elif kind == "rank":
            option["rank"] = r.integer(raw_option, "rank", where, range(1, len(raw_options) + 1))
        elif kind == "multi":
            keyed = raw_option.get("keyed", False)
            if not isinstance(keyed, bool):
                r.problem(f"{where}.keyed", "must be true or false")
            option["keyed"] = keyed is True
        options.append(Option(**option))
    _check_key(r, path, kind, options, known, criteria)
    return options


def _parse_option_levels(
    r: _Reader, raw_option: dict, where: str, known: tuple[str, ...], criteria: dict
) -> dict[str, int]:
    levels_raw = r.mapping(r.required(raw_option, "levels", where) or {}, f"{where}.levels")
    levels: dict[str, int] = {}
    for criterion_id in known:
        top = criteria[criterion_id].top
        levels[criterion_id] = r.integer(
            levels_raw, criterion_id, f"{where}.levels", range(top + 1)
        )
    for extra in sorted(set(levels_raw) - set(known), key=str):
        r.problem(f"{where}.levels.{extra}", "is not a criterion of this question")
    return levels


def _check_key(
    r: _Reader, path: str, kind: str, options: list[Option], known: tuple, criteria: dict
) -> None:
    """Every question must have exactly one unambiguous keyed answer."""
    if len(options) < 2:
        return
    if kind == "choice" and known:
        top = [o for o in options if all(o.levels.get(c) == criteria[c].top for c in known)]
        if len(top) != 1:
            r.problem(
                f"{path}.options",
                f"{len(top)} options reach the top level on every criterion; exactly one must",
            )
    elif kind == "best_worst":
        ratings = [o.rating for o in options]
        if ratings.count(max(ratings)) != 1 or ratings.count(min(ratings)) != 1:
            r.problem(f"{path}.options", "needs exactly one highest and one lowest rating")
    elif kind == "rank":
        ranks = sorted(o.rank or 0 for o in options)
        if ranks != list(range(1, len(options) + 1)):
            r.problem(f"{path}.options", f"ranks must be 1 to {len(options)}, each once")


def load_quiz(path: Path) -> Quiz:
    """Load and validate one quiz file; raise :class:`ContentError` naming the file."""
    try:
        data = load_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError([Problem(str(path), "", f"cannot be read: {error}")]) from error
    quiz = parse_quiz(path.stem, data, str(path))
    guides, problems = load_guides(quiz, path.parent)
    if problems:
        raise ContentError(problems)
    return replace(quiz, guides=guides)


def load_quizzes(folder: Path) -> tuple[dict[str, Quiz], list[Problem]]:
    """Load every ``*.yaml`` in ``folder``; return the good quizzes and all problems."""
    quizzes: dict[str, Quiz] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            quizzes[path.stem] = load_quiz(path)
        except ContentError as error:
            problems.extend(error.problems)
    return quizzes, problems


def main(argv: list[str]) -> int:
    """Check quiz files named on the command line, including model answers."""
    from .freetext.guide import model_answer_problems
    from .instrument import instrument_problems, measure_all, table

    status = 0
    for name in argv:
        try:
            quiz = load_quiz(Path(name))
        except ContentError as error:
            print(error)
            status = 1
            continue
        problems = model_answer_problems(quiz, name) + instrument_problems(quiz, name)
        print(table(measure_all(quiz)))
        for problem in problems:
            print(problem)
        if problems:
            status = 1
        else:
            print(f"{name}: ok")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
