"""The manager's side: teams, invitations, onboarding paths, assignments and grading."""

from .routes import bp

__all__ = ["bp"]
