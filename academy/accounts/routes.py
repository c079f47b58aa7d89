"""Sign-in and out, registration, invites, resets and the account page.

Every form is WTForms with CSRF; a refused form comes back with the input
kept and the reason in the user's language.
"""

from __future__ import annotations

import json
import re

from flask import (
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from .. import people
from ..access import safe_next, signed_in
from ..extensions import limiter
from ..i18n import language_blueprint
from ..mail import absolute_url, mail_enabled, send_mail
from ..models import User
from ..personal_data import personal_data
from .forms import (
    DeleteAccountForm,
    ForgotForm,
    JoinForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
    SignInForm,
)

bp = language_blueprint("accounts", __name__)

TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
"""What ``secrets.token_urlsafe(24)`` makes: anything else is no link of ours."""


def _failed(response) -> bool:
    """A sign-in that did not let the user in counts against the limit."""
    return response.status_code != 302


def _email_key() -> str:
    return "sign-in:" + people.normal_email(request.form.get("email", ""))[:254]


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def start_session(user: User) -> None:
    """Sign the user in on a new session, and hand over the visitor's attempts."""
    visitor = session.get("visitor")
    session.clear()  # a new session: nothing from before sign-in carries a privilege
    login_user(user)
    session.permanent = True
    people.signed_in(user, f"visitor:{visitor}" if visitor else None)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed, key_func=_email_key)
