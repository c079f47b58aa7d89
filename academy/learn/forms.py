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


class MarkReadForm(FlaskForm):
    mark_read = SubmitField(_l("I have read this lesson"))


class AbandonAttemptForm(FlaskForm):
    abandon = SubmitField(_l("Leave this attempt and start again"))


def start_form(quiz, lang: str, assigned: bool = False):
    """The start form with the optional self-assessment: one choice per criterion.

    Each criterion's scale is the rubric's own levels, so the learner rates
    themselves with the words the scoring uses. "Not rated" is the default.
    """

    class StartWithRatingForm(StartAttemptForm):
        pass

    for criterion in quiz.rubric:
        setattr(
            StartWithRatingForm,
            f"rate_{criterion.id}",
            RadioField(
                criterion.title[lang],
                choices=[SelectChoice("", _l("Skip this criterion"))]
                + [
                    SelectChoice(str(i), f"{i} – {level[lang]}")
                    for i, level in enumerate(criterion.levels)
                ],
                default="",
                validate_choice=True,
            ),
        )
    form = StartWithRatingForm()
    form.rating_fields = [getattr(form, f"rate_{c.id}") for c in quiz.rubric]
    return form


def self_rating(form, quiz) -> dict[str, int]:
    """The levels the learner chose for themselves, criteria left unrated left out."""
    return {
        c.id: int(getattr(form, f"rate_{c.id}").data)
        for c in quiz.rubric
        if (getattr(form, f"rate_{c.id}").data or "").isdigit()
    }
