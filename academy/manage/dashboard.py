"""The team dashboard: the onboarding matrix with filters, sorting and pages,
the team's level per criterion, and where learners misjudge themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import abort, current_app, g, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .. import insight
from ..access import managers
from ..core.charts import bar_chart
from ..core.progress import STATUSES
from ..core.quizzes import Quiz
from ..learn.routes import catalog
from ..models import OnboardingPath, utcnow
from .routes import bp

PAGE_SIZE = 25
STATUS_ORDER = {
    s: i
    for i, s in enumerate(
        ("overdue", "failed", "awaiting_review", "in_progress", "not_started", "passed")
    )
}


@dataclass(frozen=True)
class Filters:
    team: int | None
    path: OnboardingPath | None
    module: str | None
    status: str | None
    sort: str
    descending: bool
    page: int

    def query(self, **changes) -> dict:
        """The query string of these filters, with some changed (for links)."""
        values = {
            "team": self.team,
            "path": self.path.id if self.path else None,
            "module": self.module,
            "status": self.status,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "", 1) or k == "sort"}


def _int(args: MultiDict, name: str) -> int | None:
    value = args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def read_filters(args: MultiDict, teams, paths) -> Filters:
    """The filters from the query string; anything unknown falls back to its default."""
    team = _int(args, "team")
    if team not in {t.id for t in teams}:
        team = None
    wanted = _int(args, "path")
    path = next((p for p in paths if p.id == wanted), paths[0] if paths else None)
    modules = {m.lesson for m in path.modules} if path else set()
    module = args.get("module") if args.get("module") in modules else None
    status = args.get("status") if args.get("status") in STATUSES else None
    sort = args.get("sort", "learner")
    columns = {"learner", "team", "due", "progress"} | {
        f"m{m.position}" for m in (path.modules if path else [])
    }
    if sort not in columns:
        sort = "learner"
    page = _int(args, "page") or 1
    return Filters(team, path, module, status, sort, args.get("order") == "desc", page)


def _sort_key(sort: str, path: OnboardingPath):
    if sort == "team":
        return lambda row: ((row.team.name if row.team else "").casefold(), row.learner.name)
    if sort == "due":
        return lambda row: row.assignment.due_at
    if sort == "progress":
        return lambda row: row.progress
    if sort.startswith("m"):
        index = [m.position for m in path.modules].index(int(sort[1:]))

        def by_module(row):
            cell = row.cells[index]
            return (
                STATUS_ORDER[cell.status],
                -(cell.counting.percent or 0) if cell.counting else 0,
            )

        return by_module
    return lambda row: row.learner.name.casefold()


def select_rows(rows, filters: Filters):
    if filters.status:
        if filters.module:
            index = [m.lesson for m in filters.path.modules].index(filters.module)
            rows = [r for r in rows if r.cells[index].status == filters.status]
        else:
            rows = [r for r in rows if any(c.status == filters.status for c in r.cells)]
    return sorted(rows, key=_sort_key(filters.sort, filters.path), reverse=filters.descending)


@dataclass(frozen=True)
class CriterionRow:
    quiz: Quiz
    criterion_id: str
    title: str
    share: float
    attempts: int
    self_gap: float | None
    rated: int
    lesson: str
    anchor: str


def lesson_section(quiz: Quiz, criterion_id: str) -> tuple[str, str]:
    """The lesson section that teaches a criterion: where most of its questions point."""
    places = Counter(
        (q.lesson, q.lesson_anchor) for q in quiz.questions if criterion_id in q.criteria
    )
    return places.most_common(1)[0][0] if places else (quiz.lesson, "")


def criterion_rows(assignment_ids, path: OnboardingPath) -> list[CriterionRow]:
    quizzes = [catalog().quizzes[m.quiz_id] for m in path.modules if m.quiz_id in catalog().quizzes]
    averages = insight.criterion_averages(assignment_ids, [q.id for q in quizzes])
    by_key = {(a.quiz_id, a.criterion_id): a for a in averages}
    rows = []
    for quiz in quizzes:
        for criterion in quiz.rubric:
            found = by_key.get((quiz.id, criterion.id))
            if found is None:
                continue
            lesson, anchor = lesson_section(quiz, criterion.id)
            rows.append(
                CriterionRow(
                    quiz,
                    criterion.id,
                    criterion.title[g.lang],
                    found.share,
                    found.attempts,
                    found.self_gap,
                    found.rated,
                    lesson,
                    anchor,
                )
            )
    return rows


@bp.get("/")
@managers
def index():
    """The dashboard: learners × modules of one path, with filters, sorting and pages."""
    teams = insight.visible_teams(current_user)
    paths = insight.paths_in_use(teams)
    filters = read_filters(request.args, teams, paths)
    if filters.path is None:
        return render_template(
            "manage/dashboard.html",
            filters=filters,
            teams=teams,
            paths=[],
            rows=[],
            shown=[],
            counts={},
            criteria=[],
            chart=None,
            overrated=[],
            pages=0,
            titles={},
        )
    team_ids = [t.id for t in teams if filters.team in (None, t.id)]
    key = (
        current_app.extensions["academy.instance"],  # one app's data never serves another's
        current_user.id,
        g.lang,
        filters.path.id,
        tuple(team_ids),
    )

    def compute():
        rows = insight.matrix(teams, filters.path, utcnow(), team_id=filters.team)
        criteria = criterion_rows([row.assignment.id for row in rows], filters.path)
        return rows, criteria

    rows, criteria = insight.cached(key, insight.progress_token(filters.path.id, team_ids), compute)
    counts = insight.statuses_count(rows)
    chosen = select_rows(rows, filters)
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    if filters.page > pages:
        abort(404)
    start = (filters.page - 1) * PAGE_SIZE
    weakest = min(criteria, key=lambda c: c.share) if criteria else None
    overrated = sorted(
        (c for c in criteria if c.self_gap is not None and c.self_gap > 0),
        key=lambda c: c.self_gap,
        reverse=True,
    )[:3]
    chart = bar_chart([(c.criterion_id, c.title, c.share * 100) for c in criteria])
    titles = {lesson.slug: lesson.title for lesson in catalog().lessons.in_language(g.lang)}
    return render_template(
        "manage/dashboard.html",
        filters=filters,
        teams=teams,
        paths=paths,
        rows=chosen,
        shown=chosen[start : start + PAGE_SIZE],
        first=start + 1,
        counts=counts,
        pages=pages,
        criteria=criteria,
        weakest=weakest,
        overrated=overrated,
        chart=chart,
        titles=titles,
        now=utcnow(),
    )
