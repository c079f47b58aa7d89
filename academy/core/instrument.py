"""Measuring the quiz as an instrument: can it be passed without reading it?

For every quiz and language this computes what a learner would score who
never reads a scenario and answers by a surface rule, with written answers
left blank (a gamed written answer is held for review and counts 0):

- ``longest``: always the longest option (as best; the shortest as worst;
  ranks by length; the N longest);
- ``shortest``: the mirror image;
- ``position n``: always the n-th option in file order (as best; the one after
  it as worst; ranks in file order starting there; N in a row from there);
- ``random``: the exact expected score of a uniformly random responder.

It also counts how often the keyed best option is the longest one. The
content check fails when any strategy reaches the pass mark, or when the key
is the longest option in more than a quarter of the option questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, permutations

from . import LANGUAGES
from .errors import Problem
from .quizzes import Option, Question, Quiz
from .scoring import score_question

MAX_LONGEST_IS_KEY = Fraction(1, 4)


@dataclass(frozen=True)
class InstrumentRow:
    """The instrument measures of one quiz in one language."""

    quiz_id: str
    lang: str
    pass_mark: int
    strategies: dict[str, Fraction]  # strategy name → quiz score in [0, 1]
    random: Fraction
    longest_is_key: int
    option_questions: int

    @property
    def longest_share(self) -> Fraction:
        return Fraction(self.longest_is_key, self.option_questions or 1)

    @property
    def best_strategy(self) -> tuple[str, Fraction]:
        return max(self.strategies.items(), key=lambda item: item[1])

    def problems(self, file: str) -> list[Problem]:
        found = []
        for name, score in self.strategies.items():
            if score * 100 >= self.pass_mark:
                found.append(
                    Problem(
                        file,
                        f"instrument.{self.lang}",
                        f"answering by '{name}' without reading scores {float(score):.0%}, "
                        f"at or above the pass mark {self.pass_mark}%",
                    )
                )
        if self.longest_share > MAX_LONGEST_IS_KEY:
            found.append(
                Problem(
                    file,
                    f"instrument.{self.lang}",
                    f"the keyed option is the longest in {self.longest_is_key} of "
                    f"{self.option_questions} option questions; at most a quarter may be",
                )
            )
        return found


def _length(option: Option, lang: str) -> int:
    return len(option.text[lang])


def _by_length(question: Question, lang: str) -> list[Option]:
    """Options from the longest to the shortest (file order breaks ties)."""
    return sorted(question.options, key=lambda o: -_length(o, lang))


def _strictly_longest(question: Question, lang: str) -> Option | None:
    """The one longest option, or None when several share the longest length."""
    first, second = _by_length(question, lang)[:2]
    return first if _length(first, lang) > _length(second, lang) else None


def _response_from_order(question: Question, ordered: list[Option]) -> dict:
    """The answer a strategy gives when it prefers options in this order."""
    ids = [o.id for o in ordered]
    if question.type == "choice":
        return {"option": ids[0]}
    if question.type == "best_worst":
        return {"best": ids[0], "worst": ids[-1]}
    if question.type == "rank":
        return {"order": ids}
    return {"options": sorted(ids[: question.choose or 1])}


def _strategy_orders(question: Question, lang: str, positions: int) -> dict[str, list[Option]]:
    options = list(question.options)
    by_length = _by_length(question, lang)
    orders = {"longest": by_length, "shortest": list(reversed(by_length))}
    for n in range(positions):
        start = min(n, len(options) - 1)
        orders[f"position {n + 1}"] = options[start:] + options[:start]
    return orders


def _expected_random(quiz: Quiz, question: Question) -> Fraction:
    """The exact mean credit over every answer a random responder could give."""
    ids = [o.id for o in question.options]
    if question.type == "choice":
        responses = [{"option": i} for i in ids]
    elif question.type == "best_worst":
        responses = [{"best": b, "worst": w} for b in ids for w in ids if b != w]
    elif question.type == "rank":
        responses = [{"order": list(p)} for p in permutations(ids)]
    else:
        responses = [{"options": sorted(c)} for c in combinations(ids, question.choose or 1)]
    total = sum((score_question(quiz, question, r).credit for r in responses), Fraction(0))
    return total / len(responses)


def measure(quiz: Quiz, lang: str) -> InstrumentRow:
    """Every surface strategy, the random responder and the longest-is-key count."""
    option_questions = [q for q in quiz.questions if q.options]
    positions = max((len(q.options) for q in option_questions), default=0)
    totals: dict[str, Fraction] = {}
    random_total = Fraction(0)
    longest_is_key = 0
    for question in option_questions:
        for name, order in _strategy_orders(question, lang, positions).items():
            response = _response_from_order(question, order)
            credit = score_question(quiz, question, response).credit
            totals[name] = totals.get(name, Fraction(0)) + credit
        random_total += _expected_random(quiz, question)
        if _strictly_longest(question, lang) in question.keyed_options:
            longest_is_key += 1
    count = len(quiz.questions)
    return InstrumentRow(
        quiz.id,
        lang,
        quiz.pass_mark,
        {name: total / count for name, total in totals.items()},
        random_total / count,
        longest_is_key,
        len(option_questions),
    )


def measure_all(quiz: Quiz) -> list[InstrumentRow]:
    return [measure(quiz, lang) for lang in LANGUAGES]


def instrument_problems(quiz: Quiz, file: str) -> list[Problem]:
    """Problems when a quiz can be passed without reading it."""
    return [p for row in measure_all(quiz) for p in row.problems(file)]


def table(rows: list[InstrumentRow]) -> str:
    """The instrument table in Markdown, as printed by `flask content check`."""
    names = list(rows[0].strategies) if rows else []
    header = ["quiz", "lang", "pass", "random", *names, "longest is key"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row.quiz_id, row.lang, f"{row.pass_mark}%", _percent(row.random)]
        cells += [_percent(row.strategies[name]) for name in names]
        cells.append(f"{row.longest_is_key}/{row.option_questions}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"
