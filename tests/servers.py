"""A real server for the tests that need one: gunicorn on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from academy import create_app
from academy.extensions import db

from .conftest import CACHE, FIXTURES, PROJECT, database_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the fixture course on a fresh database."""

    def __init__(self, tmp: Path, workers: int = 4):
        self.url_db = database_url(tmp)
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": self.url_db,
                "CONTENT_DIR": FIXTURES / "content",
                "QUIZZES_DIR": FIXTURES / "quizzes",
                "CACHE_DIR": CACHE,
            },
            instance_path=str(tmp / "instance"),
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SECRET_KEY": "concurrency-test-secret",
            "DATABASE_URL": self.url_db,
            "CONTENT_DIR": str(FIXTURES / "content"),
            "QUIZZES_DIR": str(FIXTURES / "quizzes"),
            "CACHE_DIR": str(CACHE),
            "SESSION_COOKIE_SECURE": "0",
        }
        self.log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "2",
                "--log-level",
                "warning",
                "app:app",
            ],
            cwd=PROJECT,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def app(self):
        """The app on the server's database, to set data up from a test."""
        return create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": self.url_db,
                "CONTENT_DIR": FIXTURES / "content",
                "QUIZZES_DIR": FIXTURES / "quizzes",
                "CACHE_DIR": CACHE,
            }
        )

    def workers(self) -> list[int]:
        found = subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def query(self, sql: str, **params):
        engine = create_engine(self.url_db)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).all()
        finally:
            engine.dispose()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
