"""The whole course: every lesson and quiz, loaded and cross-checked.

``load_catalog`` is what both start-up and ``flask content check`` use, so the
site never serves content the check would reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import LANGUAGES
from .errors import Problem
from .freetext.guide import model_answer_problems
from .instrument import instrument_problems
from .lessons import LessonCatalog
from .quizzes import Quiz, load_quizzes


@dataclass
class Catalog:
    lessons: LessonCatalog
    quizzes: dict[str, Quiz]
    quizzes_root: Path

    def quizzes_in_order(self, lang: str) -> list[Quiz]:
        """Quizzes in the order of the lessons they follow."""
        order = {lesson.slug: lesson.order for lesson in self.lessons.in_language(lang)}
        return sorted(self.quizzes.values(), key=lambda q: (order.get(q.lesson, 999), q.id))

    def lesson_titles(self) -> dict[str, dict[str, str]]:
        """Each lesson's title in every language, by slug (for certificates)."""
        titles: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            for lesson in self.lessons.in_language(lang):
                titles.setdefault(lesson.slug, {})[lang] = lesson.title
        return titles


def load_catalog(
    content_root: Path, quizzes_root: Path, auto_reload: bool = False
) -> tuple[Catalog, list[Problem]]:
    """Load lessons and quizzes and return them with every problem found."""
    lessons = LessonCatalog(Path(content_root), LANGUAGES, auto_reload=auto_reload)
    problems = lessons.load()
    quizzes, quiz_problems = load_quizzes(Path(quizzes_root))
    problems += quiz_problems
    catalog = Catalog(lessons, quizzes, Path(quizzes_root))
    problems += cross_reference_problems(catalog)
    attach_lessons(catalog)
    for quiz_id, quiz in sorted(quizzes.items()):
        file = str(Path(quizzes_root) / f"{quiz_id}.yaml")
        problems += model_answer_problems(quiz, file)
        problems += instrument_problems(quiz, file)
    return catalog, problems


def attach_lessons(catalog: Catalog) -> None:
    """Give each written question's judge the text of its lesson, to spot copies."""
    for quiz in catalog.quizzes.values():
        for question in quiz.questions:
            guide = quiz.guides.get(question.id)
            if guide is None:
                continue
            for lang in LANGUAGES:
                for slug in dict.fromkeys((question.lesson, quiz.lesson)):
                    lesson = catalog.lessons.get(lang, slug)
                    if lesson is not None:
                        guide.add_reference(lang, lesson.plain_text)


def cross_reference_problems(catalog: Catalog) -> list[Problem]:
    """Lessons present in every language, links that resolve, quizzes that exist."""
    problems: list[Problem] = []
    lessons = catalog.lessons
    root = lessons.root
    every_slug = set().union(*(lessons.slugs(lang) for lang in LANGUAGES))
    for lang in LANGUAGES:
        for slug in sorted(every_slug - lessons.slugs(lang)):
            problems.append(Problem(str(root / lang / f"{slug}.md"), "", "lesson is missing"))

    for lang in LANGUAGES:
        seen_orders: dict[int, str] = {}
        folded: dict[str, str] = {}
        for lesson in lessons.in_language(lang):
            if lesson.order in seen_orders:
                problems.append(
                    Problem(
                        lesson.path,
                        "order",
                        f"{lesson.order} is also used by {seen_orders[lesson.order]!r}",
                    )
                )
            seen_orders[lesson.order] = lesson.slug
            if lesson.slug.lower() in folded:
                problems.append(Problem(lesson.path, "", "slug is not unique"))
            folded[lesson.slug.lower()] = lesson.slug
            if lesson.quiz not in catalog.quizzes:
                problems.append(
                    Problem(lesson.path, "quiz", f"quiz {lesson.quiz!r} does not exist")
                )
            for other_lang in LANGUAGES:
                other = lessons.get(other_lang, lesson.slug)
                if other and other.order != lesson.order:
                    problems.append(
                        Problem(lesson.path, "order", f"differs from the {other_lang} version")
                    )
                if other and other.quiz != lesson.quiz:
                    problems.append(
                        Problem(lesson.path, "quiz", f"differs from the {other_lang} version")
                    )
            problems += _link_problems(catalog, lesson)

    for quiz_id, quiz in sorted(catalog.quizzes.items()):
        file = str(catalog.quizzes_root / f"{quiz_id}.yaml")
        if quiz.lesson not in every_slug:
            problems.append(Problem(file, "lesson", f"lesson {quiz.lesson!r} does not exist"))
        for index, question in enumerate(quiz.questions):
            for lang in LANGUAGES:
                target = lessons.get(lang, question.lesson)
                if target is None:
                    if question.lesson != quiz.lesson:
                        problems.append(
                            Problem(
                                file,
                                f"questions[{index}].lesson",
                                f"lesson {question.lesson!r} does not exist in {lang}",
                            )
                        )
                    continue
                if question.lesson_anchor not in target.anchors:
                    problems.append(
                        Problem(
                            file,
                            f"questions[{index}].lesson_anchor",
                            f"#{question.lesson_anchor} is not a section of "
                            f"{question.lesson!r} in {lang}",
                        )
                    )
    return problems


def _link_problems(catalog: Catalog, lesson) -> list[Problem]:
    """Relative links in a lesson must name an existing lesson and section."""
    problems = []
    for href in lesson.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/") or href.startswith("mailto:"):
            continue
        slug = parts.path or lesson.slug
        target = catalog.lessons.get(lesson.lang, slug)
        if target is None:
            problems.append(Problem(lesson.path, "links", f"{href!r}: no lesson {slug!r}"))
        elif parts.fragment and parts.fragment not in target.anchors:
            problems.append(
                Problem(lesson.path, "links", f"{href!r}: no section #{parts.fragment}")
            )
    return problems