def sign_in():
    form = SignInForm()
    target = safe_next(request.args.get("next"), url_for("learn.home"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    error = None
    if form.validate_on_submit():
        user = people.authenticate(form.email.data, form.password.data)
        if user is None:
            error = _("The email address or password is wrong.")
        elif not user.active:
            error = _("This account has been disabled. Ask your manager or an administrator.")
        else:
            start_session(user)
            return redirect(target)
    elif request.method == "POST":
        error = _("Check the fields marked below.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "accounts/sign_in.html",
        form=form,
        error=error,
        next=request.args.get("next"),
        registration_open=current_app.config["REGISTRATION_OPEN"],
        mail=mail_enabled(),
    ), status


@bp.post("/sign-out")
def sign_out():
    form = JoinForm()  # any FlaskForm: only its CSRF token is checked
    if not form.validate_on_submit():
        abort(400)
    logout_user()
    session.clear()
    return redirect(url_for("learn.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        return render_template("accounts/closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = people.register(form.email.data, form.name.data, form.password.data, g.lang)
        except people.DuplicateEmail:
            form.email.errors.append(_duplicate_email())
        else:
            start_session(user)
            return redirect(url_for("learn.home"))
    return render_template("accounts/register.html", form=form), (
        400 if request.method == "POST" else 200
    )


def _duplicate_email() -> str:
    return _(
        "An account with this email address already exists. Sign in, or ask for a new "
        "password if you have forgotten it."
    )


# --- Invites -----------------------------------------------------------------


def _unusable(reason: str):
    messages = {
        "unknown": _(
            "This link is not valid. Check that it was copied whole, or ask for a new one."
        ),
        "expired": _("This link has expired. Ask for a new one."),
        "used": _("This link has already been used. Each link works once: ask for a new one."),
    }
    return render_template("accounts/link_unusable.html", message=messages[reason]), (
        404 if reason == "unknown" else 410
    )


@bp.route("/invites/<token>", methods=["GET", "POST"])
def invite(token: str):
    if not TOKEN.fullmatch(token):
        return _unusable("unknown")
    try:
        found = people.find_invite(token)
    except people.LinkUnusable as refused:
        return _unusable(refused.reason)
    if current_user.is_authenticated:
        form = JoinForm()
        if form.validate_on_submit():
            try:
                people.accept_invite(found, current_user)
            except people.LinkUnusable as refused:
                return _unusable(refused.reason)
            return redirect(url_for("learn.home"))
        return render_template("accounts/invite.html", invite=found, join_form=form, form=None)
    form = RegisterForm()
    if request.method == "GET" and found.email:
        form.email.data = found.email
    if form.validate_on_submit():
        try:
            user = people.create_user(
                form.email.data, form.name.data, form.password.data, "learner", g.lang
            )
            people.accept_invite(found, user)
        except people.DuplicateEmail:
            form.email.errors.append(_duplicate_email())
        except people.LinkUnusable as refused:
            return _unusable(refused.reason)
        else:
            start_session(user)
            return redirect(url_for("learn.home"))
    return render_template("accounts/invite.html", invite=found, form=form, join_form=None), (
        400 if request.method == "POST" else 200
    )


# --- Password resets -----------------------------------------------------------


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if not TOKEN.fullmatch(token):
        return _unusable("unknown")
    try:
        found = people.find_reset(token)
    except people.LinkUnusable as refused:
        return _unusable(refused.reason)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = people.use_reset(found, form.password.data)
        except people.LinkUnusable as refused:
            return _unusable(refused.reason)
        if user.active:
            start_session(user)
        return redirect(url_for("learn.home"))
    return render_template("accounts/reset.html", form=form, user=found.user), (
        400 if request.method == "POST" else 200
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def forgot():
    """With mail, a learner asks for a reset link; the answer is the same for any address."""
    form = ForgotForm()
    sent = False
    if mail_enabled() and form.validate_on_submit():
        user = people.user_by_email(form.email.data)
        if user is not None and user.active:
            token = people.create_reset(user, None, current_app.config["RESET_HOURS"])
            send_mail(
                user.email,
                user.language,
                "mail/reset_subject.txt",
                "mail/reset_body.txt",
                user=user,
                link=absolute_url("accounts.reset", lang=user.language, token=token),
                hours=current_app.config["RESET_HOURS"],
            )
        sent = True
    return render_template("accounts/forgot.html", form=form, sent=sent, mail=mail_enabled())


# --- The account page -----------------------------------------------------------


def _account_page(profile=None, password=None, delete=None, notice=None, status=200):
    profile = profile or ProfileForm(
        formdata=None, name=current_user.name, language=current_user.language
    )
    return render_template(
        "accounts/account.html",
        profile=profile,
        password=password or PasswordForm(formdata=None),
        delete=delete or DeleteAccountForm(formdata=None),
        teams=people.teams_of(current_user),
        notice=notice,
    ), status


@bp.get("/account")
@signed_in
def account():
    notice = {
        "profile": _("Your details are saved."),
        "password": _("Your password is changed. Other devices have been signed out."),
    }.get(request.args.get("saved", ""))
    return _account_page(notice=notice)


@bp.post("/account")
@signed_in
def save_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _account_page(profile=form, status=400)
    people.update_profile(current_user, form.name.data, form.language.data)
    return redirect(url_for("accounts.account", lang=form.language.data, saved="profile"))


def _confirmed(form, wrong_password: str) -> bool:
    """The form is valid and its ``current`` field holds the user's password."""
    if not form.validate_on_submit():
        return False
    if not check_password_hash(current_user.password_hash, form.current.data):
        form.current.errors.append(wrong_password)
        return False
    return True


@bp.post("/account/password")
@signed_in
def change_password():
    form = PasswordForm()
    if _confirmed(form, _("Your current password is not right.")):
        user = current_user._get_current_object()
        people.change_password(user, form.password.data)
        login_user(user)  # this session stays signed in with the new version
        return redirect(url_for("accounts.account", saved="password"))
    return _account_page(password=form, status=400)


@bp.get("/account/data.json")
@signed_in
def download_data():
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-academy-data.json"'},
    )


@bp.post("/account/delete")
@signed_in
def delete_account():
    form = DeleteAccountForm()
    if _confirmed(form, _("Your password is not right.")):
        try:
            people.delete_account(current_user._get_current_object())
        except people.OwnsTeams:
            form.confirm.errors.append(
                _(
                    "You still manage teams. Ask an administrator to hand them to another "
                    "manager first."
                )
            )
            return _account_page(delete=form, status=409)
        logout_user()
        session.clear()
        return render_template("accounts/deleted.html")
    return _account_page(delete=form, status=400)
