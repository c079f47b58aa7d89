"""The learner's side: lessons, quizzes, attempts and results."""

from . import attempt_pages, progress_pages  # noqa: F401 - register their pages on the blueprint
from .routes import bp

__all__ = ["bp"]
