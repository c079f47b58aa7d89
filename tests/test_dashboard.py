"""The manager's dashboard and exports: filters, sorting, pages, access, query counts."""

import csv
import io
import json

import pytest
from sqlalchemy import event

from academy.extensions import db
from academy.manage.exports import neutralise

from .conftest import add_user, sign_in
from .seeding import seed_team


class QueryCounter:
    """Counts the SQL statements a block of code sends to the database."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *args, **kwargs):
        self.count += 1

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.fixture
def boss(app):
    seed_team(app, learners=3)
    client = app.test_client()
    sign_in(client, "boss@example.com")
    return client


def test_the_matrix_shows_every_learner_and_module_with_status(boss):
    page = boss.get("/en/manage/").text
    assert page.count('data-cell="awaiting_review"') == 3  # every attempt has a written answer
    assert "Learner 000" in page and "Learner 002" in page
    assert "Download CSV" in page


def test_filters_sorting_and_pages(app, boss):
    seed_team(app, learners=30, seed=2)
    first = boss.get("/en/manage/?sort=learner").text
    assert "Learners 1–25 of 33" in first
    second = boss.get("/en/manage/?sort=learner&page=2").text
    assert "Learners 26–33 of 33" in second
    assert boss.get("/en/manage/?page=3").status_code == 404
    descending = boss.get("/en/manage/?sort=learner&order=desc").text
    assert descending.index("Learner 029") < descending.index("Learner 010")
    assert "Learner 001" not in descending  # on the second page now
    none = boss.get("/en/manage/?status=passed").text
    assert "No learner matches these filters." in none
    # Nonsense in the query string falls back to the defaults, never a 500.
    assert boss.get("/en/manage/?team=x&path=-1&sort=<b>&status=zz&page=0").status_code == 200


def test_a_team_filter_only_shows_that_team(app, boss):
    other = seed_team(app, learners=2, seed=3)
    page = boss.get(f"/en/manage/?team={other['team']}").text
    assert "Learners 1–2 of 2" in page


def test_another_manager_and_a_learner_see_nothing_of_this_team(app, boss):
    add_user(app, "stranger@example.com", "manager")
    stranger = app.test_client()
    sign_in(stranger, "stranger@example.com")
    page = stranger.get("/en/manage/").text
    assert "Learner 000" not in page
    assert "Learner 000" not in stranger.get("/en/manage/export.csv").text  # nothing of theirs
    learner = app.test_client()
    sign_in(learner, "learner1-0@example.com")
    assert learner.get("/en/manage/").status_code == 403
    assert learner.get("/en/manage/export.csv").status_code == 403


def test_the_csv_export_reads_back_in_excel_encoding_with_formulas_neutralised(app, boss):
    with app.app_context():
        from academy.models import User

        learner = db.session.get(User, 2)
        learner.name = '=HYPERLINK("http://evil")Żaneta Ștefănescu Иванова'
        db.session.commit()
    response = boss.get("/en/manage/export.csv")
    assert response.mimetype == "text/csv"
    raw = response.data
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3
    names = {row["learner"] for row in rows}
    assert '\'=HYPERLINK("http://evil")Żaneta Ștefănescu Иванова' in names
    assert all(row["status"] == "awaiting_review" for row in rows)
    criterion_columns = [c for c in rows[0] if " – " in c]
    assert len(criterion_columns) == 3  # one column per criterion of the quiz
    assert all(row[criterion_columns[0]] != "" for row in rows)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain"
    assert neutralise(3) == 3


def test_the_json_export_has_the_same_records(boss):
    data = json.loads(boss.get("/en/manage/export.json").data)
    csv_rows = list(
        csv.DictReader(io.StringIO(boss.get("/en/manage/export.csv").data.decode("utf-8-sig")))
    )
    assert len(data) == len(csv_rows) == 3
    assert {d["email"] for d in data} == {r["email"] for r in csv_rows}
    assert boss.get("/en/manage/export.xml").status_code == 404


def test_manager_pages_send_the_same_number_of_queries_whatever_the_data(app, boss):
    def queries(url):
        with QueryCounter(app) as counter:
            response = boss.get(url)
            assert response.status_code == 200
            response.get_data()
        return counter.count

    urls = ["/en/manage/", "/en/manage/export.csv", "/en/manage/export.json"]
    small = {url: queries(url) for url in urls}
    seed_team(app, learners=12, attempts_each=2, seed=4)
    large = {url: queries(url) for url in urls}
    assert large == small
