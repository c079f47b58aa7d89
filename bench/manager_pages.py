"""Manager pages at scale: p50/p99 of the dashboard, statistics and export against a lesson page.

    make bench                     # SQLite, 500 learners, 50,000 attempts
    DATABASE_URL=postgresql://… make bench

Builds a fresh database with `flask demo --learners 500 --attempts 50000`,
serves it with gunicorn (2 workers, as on a small machine), signs in as the
demo manager and times sequential requests after a few warm-up views (whose
slowest, the cold cost of a first view, is printed beside them). Prints a table and the ratio of
the dashboard's p99 to the lesson page's (the target is under 10).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent
LEARNERS = int(os.environ.get("BENCH_LEARNERS", 500))
ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", 50_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 200))
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway demo database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {
        **os.environ,
        "SECRET_KEY": "bench-secret",
        "SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'bench.db'}",
        "CACHE_DIR": str(ROOT / "instance" / "cache"),
    }
    flask = [str(VENV / "flask"), "--app", "app"]
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run([*flask, "db", "downgrade", "base"], cwd=ROOT, env=env, check=False,
                       capture_output=True)
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    began = time.monotonic()
    loaded = subprocess.run(
        [*flask, "demo", "--password", PASSWORD, "--learners", str(LEARNERS),
         "--attempts", str(ATTEMPTS)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    print(loaded.stdout.strip().splitlines()[-2])
    print(f"demo loaded in {time.monotonic() - began:.1f} s ({env['DATABASE_URL'].split(':')[0]})")

    port = free_port()
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "app:app"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/en/sign-in").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"csrf_token": token, "email": "manager@example.com", "password": PASSWORD}
        ).encode()
        opener.open(base + "/en/sign-in", data=body)
        pages = {
            "lesson page": "/en/lessons/relationship-cost",
            "dashboard": "/en/manage/",
            "dashboard, page 5 by module": "/en/manage/?sort=m2&page=5",
            "grading queue": "/en/manage/grading/",
            "item statistics": "/en/manage/quizzes/complacency/statistics",
            "CSV export (all attempts)": "/en/manage/export.csv",
        }
        results, first_views = {}, {}
        for name, path in pages.items():
            rounds = ROUNDS if "export" not in name and "statistics" not in name else 10
            # Warm up: every worker's first view computes what later views reuse
            # (templates, the validated cache); that cold cost is timed apart below.
            cold = []
            for _ in range(4):
                start = time.perf_counter()
                opener.open(base + path, timeout=120).read()
                cold.append((time.perf_counter() - start) * 1000)
            first_views[name] = max(cold)
            times, size = [], 0
            for _ in range(rounds):
                start = time.perf_counter()
                with opener.open(base + path, timeout=120) as response:
                    size = len(response.read())
                    assert response.status == 200
                times.append((time.perf_counter() - start) * 1000)
            results[name] = (statistics.median(times), percentile(times, 0.99), size, rounds)
        print(f"\n{'page':34s} {'p50 ms':>8s} {'p99 ms':>8s} {'cold ms':>8s} {'bytes':>10s} rounds")
        for name, (p50, p99, size, rounds) in results.items():
            print(f"{name:34s} {p50:8.1f} {p99:8.1f} {first_views[name]:8.1f} {size:10d} {rounds}")
        ratio = results["dashboard"][1] / results["lesson page"][1]
        print(f"\ndashboard p99 / lesson page p99 = {ratio:.1f} (target: under 10)")
        return 0 if ratio < 10 else 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
