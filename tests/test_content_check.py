"""`flask content check`: every kind of broken file is caught and named."""

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from academy import create_app
from academy.cli import content
from academy.core.catalog import load_catalog
from academy.core.errors import ContentError

from .conftest import FIXTURES, PROJECT


@pytest.fixture
def course(tmp_path):
    """A writable copy of the fixture course."""
    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    shutil.copytree(FIXTURES / "quizzes", tmp_path / "quizzes")
    return tmp_path


def problems_of(course: Path) -> list[str]:
    _, problems = load_catalog(course / "content", course / "quizzes")
    return [str(p) for p in problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_quiz(course: Path, change) -> None:
    path = course / "quizzes" / "sample.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def assert_one_problem(course: Path, *fragments: str) -> None:
    problems = problems_of(course)
    assert any(all(f in p for f in fragments) for p in problems), problems


def test_the_fixture_course_is_clean(course):
    assert problems_of(course) == []


def test_the_real_course_is_clean():
    assert problems_of(PROJECT) == []


def test_a_lesson_missing_in_one_language(course):
    (course / "content" / "bg" / "beta.md").unlink()
    assert_one_problem(course, "bg/beta.md", "lesson is missing")


def test_missing_front_matter_field(course):
    edit(course / "content" / "pl" / "alpha.md", "summary: The first lesson (pl).\n", "")
    assert_one_problem(course, "pl/alpha.md", "summary", "is missing")


def test_front_matter_that_is_not_yaml(course):
    edit(course / "content" / "ro" / "alpha.md", "order: 1", "order: [1")
    assert_one_problem(course, "ro/alpha.md", "front matter", "not valid YAML")


def test_a_file_without_front_matter(course):
    path = course / "content" / "en" / "beta.md"
    path.write_text("Just text\n", encoding="utf-8")
    assert_one_problem(course, "en/beta.md", "front matter", "is missing")


def test_an_unknown_topic(course):
    edit(course / "content" / "en" / "alpha.md", "topics: [complacency]", "topics: [golf]")
    assert_one_problem(course, "en/alpha.md", "topics", "'golf'")


def test_a_link_to_a_lesson_that_does_not_exist(course):
    edit(course / "content" / "en" / "alpha.md", "(beta#keeping)", "(gamma#keeping)")
    assert_one_problem(course, "en/alpha.md", "no lesson 'gamma'")


def test_a_link_to_a_section_that_does_not_exist(course):
    edit(course / "content" / "pl" / "alpha.md", "(beta#keeping)", "(beta#nowhere)")
    assert_one_problem(course, "pl/alpha.md", "no section #nowhere")


def test_a_lesson_leading_to_a_missing_quiz(course):
    for lang in ("pl", "en", "bg", "ro"):
        edit(course / "content" / lang / "beta.md", "quiz: sample", "quiz: ghost")
    assert_one_problem(course, "beta.md", "quiz 'ghost' does not exist")


def test_two_lessons_with_the_same_order(course):
    edit(course / "content" / "en" / "beta.md", "order: 2", "order: 1")
    assert_one_problem(course, "en/", "order", "is also used by")


def test_a_quiz_text_missing_in_one_language(course):
    edit_quiz(course, lambda d: d["questions"][3]["options"][1]["text"].pop("bg"))
    assert_one_problem(course, "sample.yaml", "questions[3].options[b].text.bg", "missing")


def test_a_question_naming_an_unknown_criterion(course):
    edit_quiz(course, lambda d: d["questions"][0]["criteria"].append("charm"))
    assert_one_problem(course, "questions[0].criteria", "'charm' is not a criterion")


def test_a_level_out_of_range(course):
    edit_quiz(course, lambda d: d["questions"][0]["options"][1]["levels"].update({"asks-first": 7}))
    assert_one_problem(course, "questions[0].options[b].levels.asks-first", "out of range")


def test_a_choice_question_without_a_keyed_answer(course):
    edit_quiz(
        course, lambda d: d["questions"][5]["options"][1]["levels"].update({"keeps-promises": 2})
    )
    assert_one_problem(course, "questions[5].options", "exactly one must")


def test_a_multi_question_keying_the_wrong_number_of_options(course):
    edit_quiz(course, lambda d: d["questions"][3]["options"][1].update({"keyed": True}))
    assert_one_problem(course, "questions[3].options", "3 options are keyed; choose is 2")


def test_tied_keyed_ranks(course):
    edit_quiz(course, lambda d: d["questions"][2]["options"][0].update({"rank": 1}))
    assert_one_problem(course, "questions[2].options", "ranks must be 1 to 4")


def test_a_link_to_a_missing_lesson_section(course):
    edit_quiz(course, lambda d: d["questions"][0].update({"lesson_anchor": "nowhere"}))
    assert_one_problem(course, "questions[0].lesson_anchor", "#nowhere")


def test_a_model_answer_below_the_top_level(course):
    edit_quiz(course, lambda d: d["questions"][4]["model_answer"].update({"ro": "Bună ziua."}))
    assert_one_problem(course, "questions[4].model_answer.ro", "reaches level 0 of 3")


def test_a_quiz_with_too_few_questions(course):
    edit_quiz(course, lambda d: d.update({"questions": d["questions"][:7]}))
    assert_one_problem(course, "sample.yaml", "questions", "at least 8")


def test_duplicate_keys_fail_loudly(course):
    path = course / "quizzes" / "sample.yaml"
    path.write_text("pass_mark: 60\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert_one_problem(course, "sample.yaml", "duplicate key 'pass_mark'")


def run_check(course: Path):
    arguments = ["check", "--content-dir", str(course / "content")]
    return CliRunner().invoke(content, [*arguments, "--quizzes-dir", str(course / "quizzes")])


def test_the_command_exits_non_zero_naming_the_file_and_the_problem(course):
    (course / "content" / "ro" / "beta.md").unlink()
    result = run_check(course)
    assert result.exit_code == 1
    assert "ro/beta.md: lesson is missing" in result.output


def test_the_command_passes_on_a_clean_course(course):
    result = run_check(course)
    assert result.exit_code == 0, result.output
    assert "ok: 8 lesson files in 4 languages, 1 quizzes." in result.output


def test_start_up_fails_fast_on_broken_content(course, tmp_path):
    (course / "content" / "en" / "alpha.md").unlink()
    with pytest.raises(ContentError, match="en/alpha.md: lesson is missing"):
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                "CONTENT_DIR": course / "content",
                "QUIZZES_DIR": course / "quizzes",
            }
        )
