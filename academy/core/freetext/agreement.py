"""How well the automatic judge agrees with the graded example answers.

For every written question and language, each example answer is judged and
its counted levels (0 when the answer is held for review) are paired with the
trainer's levels, criterion by criterion. Agreement is reported per language
and split as exact agreement and quadratic weighted kappa; docs/scoring.md
quotes the held-out figures and ``tests/test_freetext.py`` keeps
them above a floor.

Run ``python -m academy.core.freetext.agreement [--split tune] [--lang pl] [-v]``
to see the table (and, with ``-v``, every example).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import LANGUAGES
from ..statistics import exact_agreement, quadratic_weighted_kappa
from .guide import Example, TextGuide, TextJudgement


@dataclass(frozen=True)
class Judged:
    """One example answer with the trainer's and the judge's levels."""

    quiz_id: str
    question_id: str
    example: Example
    judgement: TextJudgement

    @property
    def counted(self) -> dict[str, int]:
        """The levels that count: 0 on every criterion while held."""
        if self.judgement.held:
            return {c: 0 for c in self.example.levels}
        return {c: self.judgement.levels[c] for c in self.example.levels}


@dataclass(frozen=True)
class Agreement:
    lang: str
    split: str
    pairs: int
    exact: float
    kappa: float
    gaming_held: int
    gaming: int
    genuine_held: int
    genuine: int


def judge_examples(guides: dict[tuple[str, str], TextGuide]) -> list[Judged]:
    """Judge every example answer of every guide, keyed by (quiz id, question id)."""
    judged = []
    for (quiz_id, question_id), guide in sorted(guides.items()):
        for lang in LANGUAGES:
            for example in guide.examples[lang]:
                judgement = guide.judge(example.text, lang, source=example.text)
                judged.append(Judged(quiz_id, question_id, example, judgement))
    return judged


def agreement(judged: list[Judged], lang: str, split: str, top: int = 3) -> Agreement:
    chosen = [j for j in judged if j.example.lang == lang and j.example.split == split]
    human: list[int] = []
    machine: list[int] = []
    for item in chosen:
        counted = item.counted
        for criterion, level in item.example.levels.items():
            human.append(level)
            machine.append(counted[criterion])
    gaming = [j for j in chosen if j.example.kind != "answer"]
    genuine = [j for j in chosen if j.example.kind == "answer"]
    return Agreement(
        lang,
        split,
        len(human),
        float(exact_agreement(human, machine)),
        quadratic_weighted_kappa(human, machine, top + 1),
        sum(j.judgement.held for j in gaming),
        len(gaming),
        sum(j.judgement.held for j in genuine),
        len(genuine),
    )


def table(rows: list[Agreement]) -> str:
    lines = [
        "| language | split | level pairs | exact agreement | weighted kappa "
        "| gaming attempts held | genuine answers held |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.lang} | {r.split} | {r.pairs} | {r.exact:.0%} | {r.kappa:.2f} "
            f"| {r.gaming_held}/{r.gaming} | {r.genuine_held}/{r.genuine} |"
        )
    return "\n".join(lines)


def course_guides(root: Path) -> dict[tuple[str, str], TextGuide]:
    """The guides of the course in ``root`` (with ``content/`` and ``quizzes/``).

    A quiz file with problems elsewhere (being edited) still gives its
    written questions, so their signs can be measured meanwhile.
    """
    from ..catalog import attach_lessons, load_catalog

    catalog, _ = load_catalog(root / "content", root / "quizzes")
    for path in sorted((root / "quizzes").glob("*.yaml")):
        if path.stem not in catalog.quizzes:
            written = _written_questions_only(path)
            if written is not None:
                catalog.quizzes[path.stem] = written
    attach_lessons(catalog)
    return {
        (quiz.id, question_id): guide
        for quiz in catalog.quizzes.values()
        for question_id, guide in quiz.guides.items()
    }


def _written_questions_only(path: Path):
    """A stand-in quiz with just the rubric and the written questions of a file."""
    from types import SimpleNamespace

    from ..quizzes import Question, load_yaml
    from .files import load_guides

    try:
        data = load_yaml(path)
        rubric = [SimpleNamespace(id=c["id"], top=len(c["levels"]) - 1) for c in data["rubric"]]
        questions = [
            Question(
                id=q["id"],
                type="text",
                criteria=tuple(q["criteria"]),
                title=q.get("title") or {},
                scenario=q["scenario"],
                prompt=q["prompt"],
                lesson=q.get("lesson") or data["lesson"],
                lesson_anchor=q.get("lesson_anchor", ""),
                model_answer=q["model_answer"],
            )
            for q in data["questions"]
            if q.get("type") == "text"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    stand_in = SimpleNamespace(id=path.stem, questions=questions, rubric=rubric)
    guides, problems = load_guides(stand_in, path.parent)
    return SimpleNamespace(id=path.stem, lesson=data["lesson"], questions=questions, guides=guides)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--split", choices=("tune", "holdout"), action="append")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    splits = args.split or ["tune"]
    langs = args.lang or list(LANGUAGES)
    guides = course_guides(args.root)
    if not guides:
        print("no written questions could be loaded (run `flask content check`)")
        return 1
    judged = judge_examples(guides)
    if args.verbose:
        for j in judged:
            if j.example.lang in langs and j.example.split in splits:
                mark = "" if j.counted == dict(j.example.levels) else "  <-- differs"
                print(
                    f"{j.quiz_id}/{j.question_id} {j.example.id} {j.example.kind}: "
                    f"trainer {dict(j.example.levels)} judge {j.judgement.levels} "
                    f"held {list(j.judgement.review)} signs {j.judgement.signs}{mark}"
                )
    print(table([agreement(judged, lang, split) for lang in langs for split in splits]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
