"""The pure core: lesson and quiz catalogs, rubric scoring, text matching.

Nothing in this package imports Flask or SQLAlchemy, so it can be tested,
benchmarked and reused on its own.
"""

LANGUAGES = ("pl", "en", "bg", "ro")
"""Every language the site is written in, in the order the switcher shows them."""

TOPICS = ("complacency", "customer-partnership", "promises", "double-standards", "reciprocity")
"""Language-neutral topic ids a lesson may list."""
