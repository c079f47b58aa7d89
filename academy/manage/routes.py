"""The manager's pages: teams, invitations, paths, assignments, learners, grading.

Every view is for managers and admins (``@managers``), and every object is
checked against the signed-in manager: another manager's team, learner or
attempt is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from .. import onboarding, people
from ..access import admins, managers
from ..core.errors import InvalidAnswer
from ..core.scoring import score_question
from ..core.shuffle import in_order
from ..extensions import db
from ..grading import grade_answer, grades_of
from ..i18n import language_blueprint
from ..learn.attempt_pages import PUBLIC_ID
from ..learn.progress_pages import build_progress
from ..learn.routes import catalog, lesson_titles
from ..learn.scores import responses_of, stored_result
from ..mail import absolute_url, mail_enabled, send_mail
from ..models import Attempt, Invite, OnboardingPath, Team, User, utcnow
from .forms import (
    AssignForm,
    HandOverForm,
    InviteForm,
    ResetLinkForm,
    TeamForm,
    UserAdminForm,
    grade_form,
    path_form,
)

bp = language_blueprint("manage", __name__, "/manage")


def _team(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or not people.can_manage_team(current_user, team):
        abort(404)
    return team


def _learner(user_id: int) -> User:
    learner = db.session.get(User, user_id)
    if learner is None or not people.can_manage_learner(current_user, learner):
        abort(404)
    return learner


def _modules() -> list[tuple[str, str]]:
    """Every module, a quiz with the lesson it belongs to, as (lesson slug, lesson title)."""
    return [
        (lesson.slug, lesson.title)
        for quiz in catalog().quizzes_in_order(g.lang)
        if (lesson := catalog().lessons.get(g.lang, quiz.lesson)) is not None
    ]


@bp.get("/teams")
@managers
def teams():
    """The manager's teams and paths, with the forms to create them."""
    return _teams_page(TeamForm(formdata=None))


def _teams_page(team_form, status=200):
    visible = people.teams_visible_to(current_user)
    return render_template(
        "manage/teams.html",
        teams=visible,
        sizes={team.id: len(people.members_of(team)) for team in visible},
        paths=onboarding.paths_visible_to(current_user),
        team_form=team_form,
        titles=dict(_modules()),
    ), status


@bp.post("/teams")
@managers
def create_team():
    form = TeamForm()
    if not form.validate_on_submit():
        return _teams_page(form, status=400)
    team = people.create_team(form.name.data, current_user)
    return redirect(url_for(".team", team_id=team.id))


def _assign_form(team: Team, members: list[User], formdata=True) -> AssignForm:
    form = AssignForm() if formdata else AssignForm(formdata=None)
    form.path.choices = [
        SelectChoice(p.id, p.name) for p in onboarding.paths_visible_to(current_user)
    ]
    form.learners.choices = [SelectChoice(m.id, m.name) for m in members]
    return form


def _hand_over_form(team: Team, formdata=True) -> HandOverForm | None:
    if current_user.role != "admin":
        return None
    form = HandOverForm() if formdata else HandOverForm(formdata=None, manager=team.manager_id)
    form.manager.choices = [SelectChoice(m.id, m.name) for m in people.managers()]
    return form


def _team_page(
    team: Team,
    *,
    invite_form=None,
    assign_form=None,
    hand_over_form=None,
    new_link=None,
    status=200,
):
    members = people.members_of(team)
    assignments = onboarding.team_assignments(team)
    views = onboarding.views_of(assignments, utcnow())
    by_learner: dict[int, list] = {}
    for view in views:
        by_learner.setdefault(view.assignment.learner_id, []).append(view)
    return render_template(
        "manage/team.html",
        team=team,
        members=members,
        by_learner=by_learner,
        invites=people.pending_invites(team),
        invite_form=invite_form or InviteForm(formdata=None, language=g.lang),
        assign_form=assign_form or _assign_form(team, members, formdata=False),
        hand_over_form=hand_over_form or _hand_over_form(team, formdata=False),
        new_link=new_link,
        mail=mail_enabled(),
        titles=dict(_modules()),
        now=utcnow(),
    ), status


@bp.get("/teams/<int:team_id>")
@managers
def team(team_id: int):
    return _team_page(_team(team_id))


