"""The learner's side: lessons, quizzes, attempts and results."""

from . import attempt_pages  # noqa: F401 - registers the attempt pages on the blueprint
from .routes import bp

__all__ = ["bp"]
