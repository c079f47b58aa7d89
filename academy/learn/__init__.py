"""The learner's side: lessons, quizzes, attempts and results."""

from .routes import bp

__all__ = ["bp"]
