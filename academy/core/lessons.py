"""Lessons kept as Markdown files: `content/<lang>/<slug>.md`.

A lesson is front matter (YAML) plus a Markdown body. The body is rendered to
HTML once, sanitized, and cached; with ``auto_reload`` (debug only) a file is
re-read when its modification time changes. The format is described in
docs/content-guide.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml

from . import LANGUAGES, TOPICS
from .errors import ContentError, Problem

WORDS_PER_MINUTE = 200
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Source:
    """The article a lesson was written from, for its credit line."""

    title: str
    author: str | None = None
    publication: str | None = None
    year: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Lesson:
    """One lesson in one language, rendered and ready to serve."""

    slug: str
    lang: str
    title: str
    summary: str
    order: int
    topics: tuple[str, ...]
    quiz: str
    source: Source
    html: str
    headings: tuple[Heading, ...]
    links: tuple[str, ...]
    words: int
    path: str
    mtime: float
    plain_text: str = ""
    takeaways: tuple[str, ...] = ()

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time, at least one minute."""
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.anchor for h in self.headings)

    @property
    def toc(self) -> tuple[Heading, ...]:
        """Headings for the table of contents (second and third level)."""
        return tuple(h for h in self.headings if h.level in (2, 3))


class _PageReader(HTMLParser):
    """Collects headings with ids, link targets and plain text from HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._heading: tuple[int, str] | None = None
        self._heading_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag) and attributes.get("id"):
            self._heading = (int(tag[1]), attributes["id"] or "")
            self._heading_text = []
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == f"h{self._heading[0]}":
            title = "".join(self._heading_text).strip()
            self.headings.append(Heading(self._heading[0], self._heading[1], title))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            self._heading_text.append(data)


def render_markdown(body: str) -> str:
    """Markdown to sanitized HTML, with heading anchors and tables."""
    renderer = markdown.Markdown(
        extensions=["toc", "attr_list", "tables", "sane_lists", "smarty"],
        extension_configs={
            "toc": {"toc_depth": "2-4"},
            "smarty": {"smart_quotes": False},
        },
    )
    html = renderer.convert(body)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str]:
    """Separate the YAML front matter from the body; fail loudly when broken."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError([Problem(file, "front matter", "is missing (start the file with ---)")])
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise ContentError(
            [Problem(file, "front matter", f"is not valid YAML: {error}")]
        ) from error
    if not isinstance(meta, dict):
        raise ContentError([Problem(file, "front matter", "must be a mapping")])
    return meta, text[match.end() :]


def _front_matter_problems(meta: dict[str, Any], file: str) -> list[Problem]:
    problems = []

    def need(key: str, kind: type | tuple[type, ...], what: str) -> None:
        value = meta.get(key)
        if value is None:
            problems.append(Problem(file, key, "is missing"))
        elif not isinstance(value, kind) or isinstance(value, bool) or value == "":
            problems.append(Problem(file, key, f"must be {what}"))

    need("title", str, "a text")
    need("summary", str, "a text")
    need("order", int, "a whole number")
    need("topics", list, "a list of topic ids")
    need("quiz", str, "a quiz id")
    need("source", dict, "a mapping with at least a title")
    for topic in meta.get("topics") or []:
        if topic not in TOPICS:
            problems.append(Problem(file, "topics", f"{topic!r} is not one of {', '.join(TOPICS)}"))
    source = meta.get("source")
    if isinstance(source, dict):
        if not isinstance(source.get("title"), str) or not source["title"].strip():
            problems.append(Problem(file, "source.title", "is missing"))
        for key in sorted(set(source) - {"title", "author", "publication", "year", "language"}):
            problems.append(Problem(file, f"source.{key}", "is not a known field"))
    takeaways = meta.get("takeaways")
    if not isinstance(takeaways, list) or not 3 <= len(takeaways) <= 5:
        problems.append(Problem(file, "takeaways", "must list 3 to 5 key takeaways"))
    elif any(not isinstance(t, str) or not t.strip() for t in takeaways):
        problems.append(Problem(file, "takeaways", "every takeaway must be a text"))
    known = {"title", "summary", "order", "topics", "quiz", "source", "takeaways"}
    for key in sorted(set(meta) - known):
        problems.append(Problem(file, key, "is not a known field"))
    return problems


