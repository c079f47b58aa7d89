"""`flask demo --learners N --attempts M`: a large company, for load and scale checks.

Written in bulk (a few INSERTs of many rows each), yet with real content:
every answer is a response the site would accept, judged by the site's own
scoring (a pool of responses per question is judged once, then drawn from),
so scores, criterion levels, statistics and statuses are all consistent.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import insert, select, update
from werkzeug.security import generate_password_hash

from .core.quizzes import Question, Quiz
from .core.scoring import (
    graded_record,
    judgement_record,
    keyed_response,
    result_of,
    score_question,
    stored_score,
)
from .extensions import db
from .insight import rebuild_progress
from .models import (
    Answer,
    Assignment,
    Attempt,
    AttemptCriterion,
    Grade,
    Membership,
    OnboardingPath,
    Team,
    TeamAssignment,
    User,
    utcnow,
)

TEAM_SIZE = 25
LANGS = ("pl", "en", "bg", "ro")
FIRST = {
    "pl": ["Anna", "Piotr", "Kasia", "Marek", "Ewa", "Tomasz", "Ola", "Jakub"],
    "en": ["Olivia", "James", "Amelia", "Harry", "Grace", "Jack", "Chloe", "Liam"],
    "bg": ["Мария", "Иван", "Елена", "Георги", "Десислава", "Петър", "Ивана", "Николай"],
    "ro": ["Ioana", "Andrei", "Maria", "Mihai", "Elena", "Ștefan", "Ana", "Radu"],
}
LAST = {
    "pl": ["Nowak", "Kowalczyk", "Wójcik", "Kamińska", "Lewandowski", "Zielińska"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"],
    "bg": ["Иванова", "Петров", "Георгиева", "Димитров", "Стоянова", "Колев"],
    "ro": ["Popescu", "Ionescu", "Dumitrescu", "Stan", "Munteanu", "Rusu"],
}


def _pool(quiz: Quiz, question: Question, lang: str, rng: random.Random) -> list[tuple]:
    """Responses to one question, each judged once: (good?, response, judgement, credit)."""
    out = []
    keyed = keyed_response(question, lang)
    if question.type == "text":
        guide = quiz.guides[question.id]
        for example in guide.examples[lang]:
            if example.kind == "answer" and not example.show:
                response = {"text": example.text, "lang": lang}
                score = score_question(quiz, question, response)
                out.append(
                    (sum(example.levels.values()) >= 2 * len(example.levels), response, score)
                )
    else:
        ids = [o.id for o in question.options]
        responses = [keyed]
        for _ in range(6):
            if question.type == "choice":
                responses.append({"option": rng.choice(ids)})
            elif question.type == "best_worst":
                best, worst = rng.sample(ids, 2)
                responses.append({"best": best, "worst": worst})
            elif question.type == "rank":
                order = ids[:]
                rng.shuffle(order)
                responses.append({"order": order})
            else:
                responses.append({"options": sorted(rng.sample(ids, question.choose or 1))})
        for i, response in enumerate(responses):
            out.append((i == 0, response, score_question(quiz, question, response)))
    return [(good, response, score) for good, response, score in out]


def load_scale(learners: int, attempts: int, password: str, seed: int = 2026) -> str:
    """Add ``learners`` learners in teams of 25, and ``attempts`` attempts among them."""
    catalog = current_app.extensions["academy.catalog"]
    manager = db.session.scalar(select(User).where(User.email == "manager@example.com"))
    path = db.session.scalar(select(OnboardingPath).order_by(OnboardingPath.id))
    if manager is None or path is None:
        raise RuntimeError("load the demo first (flask demo)")
    first_email = "scale-00001@example.com"
    if db.session.scalar(select(User.id).where(User.email == first_email)) is not None:
        db.session.execute(
            update(User)
            .where(User.email.like("scale-%@example.com"))
            .values(password_hash=generate_password_hash(password))
        )
        db.session.commit()
        return "The field sales teams were already loaded: they get the password again."
    rng = random.Random(seed)
    now = utcnow()
    quizzes = [catalog.quizzes[m.quiz_id] for m in path.modules]
    pools = {
        (quiz.id, question.id, lang): _pool(quiz, question, lang, rng)
        for quiz in quizzes
        for question in quiz.questions
        for lang in LANGS
    }
    hashed = generate_password_hash(password)  # one hash for every scale learner: fast

    # Teams, learners, memberships, assignments.
    team_rows = [
        {"name": f"Field sales {i + 1:02d}", "manager_id": manager.id, "created_at": now}
        for i in range(-(-learners // TEAM_SIZE))
    ]
    db.session.execute(insert(Team), team_rows)
    team_ids = list(
        db.session.scalars(select(Team.id).where(Team.name.like("Field sales %")).order_by(Team.id))
    )
    user_rows = []
    for n in range(learners):
        lang = LANGS[n % 4]
        name = f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}"
        user_rows.append(
            {
                "email": f"scale-{n + 1:05d}@example.com",
                "name": name,
                "password_hash": hashed,
                "role": "learner",
                "language": lang,
                "active": True,
                "session_version": 0,
                "created_at": now - timedelta(days=60),
            }
        )
    db.session.execute(insert(User), user_rows)
    users = db.session.execute(
        select(User.id, User.language).where(User.email.like("scale-%")).order_by(User.id)
    ).all()
    db.session.execute(
        insert(Membership),
        [
            {"team_id": team_ids[i // TEAM_SIZE], "user_id": uid, "joined_at": now}
            for i, (uid, _lang) in enumerate(users)
        ],
    )
    due = now + timedelta(days=14)
    db.session.execute(
        insert(TeamAssignment),
        [
            {
                "team_id": t,
                "path_id": path.id,
                "assigned_by": manager.id,
                "assigned_at": now,
                "due_at": due,
                "attempt_limit": None,
                "counts": "best",
                "mode": "assessment",
            }
            for t in team_ids
        ],
    )
    db.session.execute(
        insert(Assignment),
        [
            {
                "path_id": path.id,
                "learner_id": uid,
                "team_id": team_ids[i // TEAM_SIZE],
                "assigned_by": manager.id,
                "assigned_at": now,
                "due_at": due,
                "attempt_limit": None,
                "counts": "best",
                "mode": "assessment",
            }
            for i, (uid, _lang) in enumerate(users)
        ],
    )
    assignment_of = dict(
        db.session.execute(
            select(Assignment.learner_id, Assignment.id).where(
                Assignment.learner_id.in_([uid for uid, _ in users])
            )
        ).all()
    )

    # Attempts: spread over learners and modules; in each cell only the last may be open.
    cells = [(uid, lang, quiz) for uid, lang in users for quiz in quizzes]
    per_cell = [0] * len(cells)
    for i in range(attempts):
        per_cell[i % len(cells) if i < len(cells) else rng.randrange(len(cells))] += 1
    attempt_rows, answer_rows, criteria_rows, grade_rows = [], [], [], []

    def flush() -> None:
        """Insert a batch: the attempts first (their ids come back in order), then theirs."""
        if attempt_rows:
            ids = db.session.scalars(
                insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True),
                attempt_rows,
            ).all()
            for row in answer_rows + criteria_rows:
                row["attempt_id"] = ids[row.pop("batch_index")]
            db.session.execute(insert(Answer), answer_rows)
            db.session.execute(insert(AttemptCriterion), criteria_rows)
            if grade_rows:
                # The graded answers' ids, found by (attempt, question): one query.
                graded = {(ids[r["batch_index"]], r["question_id"]) for r in grade_rows}
                answer_ids = {
                    (attempt_id, question_id): answer_id
                    for answer_id, attempt_id, question_id in db.session.execute(
                        select(Answer.id, Answer.attempt_id, Answer.question_id).where(
                            Answer.attempt_id.in_({a for a, _ in graded}),
                            Answer.question_id.in_({q for _, q in graded}),
                        )
                    )
                }
                for row in grade_rows:
                    key = (ids[row.pop("batch_index")], row.pop("question_id"))
                    row["answer_id"] = answer_ids[key]
                db.session.execute(insert(Grade), grade_rows)
        attempt_rows.clear()
        answer_rows.clear()
        criteria_rows.clear()
        grade_rows.clear()

    for (uid, lang, quiz), count in zip(cells, per_cell, strict=True):
        skill = rng.betavariate(5, 2)
        for number in range(1, count + 1):
            started = now - timedelta(days=rng.uniform(1, 59), minutes=rng.randrange(600))
            is_open = number == count and rng.random() < 0.05
            awaiting = not is_open and number == count and rng.random() < 0.1
            scores, answer_list, spent = {}, [], started
            questions = quiz.questions[: len(quiz.questions) // 2] if is_open else quiz.questions
            for question in questions:
                pool = pools[(quiz.id, question.id, lang)]
                good = [p for p in pool if p[0]] or pool
                bad = [p for p in pool if not p[0]] or pool
                _good, response, score = rng.choice(good if rng.random() < skill else bad)
                judgement = judgement_record(score)
                if question.type == "text" and not is_open and not awaiting:
                    # The manager confirmed the levels: mostly the suggestion, sometimes
                    # a level up or down (what the agreement page measures).
                    suggested = dict(judgement["levels"])
                    final = {
                        c: max(0, min(quiz.criterion(c).top, v + rng.choice((-1, 0, 0, 0, 0, 1))))
                        for c, v in suggested.items()
                    }
                    judgement = graded_record(question, quiz, final)
                    score = stored_score(quiz, question, judgement)
                    grade_rows.append(
                        {
                            "batch_index": len(attempt_rows),
                            "question_id": question.id,
                            "grader_id": manager.id,
                            "graded_at": started + timedelta(days=1),
                            "levels_before": suggested,
                            "levels_after": final,
                            "comment": "",
                        }
                    )
                scores[question.id] = score
                seconds = rng.randint(20, 240) if question.type != "text" else rng.randint(120, 900)
                spent += timedelta(seconds=seconds)
                answer_list.append(
                    {
                        "batch_index": len(attempt_rows),
                        "question_id": question.id,
                        "response": response,
                        "revision": 1,
                        "saved_at": spent,
                        "seconds": seconds,
                        "judgement": None if is_open else judgement,
                        "credit": None if is_open else float(score.credit),
                    }
                )
            result = result_of(quiz, scores)
            attempt_rows.append(
                {
                    "public_id": secrets.token_urlsafe(16),
                    "quiz_id": quiz.id,
                    "owner_key": f"user:{uid}",
                    "mode": "assessment",
                    "started_at": started,
                    "updated_at": spent,
                    "version": len(answer_list),
                    "submitted_at": None if is_open else spent,
                    "score_percent": None if is_open else result.percent,
                    "passed": None if is_open else result.passed,
                    "assignment_id": assignment_of[uid],
                    "number": number,
                    "needs_review": not is_open,
                    "reviewed_at": None if awaiting or is_open else spent,
                    "language": lang,
                    "self_rating": None,
                    "option_order": None,
                    "abandoned_at": None,
                }
            )
            answer_rows.extend(answer_list)
            if not is_open:
                criteria_rows.extend(
                    {
                        "batch_index": len(attempt_rows) - 1,
                        "criterion_id": p.criterion_id,
                        "level": float(p.mean_level),
                        "top": p.top,
                        "evidence": p.evidence,
                        "self_rating": None,
                    }
                    for p in result.profile
                    if p.evidence
                )
            if len(attempt_rows) >= 2000:
                flush()
    flush()
    rebuild_progress(list(assignment_of.values()))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Fresh statistics for the planner after a bulk load (autovacuum would
        # get there later; the pages should not have to wait for it).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return (
        f"Added {learners} learners in {len(team_ids)} teams (managed by {manager.email}) "
        f"and {attempts} attempts."
    )
