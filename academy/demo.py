"""`flask demo`: a realistic company to look around in, in all four languages.

An admin, two managers and three teams of new hires with names native to
their languages, two onboarding paths, and a spread of attempts made through
the same operations the pages use: passed, failed, in progress, overdue,
awaiting review, and written answers held for review. Running it again keeps
what is there (and sets the demo password again).
"""

from __future__ import annotations

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from . import attempts as operations
from . import onboarding, people
from .core.quizzes import Quiz
from .core.shuffle import draw_orders
from .extensions import db
from .grading import grade_answer
from .insight import refresh_progress
from .learn.scores import submit
from .models import Answer, Attempt, User, utcnow

ADMIN = ("admin@example.com", "Katarzyna Wójcik", "pl")
MANAGERS = [
    ("manager@example.com", "Jonathan Hale", "en"),
    ("manager2@example.com", "Десислава Маринова", "bg"),
]
LEARNER = ("learner@example.com", "Emma Clarke", "en")

TEAMS = [
    # (team name, manager index, learners: (email name, full name, language))
    (
        "Warszawa – sprzedaż B2B",
        0,
        [
            ("learner", "Emma Clarke", "en"),
            ("piotr.zielinski", "Piotr Zieliński", "pl"),
            ("agnieszka.kaczmarek", "Agnieszka Kaczmarek", "pl"),
            ("tomasz.wisniewski", "Tomasz Wiśniewski", "pl"),
            ("malgorzata.lewandowska", "Małgorzata Lewandowska", "pl"),
            ("krzysztof.dabrowski", "Krzysztof Dąbrowski", "pl"),
            ("oliver.bennett", "Oliver Bennett", "en"),
            ("zofia.szymanska", "Zofia Szymańska", "pl"),
        ],
    ),
    (
        "София – ключови клиенти",
        1,
        [
            ("georgi.dimitrov", "Георги Димитров", "bg"),
            ("maria.ivanova", "Мария Иванова", "bg"),
            ("nikolay.petrov", "Николай Петров", "bg"),
            ("elena.todorova", "Елена Тодорова", "bg"),
            ("stoyan.kolev", "Стоян Колев", "bg"),
            ("ivana.georgieva", "Ивана Георгиева", "bg"),
            ("radostina.hristova", "Радостина Христова", "bg"),
        ],
    ),
    (
        "București – retail",
        0,
        [
            ("andrei.popescu", "Andrei Popescu", "ro"),
            ("ioana.dumitrescu", "Ioana Dumitrescu", "ro"),
            ("mihai.stanciu", "Mihai Stanciu", "ro"),
            ("elena.constantinescu", "Elena Constantinescu", "ro"),
            ("bogdan.ionescu", "Bogdan Ionescu", "ro"),
            ("cristina.munteanu", "Cristina Munteanu", "ro"),
            ("sophie.turner", "Sophie Turner", "en"),
            ("stefan.radu", "Ștefan Radu", "ro"),
        ],
    ),
]

PATHS = [
    # (name, owner manager index, lesson slugs in order, None = every module)
    ("Onboarding: customer relationships", 0, None),
    ("Промени и справедливост", 1, ["lasting-relationships", "three-mistakes"]),
]


def load_demo(password: str) -> str:
    """Create the demo (or refresh its passwords); returns what was done."""
    existing = people.user_by_email(ADMIN[0])
    if existing is not None:
        emails = [ADMIN[0], *(m[0] for m in MANAGERS)] + [
            _email(handle) for _team, _m, learners in TEAMS for handle, _n, _l in learners
        ]
        for user in db.session.scalars(select(User).where(User.email.in_(emails))):
            people.change_password(user, password)
        return (
            "The demo was already loaded: its accounts keep their data and get the password again."
        )

    catalog = current_app.extensions["academy.catalog"]
    rng = random.Random(20261129)
    people.create_user(ADMIN[0], ADMIN[1], password, "admin", ADMIN[2])
    managers = [people.create_user(e, n, password, "manager", lang) for e, n, lang in MANAGERS]
    db.session.commit()

    modules = [(quiz.lesson, quiz.id) for quiz in catalog.quizzes_in_order("en")]
    paths = []
    for name, owner, slugs in PATHS:
        chosen = [m for m in modules if slugs is None or m[0] in slugs]
        if slugs:
            chosen.sort(key=lambda module: slugs.index(module[0]))
        paths.append(onboarding.create_path(name, managers[owner], chosen))

    now = utcnow()
    due_in = [timedelta(days=12), timedelta(days=5), timedelta(days=-3)]
    learners_made = attempts_made = 0
    for index, (team_name, manager_index, learners) in enumerate(TEAMS):
        manager = managers[manager_index]
        team = people.create_team(team_name, manager)
        members = []
        for handle, name, lang in learners:
            user = people.create_user(_email(handle), name, password, "learner", lang)
            db.session.commit()
            people.join_team(user, team)
            db.session.commit()
            members.append(user)
            learners_made += 1
        path = paths[1] if index == 1 else paths[0]
        rules = onboarding.Rules(
            due_at=now + due_in[index],
            attempt_limit=3 if index == 2 else None,
            counts="best" if index != 1 else "latest",
            mode="assessment" if index != 1 else "practice",
        )
        onboarding.assign(path, members, rules, manager, team)
        for position, user in enumerate(members):
            attempts_made += _learner_history(catalog, user, manager, team, rng, position, now)
    return (
        f"Loaded the demo: 1 admin, {len(managers)} managers, {len(TEAMS)} teams, "
        f"{learners_made} learners, {len(paths)} paths, {attempts_made} attempts.\n"
        f"Admin: {ADMIN[0]}  Managers: {', '.join(m[0] for m in MANAGERS)}  "
        f"Learner: {LEARNER[0]}"
    )


