"""The manager's side: teams, invitations, onboarding paths, assignments and grading."""

from . import (  # noqa: F401 - register their pages on the blueprint
    dashboard,
    exports,
    grading_pages,
    statistics_pages,
)
from .routes import bp

__all__ = ["bp"]