def load_lesson(path: Path, lang: str) -> Lesson:
    """Read, check and render one lesson file."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([Problem(file, "", f"cannot be read: {error}")]) from error
    meta, body = split_front_matter(text, file)
    problems = _front_matter_problems(meta, file)
    if not _SLUG.match(path.stem):
        problems.append(Problem(file, "", f"file name {path.stem!r} is not a slug"))
    if problems:
        raise ContentError(problems)
    html = render_markdown(body)
    page = _PageReader()
    page.feed(html)
    source = meta["source"]
    return Lesson(
        slug=path.stem,
        lang=lang,
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        order=meta["order"],
        topics=tuple(meta["topics"]),
        quiz=meta["quiz"],
        source=Source(
            title=source["title"].strip(),
            author=source.get("author"),
            publication=source.get("publication"),
            year=source.get("year"),
            language=source.get("language"),
        ),
        html=html,
        headings=tuple(page.headings),
        links=tuple(page.links),
        words=len(re.findall(r"\w+", "".join(page.text))),
        path=file,
        mtime=path.stat().st_mtime,
        plain_text=" ".join("".join(page.text).split()),
        takeaways=tuple(t.strip() for t in meta["takeaways"]),
    )


def lesson_files(root: Path, lang: str) -> list[Path]:
    """The lesson files of one language (files starting with ``_`` are notes)."""
    return sorted(p for p in (root / lang).glob("*.md") if not p.name.startswith("_"))


class LessonCatalog:
    """All lessons in all languages, loaded once and served from memory."""

    def __init__(self, root: Path, languages: tuple[str, ...] = LANGUAGES, auto_reload=False):
        self.root = Path(root)
        self.languages = languages
        self.auto_reload = auto_reload
        self._lessons: dict[str, dict[str, Lesson]] = {}

    def load(self) -> list[Problem]:
        """(Re)load every lesson; return the problems of files that failed."""
        problems: list[Problem] = []
        lessons: dict[str, dict[str, Lesson]] = {}
        for lang in self.languages:
            lessons[lang] = {}
            if not (self.root / lang).is_dir():
                problems.append(Problem(str(self.root / lang), "", "language folder is missing"))
                continue
            for path in lesson_files(self.root, lang):
                try:
                    lesson = load_lesson(path, lang)
                except ContentError as error:
                    problems.extend(error.problems)
                    continue
                lessons[lang][lesson.slug] = lesson
        self._lessons = lessons
        return problems

    def _fresh(self) -> None:
        if not self.auto_reload:
            return
        for lang in self.languages:
            on_disk = {p.stem: p for p in lesson_files(self.root, lang)}
            cached = self._lessons.get(lang, {})
            if set(on_disk) != set(cached) or any(
                p.stat().st_mtime != cached[s].mtime for s, p in on_disk.items()
            ):
                self.load()
                return

    def get(self, lang: str, slug: str) -> Lesson | None:
        self._fresh()
        return self._lessons.get(lang, {}).get(slug)

    def in_language(self, lang: str) -> list[Lesson]:
        """The lessons of one language in course order."""
        self._fresh()
        return sorted(self._lessons.get(lang, {}).values(), key=lambda lesson: lesson.order)

    def slugs(self, lang: str) -> set[str]:
        return set(self._lessons.get(lang, {}))

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        """The previous and next lesson in course order."""
        ordered = self.in_language(lesson.lang)
        index = next(i for i, other in enumerate(ordered) if other.slug == lesson.slug)
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        return previous, following