@bp.post("/teams/<int:team_id>/invites")
@managers
def invite(team_id: int):
    found = _team(team_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _team_page(found, invite_form=form, status=400)
    days = current_app.config["INVITE_DAYS"]
    token = people.create_invite(found, current_user, form.language.data, days, form.email.data)
    link = absolute_url("accounts.invite", lang=form.language.data, token=token)
    sent = False
    if form.email.data:
        sent = send_mail(
            form.email.data,
            form.language.data,
            "mail/invite_subject.txt",
            "mail/invite_body.txt",
            team=found,
            manager=current_user,
            link=link,
            days=days,
        )
    return _team_page(
        found,
        new_link={"url": link, "sent": sent, "email": form.email.data, "days": days},
    )


@bp.post("/teams/<int:team_id>/invites/<int:invite_id>/revoke")
@managers
def revoke_invite(team_id: int, invite_id: int):
    found = _team(team_id)
    pending = db.session.get(Invite, invite_id)
    if pending is None or pending.team_id != found.id:
        abort(404)
    if not ResetLinkForm().validate_on_submit():  # any form: its CSRF token is what counts
        abort(400)
    people.revoke_invite(pending)
    return redirect(url_for(".team", team_id=found.id))


@bp.post("/teams/<int:team_id>/assignments")
@managers
def assign(team_id: int):
    found = _team(team_id)
    members = people.members_of(found)
    form = _assign_form(found, members)
    if not form.validate_on_submit():
        return _team_page(found, assign_form=form, status=400)
    path = db.session.get(OnboardingPath, form.path.data)
    if path is None or not onboarding.can_use_path(current_user, path):
        abort(404)
    chosen = (
        members if form.who.data == "team" else [m for m in members if m.id in form.learners.data]
    )
    rules = onboarding.Rules(
        due_at=datetime.combine(form.due.data, time(23, 59)),
        attempt_limit=form.attempt_limit.data,
        counts=form.counts.data,
        mode=form.mode.data,
    )
    assigned, skipped = onboarding.assign(
        path, chosen, rules, current_user, found if form.who.data == "team" else None
    )
    notice = ngettext(
        "The path is assigned to %(num)d learner.",
        "The path is assigned to %(num)d learners.",
        assigned,
    )
    if skipped:
        notice += " " + ngettext(
            "%(num)d learner already had this path; their due date and settings are unchanged.",
            "%(num)d learners already had this path; their due dates and settings are unchanged.",
            skipped,
        )
    flash(notice)
    return redirect(url_for(".team", team_id=found.id))


@bp.post("/teams/<int:team_id>/manager")
@admins
def hand_over(team_id: int):
    """An admin gives a team to another manager."""
    found = _team(team_id)
    form = _hand_over_form(found)
    if not form.validate_on_submit():
        return _team_page(found, hand_over_form=form, status=400)
    people.hand_over(found, db.session.get(User, form.manager.data))
    return redirect(url_for(".team", team_id=found.id))


@bp.route("/paths/new", methods=["GET", "POST"])
@managers
def new_path():
    modules = _modules()
    form = path_form(modules)
    if form.validate_on_submit():
        quizzes = {quiz.lesson: quiz.id for quiz in catalog().quizzes.values()}
        onboarding.create_path(
            form.name.data,
            current_user,
            [(slug, quizzes[slug]) for slug in form.ordered_lessons()],
        )
        return redirect(url_for(".teams"))
    return render_template("manage/path_new.html", form=form), (
        400 if request.method == "POST" else 200
    )


@bp.get("/learners/<int:user_id>")
@managers
def learner(user_id: int):
    found = _learner(user_id)
    views = onboarding.views_of(onboarding.assignments_of(found), utcnow())
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.owner_key == found.owner_key, Attempt.abandoned_at.is_(None))
            .order_by(Attempt.started_at.desc())
        )
    )
    progress, rated = build_progress(attempts)
    return render_template(
        "manage/learner.html",
        learner=found,
        views=views,
        attempts=attempts,
        progress=progress,
        rated=rated,
        quizzes=catalog().quizzes,
        titles=dict(_modules()),
        reset_form=ResetLinkForm(formdata=None),
        reset_link=None,
        now=utcnow(),
    )


@bp.post("/learners/<int:user_id>/reset-link")
@managers
def reset_link(user_id: int):
    found = _learner(user_id)
    if found.role == "admin" and current_user.role != "admin":
        abort(404)
    if not ResetLinkForm().validate_on_submit():
        abort(400)
    hours = current_app.config["RESET_HOURS"]
    token = people.create_reset(found, current_user, hours)
    link = absolute_url("accounts.reset", lang=found.language, token=token)
    views = onboarding.views_of(onboarding.assignments_of(found), utcnow())
    return render_template(
        "manage/learner.html",
        learner=found,
        views=views,
        attempts=[],
        progress=[],
        rated=[],
        quizzes=catalog().quizzes,
        titles=dict(_modules()),
        reset_form=ResetLinkForm(formdata=None),
        reset_link={"url": link, "hours": hours},
        now=utcnow(),
    )


