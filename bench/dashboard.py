"""Dashboard throughput for an employer holding 200 establishments, next to a minimal view.

What it does:
1. creates a throwaway database (PostgreSQL ``apart_bench_dashboard_<pid>`` when the server at
   BENCH_PG_URL answers, else SQLite in a temporary directory), migrates it and seeds one
   employer with an active APART habilitation covering BENCH_DASHBOARD_ESTABLISHMENTS
   establishments (default 200), half of them with a complete fiche;
2. serves the app with gunicorn (APART_ENV=production, DEBUG off) with ONE sync worker (one
   core), logs the employer in once through /connexion/ and keeps the session cookie;
3. in the same run, against the same server, measures for BENCH_DASHBOARD_SECONDS each:
   a) /sante/vivant/ (a minimal Django view: the whole middleware stack, no database query);
   b) /espace/ (the dashboard: session, account, establishments count and first five with
      their fiche, the current one's completeness);
   each with one client (latency without queueing) and BENCH_DASHBOARD_CLIENTS clients
   (saturation of the worker);
4. prints a markdown table ("## Dashboard") and checks the goals: dashboard >= 0.25 x the
   minimal view's requests/s, dashboard p99 < 50 ms with one client. Exit 0 either way
   (figures are reported, not asserted), 1 on failed requests.

The client runs on the same machine and takes some CPU from the server: the figures are a floor.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ESTABLISHMENTS = int(os.environ.get("BENCH_DASHBOARD_ESTABLISHMENTS", "200"))
CLIENTS = int(os.environ.get("BENCH_DASHBOARD_CLIENTS", "4"))
SECONDS = float(os.environ.get("BENCH_DASHBOARD_SECONDS", "8"))
ROUNDS = 16  # alternating windows of SECONDS / ROUNDS per page
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Production runs with REDIS_URL (sessions in cache_db, rate limits in Redis): so does the bench
# when a Redis server answers there ("none" to measure with database sessions only).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Surge-2020!ok"  # noqa: S105 (bench/_seed.PASSWORD, a throwaway database)
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER + "/postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def redis_available() -> bool:
    if REDIS_URL in {"", "none"}:
        return False
    parts = urllib.parse.urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError:
        return False
    return True


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        {
            "APART_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "APART_PUBLIC_URL": "https://apart.example.gouv.fr",  # never followed by the bench
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy in front
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "APART_DEMO_MAILBOX": "false",
            "REDIS_URL": REDIS_URL if redis_available() else "",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import sys
sys.path.insert(0, "bench")
from _seed import ANSWER, PASSWORD, QUESTION, siret
from apart.core.normalize import fold
from django.contrib.auth.hashers import make_password
from django.utils import timezone
import datetime
from apart.accounts.models import Account
from apart.establishments.models import Establishment, EstablishmentFiche
from apart.habilitations.models import Application, Habilitation
account = Account.objects.create(
    login="bench.dashboard", first_name="Bench", last_name="Dashboard",
    email="bench.dashboard@bench.example.fr", phone="0102030405",
    password=make_password(PASSWORD), password_changed_at=timezone.now(),
    secret_question=QUESTION, secret_answer_hash=make_password(fold(ANSWER)),
)
establishments = Establishment.objects.bulk_create(
    Establishment(
        siret=siret(77, i), denomination=f"BENCH DASHBOARD {{i:03d}}", street_number="12",
        street_type="Rue", street_name="de la Paix", postal_code="75002", city="PARIS",
        email=f"contact{{i}}@bench.example.fr", phone="+33102030405", main_contact=account,
    )
    for i in range({count})
)
EstablishmentFiche.objects.bulk_create(
    EstablishmentFiche(
        establishment=e, contact_last_name="Martig", contact_first_name="Jean",
        contact_role="Gérant", contact_email="jean@bench.example.fr",
        contact_phone="+33102030405", workforce=12, naf_code="81.21Z", idcc="3043",
        iban="FR7630006000011234567890189", bic="AGRIFRPP882", account_holder="BENCH",
        complete=True,
    )
    for e in establishments[::2]
)
today = timezone.localdate()
habilitation = Habilitation.objects.create(
    account=account, application=Application.objects.get(code="APART"), status="active",
    start_date=today - datetime.timedelta(days=1), end_date=today + datetime.timedelta(days=364),
)
habilitation.establishments.add(*establishments)
print("seeded")
"""


