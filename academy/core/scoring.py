"""Rubric scoring: from a learner's response to levels, scores and a profile.

Every question turns a response into a level on each rubric criterion it
names. Within a question the levels are weighed by the criteria's weights;
every question then counts the same towards the quiz score, so no single
question decides it. The rules for each question type are written down in
docs/scoring.md, and the tests check them against hand-computed examples.

Everything here is deterministic and pure: exact fractions, no clock, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import LANGUAGES
from .errors import InvalidAnswer
from .quizzes import Question, Quiz

MAX_TEXT_LENGTH = 5000
MIN_TEXT_WORDS = 3
"""A written answer needs at least this many words: ".", "ok" or an emoji is no reply."""
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_WORDS = re.compile(r"[^\W\d_]{2,}")
RANK_NEAR_MISS = 2
"""``k`` in the rank credit ``max(0, k − |given − keyed|)``."""


# --- Responses -------------------------------------------------------------


def parse_response(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check a raw response against its question and return its canonical form.

    The canonical form is what is stored and scored:

    - choice: ``{"option": "b"}``
    - best_worst: ``{"best": "a", "worst": "d"}``
    - rank: ``{"order": ["c", "a", "d", "b"]}`` (most effective first)
    - multi: ``{"options": ["a", "c"]}`` (sorted)
    - text: ``{"text": "…", "lang": "pl"}``

    Raises :class:`InvalidAnswer` with a stable ``code`` when it does not fit.
    """
    if not isinstance(raw, Mapping):
        raise InvalidAnswer("wrong_type")
    parse = _PARSERS[question.type]
    return parse(question, raw)


def _option_id(question: Question, value: Any) -> str:
    if value is None or value == "":
        raise InvalidAnswer("missing")
    if not isinstance(value, str):
        raise InvalidAnswer("wrong_type")
    if question.option(value) is None:
        raise InvalidAnswer("unknown_option", option=value)
    return value


def _parse_choice(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"option": _option_id(question, raw.get("option"))}


