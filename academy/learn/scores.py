"""Scoring an attempt: now from its answers, or as it was stored at submission."""

from __future__ import annotations

from flask import current_app

from .. import attempts as operations
from ..core.errors import InvalidAnswer
from ..core.quizzes import Question, Quiz
from ..core.scoring import (
    QuestionScore,
    QuizResult,
    judgement_record,
    parse_response,
    result_of,
    score_question,
    stored_score,
    unanswered,
)
from ..models import Attempt


def saved_response(question: Question, attempt: Attempt) -> dict | None:
    """The stored response if it still fits the question (content may have changed)."""
    answer = attempt.answer_to(question.id)
    if answer is None:
        return None
    try:
        return parse_response(question, answer.response)
    except InvalidAnswer:
        return None


def responses_of(quiz: Quiz, attempt: Attempt) -> dict[str, dict]:
    responses = {}
    for question in quiz.questions:
        response = saved_response(question, attempt)
        if response is not None:
            responses[question.id] = response
    return responses


def live_result(quiz: Quiz, attempt: Attempt) -> QuizResult:
    """The attempt scored now, from its saved answers and the current quiz."""
    responses = responses_of(quiz, attempt)
    return result_of(
        quiz, {q: score_question(quiz, quiz.question(q), r) for q, r in responses.items()}
    )


def stored_result(quiz: Quiz, attempt: Attempt) -> QuizResult:
    """The attempt as it was judged at submission, whatever the quiz file says now."""
    scores: dict[str, QuestionScore] = {}
    for question in quiz.questions:
        answer = attempt.answer_to(question.id)
        if answer is None:
            scores[question.id] = unanswered(quiz, question)
        elif answer.judgement is not None:
            scores[question.id] = stored_score(quiz, question, answer.judgement)
        else:
            response = saved_response(question, attempt)
            scores[question.id] = (
                score_question(quiz, question, response)
                if response is not None
                else unanswered(quiz, question)
            )
    return result_of(quiz, scores)


def judgements_of(result: QuizResult, attempt: Attempt) -> dict[str, dict]:
    """What is stored with each answered question."""
    return {
        question_id: {**judgement_record(score), "credit": float(score.credit)}
        for question_id, score in result.questions.items()
        if attempt.answer_to(question_id) is not None
    }


def profile_of(result: QuizResult) -> list[tuple[str, float, int, int]]:
    """The result's level per criterion, as kept in ``attempt_criteria``."""
    return [
        (p.criterion_id, float(p.mean_level), p.top, p.evidence)
        for p in result.profile
        if p.evidence
    ]


SUBMIT_TRIES = 10


def needs_review(quiz: Quiz, attempt: Attempt) -> bool:
    """An assigned attempt with a written answer waits for the manager's grading."""
    if attempt.assignment_id is None:
        return False
    return any(q.type == "text" and attempt.answer_to(q.id) for q in quiz.questions)


def submit(quiz: Quiz, attempt: Attempt) -> bool:
    """Score and close the attempt; if an answer lands meanwhile, score it again."""
    for _ in range(SUBMIT_TRIES):
        version = attempt.version
        result = live_result(quiz, attempt)
        try:
            return operations.submit_attempt(
                attempt,
                version,
                result.percent,
                result.passed,
                judgements_of(result, attempt),
                needs_review=needs_review(quiz, attempt),
                profile=profile_of(result),
            )
        except operations.AttemptChanged:
            continue  # the attempt was re-read: score what is there now
    raise operations.AttemptChanged


def rescore_quiz(quiz_id: str) -> list[str]:
    """Rescore every submitted attempt at a quiz; describe each one that changed."""
    quiz = current_app.extensions["academy.catalog"].quizzes[quiz_id]
    changes = []
    for attempt in operations.submitted_attempts(quiz_id):
        before = stored_result(quiz, attempt)
        after = live_result(quiz, attempt)
        moved = [
            f"{q}: {dict(before.questions[q].levels)} → {dict(after.questions[q].levels)}"
            for q in after.questions
            if before.questions[q].levels != after.questions[q].levels
        ]
        if moved or attempt.score_percent != after.percent or attempt.passed != after.passed:
            was, now = attempt.score_percent, after.percent
            operations.rescore_attempt(
                attempt,
                after.percent,
                after.passed,
                judgements_of(after, attempt),
                profile_of(after),
            )
            changes.append(f"{attempt.public_id}: {was:g}% → {now}%; " + "; ".join(moved))
    return changes