def setup(env: dict[str, str]) -> None:
    result = subprocess.run(
        [PYTHON, "-c", SETUP.format(count=ESTABLISHMENTS)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0 or "seeded" not in result.stdout:
        raise SystemExit(f"setup failed:\n{result.stderr}")


def log_in(port: int) -> str:
    """The session cookie of the seeded employer, logged in through the real login page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/connexion/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf = next(
        h.split(";")[0]
        for h in response.headers.get_all("Set-Cookie") or []
        if h.startswith("csrftoken=")
    )
    token = _CSRF_INPUT.search(body)
    assert token is not None, "no CSRF token on the login page"
    conn.request(
        "POST",
        "/connexion/",
        body=urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "login": "bench.dashboard",
                "password": PASSWORD,
            }
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf},
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 302, f"login failed: {response.status}"
    session = next(
        h.split(";")[0]
        for h in response.headers.get_all("Set-Cookie") or []
        if h.startswith("sessionid=")
    )
    return session


def measure(
    port: int, path: str, cookie: str, clients: int, marker: str, seconds: float
) -> tuple[float, list[float], int]:
    """Closed loop: ``clients`` connections requesting ``path`` for ``seconds``."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": "apart-bench"})
                response = conn.getresponse()
                body = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                bad += 1
                continue
            elapsed = time.perf_counter() - started
            if response.status == 200 and marker.encode() in body:
                mine.append(elapsed)
            else:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            failures += bad

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - started), latencies, failures


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="apart-bench-dashboard-"))
    database = f"apart_bench_dashboard_{os.getpid()}"
    use_pg = pg_available()
    if use_pg:
        import psycopg

        with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        database_url = f"{PG_SERVER}/{database}"
    else:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = environment(database_url)
    server = None
    results: dict[tuple[str, int], tuple[float, list[float], int]] = {}
    try:
        setup(env)
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = log_in(port)
        targets = {"/sante/vivant/": ("", "ok"), "/espace/": (cookie, "BONJOUR,")}
        for path, (path_cookie, _marker) in targets.items():  # warm up
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _i in range(20):
                warm.request("GET", path, headers={"Cookie": path_cookie})
                warm.getresponse().read()
            warm.close()
        # The machine may be shared: both pages are measured in alternating short windows, so
        # that each sees the same conditions, and the figures are summed over the windows.
        window = SECONDS / ROUNDS
        for clients in (1, CLIENTS):
            served_by = dict.fromkeys(targets, 0.0)
            times_by: dict[str, list[float]] = {path: [] for path in targets}
            failed_by = dict.fromkeys(targets, 0)
            for _round in range(ROUNDS):
                for path, (path_cookie, marker) in targets.items():
                    rate, times, failures = measure(
                        port, path, path_cookie, clients, marker, window
                    )
                    served_by[path] += rate * window
                    times_by[path].extend(times)
                    failed_by[path] += failures
            for path in targets:
                results[(path, clients)] = (
                    served_by[path] / SECONDS,
                    times_by[path],
                    failed_by[path],
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if use_pg:
            import psycopg

            with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    ms = 1000
    print("## Dashboard\n")
    print(
        f"gunicorn, 1 sync worker (one core), {'PostgreSQL' if use_pg else 'SQLite'}, "
        f"sessions {'in Redis (cached_db)' if redis_available() else 'in the database'}; one "
        f"employer with {ESTABLISHMENTS} establishments (half with a complete fiche), logged in "
        f"once; closed loop, {SECONDS:.0f} s per line in {ROUNDS} windows alternating with the "
        "other page. /sante/vivant/ is a "
        "minimal Django view (full middleware stack, no query) served by the same server in the "
        "same run.\n"
    )
    print("| Page | Clients | Requests/s | p50 | p99 | Failed |\n|---|---|---|---|---|---|")
    for (path, clients), (rate, latencies, failures) in results.items():
        print(
            f"| {path} | {clients} | {rate:.0f} | {percentile(latencies, 0.5) * ms:.1f} ms | "
            f"{percentile(latencies, 0.99) * ms:.1f} ms | {failures} |"
        )
    minimal = results[("/sante/vivant/", CLIENTS)][0]
    dashboard = results[("/espace/", CLIENTS)][0]
    p99 = percentile(results[("/espace/", 1)][1], 0.99) * ms
    ratio = dashboard / minimal if minimal else float("nan")
    print(f"\nDashboard ÷ minimal view (saturation, goal ≥ 0.25): {ratio:.2f}.")
    print(f"Dashboard p99 with one client (goal < 50 ms): {p99:.1f} ms.")
    print(f"Goals met: {'yes' if ratio >= 0.25 and p99 < 50 else 'no'}.")
    return 1 if sum(r[2] for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
