"""Reading the files beside a quiz that its written questions are judged by.

- ``quizzes/freetext/<quiz-id>.<lang>.yaml``: the signs of each criterion;
- ``quizzes/examples/<quiz-id>.<lang>.yaml``: the graded example answers.

Every problem is collected with its file and path, as for the quiz files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import LANGUAGES
from ..errors import Problem
from .guide import EXAMPLE_KINDS, SPLITS, CriterionSigns, Example, TextGuide

if TYPE_CHECKING:
    from ..quizzes import Quiz


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
