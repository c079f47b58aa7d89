"""A team with learners and submitted attempts, made through the app's own operations."""

from __future__ import annotations

import random
from datetime import timedelta

from academy import attempts as operations
from academy import onboarding, people
from academy.core.scoring import keyed_response, parse_response
from academy.extensions import db
from academy.learn.scores import submit
from academy.models import utcnow

from .conftest import KEYED_FORM, PASSWORD

WRITTEN = KEYED_FORM[5][1]["text"]


def seed_team(app, learners: int, attempts_each: int = 1, seed: int = 1, lang="en") -> dict:
    """A manager with one team of ``learners`` learners, each with submitted attempts.

    Returns ids: manager, team, path, learners.
    """
    rng = random.Random(seed)
    with app.app_context():
        quiz = app.extensions["academy.catalog"].quizzes["sample"]
        manager = people.user_by_email("boss@example.com") or people.create_user(
            "boss@example.com", "Boss", PASSWORD, "manager"
        )
        db.session.commit()
        team = people.create_team(f"Team {learners}", manager)
        # One path for every team of the manager, as a company would have.
        path = next(iter(onboarding.paths_visible_to(manager)), None) or onboarding.create_path(
            "Path", manager, [("alpha", "sample")]
        )
        rules = onboarding.Rules(utcnow() + timedelta(days=7), None, "best", "assessment")
        onboarding.assign(path, [], rules, manager, team)
        ids = []
        for n in range(learners):
            learner = people.create_user(
                f"learner{seed}-{n}@example.com", f"Learner {n:03d}", PASSWORD, "learner", lang
            )
            db.session.commit()
            people.join_team(learner, team)
            db.session.commit()
            ids.append(learner.id)
            assignment = onboarding.assignment_for(learner, "sample")
            for _ in range(attempts_each):
                attempt = operations.start_attempt(
                    "sample",
                    learner.owner_key,
                    "assessment",
                    None,
                    assignment=assignment,
                    self_rating={"asks-first": 3},
                    language=lang,
                )
                for question in quiz.questions:
                    response = keyed_response(question, lang)
                    if question.type == "text":
                        response = {"text": WRITTEN, "lang": lang}
                    elif question.type == "choice" and rng.random() < 0.4:
                        response = {"option": rng.choice(question.option_ids)}
                    operations.save_answer(
                        attempt, question.id, parse_response(question, response), 0
                    )
                db.session.refresh(attempt)
                submit(quiz, attempt)
        return {"manager": manager.id, "team": team.id, "path": path.id, "learners": ids}
