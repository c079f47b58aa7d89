"""Accounts: sign-in and out, registration, invites, password resets, the account page."""

from .routes import bp

__all__ = ["bp"]
