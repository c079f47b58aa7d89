"""Account forms: every limit checked with a message in the user's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..i18n import LANGUAGE_NAMES
from ..people import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

EMAIL_MAX = 254


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("An email address has at most 254 characters.")),
            Email(
                message=_l("Enter an email address like name@example.com."),
                check_deliverability=False,
                granular_message=False,
            ),
        ],
    )


def no_markup(form, field):
    """A name is shown escaped anyway; angle brackets in one are almost always a mistake."""
    if any(ch in field.data for ch in "<>") or any(ord(ch) < 32 for ch in field.data):
        raise ValidationError(_l("A name cannot contain < or > or control characters."))


def _name_field():
    return StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(
                max=MAX_NAME_LENGTH,
                message=_l("A name has at most %(max)d characters.", max=MAX_NAME_LENGTH),
            ),
            no_markup,
        ],
        filters=[_strip],
    )


def _new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l(
                    "A password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH
                ),
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("A password has at most %(max)d characters.", max=MAX_PASSWORD_LENGTH),
            ),
        ],
    )


def _repeat_field(of: str = "password"):
    return PasswordField(
        _l("The password again"),
        validators=[
            DataRequired(message=_l("Type the password a second time.")),
            EqualTo(of, message=_l("The two passwords are not the same.")),
        ],
    )


def _language_field():
    return SelectField(
        _l("Preferred language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=True,
    )


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("An email address has at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("The email address or password is wrong.")),
        ],
    )
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password = _new_password_field()
    repeat = _repeat_field()
    submit = SubmitField(_l("Create my account"))


class JoinForm(FlaskForm):
    """Accept an invite while signed in."""

    submit = SubmitField(_l("Join the team"))


class ProfileForm(FlaskForm):
    name = _name_field()
    language = _language_field()
    save_profile = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )
    password = _new_password_field(_l("New password"))
    repeat = _repeat_field()
    save_password = SubmitField(_l("Change my password"))


class DeleteAccountForm(FlaskForm):
    current = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password to confirm."))],
    )
    confirm = BooleanField(
        _l("I understand that my attempts, progress and certificates will be deleted permanently."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    delete = SubmitField(_l("Delete my account"))


class ResetForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    repeat = _repeat_field()
    submit = SubmitField(_l("Save the new password"))


class ForgotForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a link"))