# --- An attempt, and grading its written answers -----------------------------------


def _attempt(public_id: str) -> tuple[Attempt, User]:
    if not PUBLIC_ID.fullmatch(public_id):
        abort(404)
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
    if attempt is None or not attempt.owner_key.startswith("user:"):
        abort(404)
    owner = db.session.get(User, int(attempt.owner_key.removeprefix("user:")))
    if owner is None or not people.can_manage_learner(current_user, owner):
        abort(404)
    if attempt.quiz_id not in catalog().quizzes:
        abort(404)
    return attempt, owner


def _attempt_page(attempt: Attempt, owner: User, forms=None, status=200):
    quiz = catalog().quizzes[attempt.quiz_id]
    text_questions = [q for q in quiz.questions if q.type == "text" and attempt.answer_to(q.id)]
    result = stored_result(quiz, attempt) if attempt.submitted else None
    if forms is None:
        forms = {}
        for question in text_questions:
            judgement = attempt.answer_to(question.id).judgement or {}
            forms[question.id] = grade_form(question, quiz, g.lang, judgement.get("levels"))
    answers = [attempt.answer_to(q.id) for q in text_questions]
    responses = responses_of(quiz, attempt)
    return render_template(
        "manage/attempt.html",
        attempt=attempt,
        learner=owner,
        quiz=quiz,
        result=result,
        responses=responses,
        options={q.id: in_order(q, attempt.option_order) for q in quiz.questions},
        suggestions={
            q.id: score_question(quiz, q, responses[q.id])
            for q in text_questions
            if q.id in responses
        },
        forms=forms,
        grades=grades_of([a.id for a in answers]),
    ), status


@bp.get("/attempts/<public_id>")
@managers
def attempt(public_id: str):
    found, owner = _attempt(public_id)
    return _attempt_page(found, owner)


@bp.post("/attempts/<public_id>/questions/<question_id>/grade")
@managers
def grade(public_id: str, question_id: str):
    found, owner = _attempt(public_id)
    quiz = catalog().quizzes[found.quiz_id]
    question = quiz.question(question_id)
    if question is None or question.type != "text" or found.answer_to(question.id) is None:
        abort(404)
    if not found.submitted:
        abort(
            409, description=_("This attempt is still in progress: grade it once it is submitted.")
        )
    form = grade_form(question, quiz, g.lang)
    if not form.validate_on_submit():
        forms = {question.id: form}
        return _attempt_page(found, owner, forms=_with_other_forms(found, quiz, forms), status=400)
    levels = {c: getattr(form, f"level_{c}").data for c in question.criteria}
    try:
        grade_answer(quiz, found, question, current_user, levels, form.comment.data or "")
    except InvalidAnswer:
        abort(400)
    view_states = onboarding.views_of(onboarding.assignments_of(owner), utcnow())
    titles = lesson_titles()
    for view in view_states:
        onboarding.issue_certificate(view, titles)
    return redirect(url_for(".attempt", public_id=public_id, graded=question.id))


def _with_other_forms(attempt, quiz, forms):
    for question in quiz.questions:
        if question.type == "text" and attempt.answer_to(question.id) and question.id not in forms:
            judgement = attempt.answer_to(question.id).judgement or {}
            forms[question.id] = grade_form(question, quiz, g.lang, judgement.get("levels"))
    return forms


# --- Users (admins) ------------------------------------------------------------


@bp.get("/users")
@admins
def users():
    everyone = list(db.session.scalars(select(User).order_by(User.role, User.name, User.id)))
    return render_template(
        "manage/users.html",
        users=everyone,
        forms={
            u.id: UserAdminForm(
                formdata=None, role=u.role, active="1" if u.active else "0", prefix=f"u{u.id}"
            )
            for u in everyone
        },
    )


@bp.post("/users/<int:user_id>")
@admins
def save_user(user_id: int):
    found = db.session.get(User, user_id)
    if found is None:
        abort(404)
    form = UserAdminForm(prefix=f"u{found.id}")
    if not form.validate_on_submit():
        abort(400)
    if found.id == current_user.id and (form.role.data != "admin" or form.active.data != "1"):
        abort(
            409,
            description=_("You cannot take away your own administrator role or disable yourself."),
        )
    people.set_role(found, form.role.data)
    people.set_active(found, form.active.data == "1")
    return redirect(url_for(".users"))
