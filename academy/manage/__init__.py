"""The manager's side: teams, invitations, onboarding paths, assignments and grading."""

from . import dashboard, exports  # noqa: F401 - register their pages on the blueprint
from .routes import bp

__all__ = ["bp"]
