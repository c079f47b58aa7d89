"""Exceptions of the core. No web framework here: the web layer maps them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file: where, and what."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Content files that cannot be served; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidAnswer(ValueError):
    """A submitted answer that does not fit its question.

    ``code`` is a stable key the web layer turns into a message in the
    learner's language; ``detail`` holds values for that message.
    """

    def __init__(self, code: str, **detail: object):
        self.code = code
        self.detail = detail
        super().__init__(code if not detail else f"{code}: {detail}")