def _email(handle: str) -> str:
    return f"{handle}@example.com"


def _learner_history(catalog, user, manager, team, rng, position, now) -> int:
    """Attempts for one learner, in a pattern set by their place in the team."""
    views = onboarding.onboarding_of(user, now)
    made = 0
    for view in views:
        modules = view.assignment.path.modules
        # How far along this learner is, and how well they do.
        if user.email == LEARNER[0]:
            done, skill = 1, 0.9
        else:
            done, skill = position % (len(modules) + 1), [0.95, 0.8, 0.55, 0.35][position % 4]
        for number, module in enumerate(modules):
            quiz = catalog.quizzes[module.quiz_id]
            days_ago = rng.randint(2, 20)
            onboarding.mark_read(user, module.lesson)
            if number < done:
                attempt = _attempt(quiz, user, view.assignment, rng, skill, finish=True)
                held = position % 5 == 3 and number == 0
                if held:
                    _hold_written_answer(quiz, attempt, user)
                _backdate(attempt, now - timedelta(days=days_ago))
                made += 1
                # Most written answers have been graded by the manager; some wait.
                finished_path = done == len(modules)
                if user.email == LEARNER[0] or finished_path:
                    _confirm_written(quiz, attempt, manager)
                elif not held and (position + number) % 3 != 2:
                    _confirm_written(quiz, attempt, manager)
            elif number == done and position % 2 == 1:
                attempt = _attempt(quiz, user, view.assignment, rng, skill, finish=False)
                _backdate(attempt, now - timedelta(days=1))
                made += 1
            else:
                break
        for certificate_view in onboarding.onboarding_of(user, now):
            onboarding.issue_certificate(certificate_view, catalog.lesson_titles())
    return made


def _attempt(quiz: Quiz, user: User, assignment, rng, skill: float, finish: bool) -> Attempt:
    rating = {c.id: rng.choice([1, 2, 2, 3]) for c in quiz.rubric} if rng.random() < 0.7 else None
    attempt = operations.start_attempt(
        quiz.id,
        user.owner_key,
        assignment.mode,
        draw_orders(quiz, rng),
        assignment=assignment,
        self_rating=rating,
        language=user.language,
    )
    questions = quiz.questions if finish else quiz.questions[: len(quiz.questions) // 2]
    for question in questions:
        operations.save_answer(attempt, question.id, _response(quiz, question, user, rng, skill), 0)
    if finish:
        db.session.refresh(attempt)
        submit(quiz, attempt)
    return attempt


def _response(quiz: Quiz, question, user: User, rng, skill: float) -> dict:
    """An answer a learner of this skill might give."""
    good = rng.random() < skill
    ids = [o.id for o in question.options]
    if question.type == "choice":
        best = question.keyed_options[0].id
        return {"option": best if good else rng.choice(ids)}
    if question.type == "best_worst":
        best, worst = question.keyed_options[0].id, question.least_effective.id
        if good:
            return {"best": best, "worst": worst}
        pick = rng.sample(ids, 2)
        return {"best": pick[0], "worst": pick[1]}
    if question.type == "rank":
        order = [o.id for o in question.in_expert_order()]
        if not good:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return {"order": order}
    if question.type == "multi":
        keyed = [o.id for o in question.options if o.keyed]
        if good:
            return {"options": sorted(keyed)}
        return {"options": sorted(rng.sample(ids, question.choose or 1))}
    guide = quiz.guides[question.id]
    examples = [e for e in guide.examples[user.language] if not e.show and e.kind == "answer"]
    examples.sort(key=lambda e: sum(e.levels.values()), reverse=good)
    chosen = examples[rng.randrange(max(1, len(examples) // 3))]
    return {"text": chosen.text, "lang": user.language}


def _hold_written_answer(quiz: Quiz, attempt: Attempt, user: User) -> None:
    """Make the attempt's written answer a pasted copy of the model answer, judged (and so
    held for review) exactly as the site judges it."""
    from .core.scoring import judgement_record, score_question
    from .learn.scores import profile_of, stored_result

    for question in quiz.questions:
        if question.type != "text":
            continue
        model = quiz.guides[question.id].model_answer[user.language]
        response = {"text": model, "lang": user.language}
        score = score_question(quiz, question, response)
        db.session.execute(
            update(Answer)
            .where(Answer.attempt_id == attempt.id, Answer.question_id == question.id)
            .values(
                response=response, judgement=judgement_record(score), credit=float(score.credit)
            )
        )
    db.session.flush()
    db.session.expire(attempt)
    result = stored_result(quiz, attempt)
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(score_percent=result.percent, passed=result.passed)
    )
    operations.store_profile(attempt, profile_of(result))
    refresh_progress(attempt.assignment_id, attempt.quiz_id)
    db.session.commit()


def _confirm_written(quiz: Quiz, attempt: Attempt, manager: User) -> None:
    db.session.refresh(attempt)
    for question in quiz.questions:
        answer = attempt.answer_to(question.id)
        if question.type == "text" and answer is not None:
            levels = dict((answer.judgement or {}).get("levels") or {})
            grade_answer(quiz, attempt, question, manager, levels, "")


def _backdate(attempt: Attempt, moment) -> None:
    """Spread the demo over the past weeks, keeping each attempt's own durations."""
    db.session.refresh(attempt)
    shift = attempt.started_at - moment
    values = {"started_at": moment, "updated_at": attempt.updated_at - shift}
    if attempt.submitted_at:
        values["submitted_at"] = attempt.submitted_at - shift
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(**values))
    db.session.commit()