def _parse_best_worst(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    best = _option_id(question, raw.get("best"))
    worst = _option_id(question, raw.get("worst"))
    if best == worst:
        raise InvalidAnswer("same_best_worst")
    return {"best": best, "worst": worst}


def _parse_rank(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    order = raw.get("order")
    if order is None:
        raise InvalidAnswer("missing")
    if not isinstance(order, (list, tuple)):
        raise InvalidAnswer("wrong_type")
    ids = [_option_id(question, value) for value in order]
    if len(set(ids)) != len(ids):
        raise InvalidAnswer("tied_ranks")
    if len(ids) != len(question.options):
        raise InvalidAnswer("rank_incomplete")
    return {"order": ids}


def _parse_multi(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    chosen = raw.get("options")
    if chosen is None:
        raise InvalidAnswer("missing")
    if not isinstance(chosen, (list, tuple)):
        raise InvalidAnswer("wrong_type")
    if not chosen:
        raise InvalidAnswer("missing")
    ids = [_option_id(question, value) for value in chosen]
    if len(set(ids)) != len(ids):
        raise InvalidAnswer("duplicate")
    if len(ids) > (question.choose or 0):
        raise InvalidAnswer("too_many", choose=question.choose)
    return {"options": sorted(ids)}


def _parse_text(question: Question, raw: Mapping[str, Any]) -> dict[str, Any]:
    text = raw.get("text")
    lang = raw.get("lang")
    if not isinstance(text, str) or not isinstance(lang, str):
        raise InvalidAnswer("wrong_type" if text is not None else "missing")
    if lang not in LANGUAGES:
        raise InvalidAnswer("wrong_type")
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\x00", "")).strip()
    if not text:
        raise InvalidAnswer("missing")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidAnswer("too_long", limit=MAX_TEXT_LENGTH, length=len(text))
    if len(_WORDS.findall(text)) < MIN_TEXT_WORDS:
        raise InvalidAnswer("too_short", words=MIN_TEXT_WORDS)
    return {"text": text, "lang": lang}


_PARSERS = {
    "choice": _parse_choice,
    "best_worst": _parse_best_worst,
    "rank": _parse_rank,
    "multi": _parse_multi,
    "text": _parse_text,
}


def keyed_response(question: Question, lang: str = "en") -> dict[str, Any]:
    """The keyed (expert) answer to a question, in canonical form."""
    keyed = question.keyed_options
    if question.type == "choice":
        return {"option": keyed[0].id}
    if question.type == "best_worst":
        return {"best": keyed[0].id, "worst": question.least_effective.id}
    if question.type == "rank":
        return {"order": [o.id for o in question.in_expert_order()]}
    if question.type == "multi":
        return {"options": sorted(o.id for o in keyed)}
    return {"text": (question.model_answer or {}).get(lang, ""), "lang": lang}


# --- Scores ----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionScore:
    """What one answer earned: a level per criterion and its share of the question.

    ``levels`` are the levels that count. A written answer's levels are
    ``automatic`` (a suggestion a person may change); a written answer held
    for review (``review`` names why) counts as level 0 on every criterion
    until someone reviews it, and ``suggested`` keeps what the judge found.
    """

    question_id: str
    levels: dict[str, int]
    credit: Fraction
    automatic: bool = False
    review: tuple[str, ...] = ()
    suggested: dict[str, int] | None = None

    @property
    def held(self) -> bool:
        return bool(self.review)


def level_for(share: Fraction, top: int) -> int:
    """Scale a credit in [0, 1] to a level 0…top, rounding down.

    Rounding down keeps a level honest: half of two keyed choices is level 1
    of 3 (partly met), never "meets".
    """
    return int(share * top)


def credit(question: Question, response: Mapping[str, Any]) -> Fraction:
    """The share of full credit, in [0, 1], for the option-based types.

    - best_worst: the mean of how close the chosen best is to the top rating
      and how close the chosen worst is to the bottom rating;
    - rank: the sum of ``max(0, k − |given − keyed|)`` over the options,
      divided by ``k × n``;
    - multi: keyed options chosen, divided by N.
    """
    if question.type == "best_worst":
        ratings = [o.rating or 0 for o in question.options]
        high, low = max(ratings), min(ratings)
        best = question.option(response["best"]).rating or 0
        worst = question.option(response["worst"]).rating or 0
        return (Fraction(best - low, high - low) + Fraction(high - worst, high - low)) / 2
    if question.type == "rank":
        n = len(question.options)
        given = {option_id: place for place, option_id in enumerate(response["order"], 1)}
        points = sum(
            max(0, RANK_NEAR_MISS - abs(given[o.id] - (o.rank or 0))) for o in question.options
        )
        return Fraction(points, RANK_NEAR_MISS * n)
    if question.type == "multi":
        keyed = {o.id for o in question.options if o.keyed}
        return Fraction(len(keyed & set(response["options"])), question.choose or 1)
    raise ValueError(f"{question.type} questions are scored by levels, not credit")


def question_credit(quiz: Quiz, levels: Mapping[str, int]) -> Fraction:
    """A question's share earned from its levels, the criteria weighed by their weights."""
    weights = 0
    earned = Fraction(0)
    for criterion_id, level in levels.items():
        criterion = quiz.criterion(criterion_id)
        earned += Fraction(criterion.weight * level, criterion.top)
        weights += criterion.weight
    return earned / weights if weights else Fraction(0)


def score_question(quiz: Quiz, question: Question, response: Mapping[str, Any]) -> QuestionScore:
    """Score a canonical response (see :func:`parse_response`) on the rubric."""
    criteria = [quiz.criterion(c) for c in question.criteria]
    if question.type == "choice":
        chosen = question.option(response["option"])
        levels = {c.id: chosen.levels[c.id] for c in criteria}
    elif question.type == "text":
        judgement = quiz.guides[question.id].judge(response["text"], response["lang"])
        if judgement.held:
            counted = {c.id: 0 for c in criteria}
            return QuestionScore(
                question.id, counted, Fraction(0), True, judgement.review, judgement.levels
            )
        return QuestionScore(
            question.id, judgement.levels, question_credit(quiz, judgement.levels), True
        )
    else:
        share = credit(question, response)
        levels = {c.id: level_for(share, c.top) for c in criteria}
    return QuestionScore(question.id, levels, question_credit(quiz, levels))


def stored_score(quiz: Quiz, question: Question, stored: Mapping[str, Any]) -> QuestionScore:
    """A question's score as it was stored when the attempt was submitted.

    Criteria that no longer exist in the quiz are left out; the credit is
    computed from the stored levels.
    """
    levels = {c: int(v) for c, v in (stored.get("levels") or {}).items() if c in question.criteria}
    review = tuple(stored.get("review") or ())
    counted = {c: 0 for c in levels} if review else levels
    return QuestionScore(
        question.id,
        counted,
        question_credit(quiz, counted),
        bool(stored.get("automatic")),
        review,
        levels if review else None,
    )


def judgement_record(score: QuestionScore) -> dict[str, Any]:
    """What is stored with an answer at submission: its levels and why it is held."""
    return {
        "levels": dict(score.suggested if score.held and score.suggested else score.levels),
        "review": list(score.review),
        "automatic": score.automatic,
    }


def graded_record(question: Question, quiz: Quiz, levels: Mapping[str, Any]) -> dict[str, Any]:
    """What is stored with a written answer once a person has graded it.

    Every criterion of the question needs a level within its range; the
    levels then count as they are (no longer a suggestion, no longer held).
    Raises :class:`InvalidAnswer` otherwise.
    """
    graded = {}
    for criterion_id in question.criteria:
        value = levels.get(criterion_id)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidAnswer("missing", criterion=criterion_id)
        if not 0 <= value <= quiz.criterion(criterion_id).top:
            raise InvalidAnswer("out_of_range", criterion=criterion_id)
        graded[criterion_id] = value
    return {"levels": graded, "review": [], "automatic": False, "graded": True}


def unanswered(quiz: Quiz, question: Question) -> QuestionScore:
    """An unanswered question: level 0 on each of its criteria."""
    return QuestionScore(question.id, {c: 0 for c in question.criteria}, Fraction(0))


@dataclass(frozen=True)
class CriterionProfile:
    """How a learner did on one criterion across the quiz."""

    criterion_id: str
    mean_level: Fraction
    top: int
    evidence: int  # how many questions gave evidence

    @property
    def percent(self) -> float:
        return float(self.mean_level / self.top * 100) if self.top else 0.0


@dataclass(frozen=True)
class QuizResult:
    """The result of a whole attempt.

    ``score`` is the exact share in [0, 1]; ``percent`` is that share as a
    whole percentage rounded down, so a failed attempt never shows the pass
    mark, and ``passed`` decides on the same exact value.
    """

    questions: dict[str, QuestionScore]
    score: Fraction
    pass_mark: int
    profile: tuple[CriterionProfile, ...]

    @property
    def percent(self) -> int:
        return int(self.score * 100)

    @property
    def passed(self) -> bool:
        return self.score * 100 >= self.pass_mark

    @property
    def automatic(self) -> bool:
        return any(s.automatic for s in self.questions.values())

    @property
    def held(self) -> tuple[str, ...]:
        """Ids of the questions whose answers wait for review."""
        return tuple(q for q, s in self.questions.items() if s.held)


def result_of(quiz: Quiz, scores: Mapping[str, QuestionScore]) -> QuizResult:
    """Gather question scores into a quiz result: every question counts the same."""
    ordered = {q.id: scores.get(q.id) or unanswered(quiz, q) for q in quiz.questions}
    profile = []
    for criterion in quiz.rubric:
        levels = [s.levels[criterion.id] for s in ordered.values() if criterion.id in s.levels]
        mean = Fraction(sum(levels), len(levels)) if levels else Fraction(0)
        profile.append(CriterionProfile(criterion.id, mean, criterion.top, len(levels)))
    total = sum((s.credit for s in ordered.values()), Fraction(0))
    score = total / len(ordered) if ordered else Fraction(0)
    return QuizResult(ordered, score, quiz.pass_mark, tuple(profile))


def score_quiz(quiz: Quiz, responses: Mapping[str, Mapping[str, Any]]) -> QuizResult:
    """Score every question; an unanswered question earns level 0.

    ``responses`` maps question ids to canonical responses. Unknown question
    ids raise :class:`InvalidAnswer` rather than being ignored.
    """
    unknown = set(responses) - {q.id for q in quiz.questions}
    if unknown:
        raise InvalidAnswer("unknown_question", question=sorted(unknown)[0])
    return result_of(
        quiz,
        {
            q.id: score_question(quiz, q, responses[q.id])
            for q in quiz.questions
            if q.id in responses
        },
    )
