from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice


class StartAttemptForm(FlaskForm):
    mode = RadioField(
        _l("How do you want to take the quiz?"),
        choices=[
            SelectChoice("practice", _l("Practice: see the feedback after each answer")),
            SelectChoice("assessment", _l("Test mode: see the feedback only after submitting")),
        ],
        default="practice",
    )
    start = SubmitField(_l("Start the quiz"))


class SubmitAttemptForm(FlaskForm):
    submit = SubmitField(_l("Submit my answers"))


class AbandonAttemptForm(FlaskForm):
    abandon = SubmitField(_l("Leave this attempt and start again"))
