"""Managers' forms: teams, invites, paths, assignments, grading, users."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.forms import no_markup
from ..grading import MAX_COMMENT_LENGTH
from ..i18n import LANGUAGE_NAMES
from ..models import ROLES

NAME_MAX = 100
MAX_ATTEMPT_LIMIT = 20


def _name(label):
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Enter a name.")),
            Length(
                max=NAME_MAX, message=_l("A name has at most %(max)d characters.", max=NAME_MAX)
            ),
            no_markup,
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class TeamForm(FlaskForm):
    name = _name(_l("Team name"))
    create_team = SubmitField(_l("Create the team"))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Learner's email address (optional)"),
        validators=[
            Optional(),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(
                message=_l("Enter an email address like name@example.com."),
                check_deliverability=False,
                granular_message=False,
            ),
        ],
    )
    language = SelectField(
        _l("Language of the invitation"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
    )
    invite = SubmitField(_l("Make an invitation link"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _in_future(form, field):
    if field.data and field.data < date.today():
        raise ValidationError(_l("Choose today or a later date."))


class AssignForm(FlaskForm):
    path = SelectField(_l("Onboarding path"), coerce=int, validate_choice=True)
    who = RadioField(
        _l("Assign to"),
        choices=[
            SelectChoice("team", _l("The whole team, including people who join later")),
            SelectChoice("chosen", _l("Only the learners ticked below")),
        ],
        default="team",
    )
    learners = MultiCheckboxField(_l("Learners"), coerce=int, validate_choice=True)
    due = DateField(
        _l("Due date"),
        validators=[DataRequired(message=_l("Enter a due date.")), _in_future],
        default=lambda: date.today() + timedelta(days=14),
    )
    attempt_limit = IntegerField(
        _l("Attempts allowed per quiz (leave empty for no limit)"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_ATTEMPT_LIMIT,
                message=_l(
                    "Allow from %(min)d to %(max)d attempts, or leave it empty.",
                    min=1,
                    max=MAX_ATTEMPT_LIMIT,
                ),
            ),
        ],
    )
    counts = RadioField(
        _l("Which attempt counts"),
        choices=[
            SelectChoice("best", _l("The best attempt")),
            SelectChoice("latest", _l("The latest attempt")),
        ],
        default="best",
    )
    mode = RadioField(
        _l("Feedback"),
        choices=[
            SelectChoice("assessment", _l("After submitting (test mode)")),
            SelectChoice("practice", _l("After each answer (practice)")),
        ],
        default="assessment",
    )
    assign = SubmitField(_l("Assign the path"))

    def validate_learners(self, field):
        if self.who.data == "chosen" and not field.data:
            raise ValidationError(_l("Tick at least one learner, or assign to the whole team."))


def path_form(modules: list[tuple[str, str]], formdata=None):
    """A form to build a path: a name and a place (or none) for each module.

    ``modules`` lists (lesson slug, lesson title) in the course's order.
    """
    places = [SelectChoice("", "—")] + [
        SelectChoice(str(i), str(i)) for i in range(1, len(modules) + 1)
    ]

    class PathForm(FlaskForm):
        name = _name(_l("Path name"))
        create_path = SubmitField(_l("Create the path"))

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            chosen = [f.data for f in self.places if f.data]
            if not chosen:
                self.form_errors.append(_l("Give at least one module a place in the path."))
                return False
            if len(set(chosen)) != len(chosen):
                self.form_errors.append(_l("Two modules have the same place. Give each its own."))
                return False
            return ok

        @property
        def places(self):
            return [getattr(self, f"place_{slug}") for slug, _title in modules]

        def ordered_lessons(self) -> list[str]:
            chosen = [
                (int(getattr(self, f"place_{s}").data), s)
                for s, _t in modules
                if getattr(self, f"place_{s}").data
            ]
            return [slug for _place, slug in sorted(chosen)]

    for slug, title in modules:
        setattr(
            PathForm,
            f"place_{slug}",
            SelectField(title, choices=places, default="", validate_choice=True),
        )
    return PathForm(formdata=formdata) if formdata is not None else PathForm()


def grade_form(question, quiz, lang: str, defaults: dict[str, int] | None = None):
    """A level for each criterion of a written question, and a comment."""

    class GradeForm(FlaskForm):
        comment = TextAreaField(
            _l("Comment for the learner (optional)"),
            validators=[
                Length(
                    max=MAX_COMMENT_LENGTH,
                    message=_l("A comment has at most %(max)d characters.", max=MAX_COMMENT_LENGTH),
                )
            ],
        )
        save_grade = SubmitField(_l("Save the levels"))

    for criterion_id in question.criteria:
        criterion = quiz.criterion(criterion_id)
        setattr(
            GradeForm,
            f"level_{criterion_id}",
            RadioField(
                criterion.title[lang],
                choices=[
                    SelectChoice(i, f"{i} – {level[lang]}")
                    for i, level in enumerate(criterion.levels)
                ],
                coerce=int,
                validators=[InputRequired(message=_l("Choose a level."))],
                default=(defaults or {}).get(criterion_id),
            ),
        )
    return GradeForm(prefix=f"q-{question.id}")


class HandOverForm(FlaskForm):
    manager = SelectField(_l("Manager of this team"), coerce=int, validate_choice=True)
    hand_over = SubmitField(_l("Hand the team over"))


class ResetLinkForm(FlaskForm):
    make_reset = SubmitField(_l("Make a password reset link"))


class UserAdminForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("learner", _l("Learner")),
            SelectChoice("manager", _l("Manager")),
            SelectChoice("admin", _l("Administrator")),
        ],
        validate_choice=True,
    )
    active = RadioField(
        _l("Account"),
        choices=[SelectChoice("1", _l("Active")), SelectChoice("0", _l("Disabled"))],
    )
    save_user = SubmitField(_l("Save"))


assert {c.value for c in UserAdminForm.role.kwargs["choices"]} == set(ROLES)
