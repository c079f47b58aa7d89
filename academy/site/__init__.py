"""Pages outside any language: the front door and the health check."""

from .routes import bp

__all__ = ["bp"]
