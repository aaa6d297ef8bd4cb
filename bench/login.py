"""Login throughput against gunicorn, and the hash-bound ceiling, in one run.

What it does:
1. creates a throwaway database (PostgreSQL ``apart_bench_login_<pid>`` when the server at
   BENCH_PG_URL answers, else SQLite in a temporary directory), migrates it and seeds
   BENCH_LOGIN_ACCOUNTS employers (default 300) straight into it, each able to log in (active
   habilitation: the habilitation gate of APART_LOGIN_CHECKS runs as in production);
2. measures one password verification with the configured hasher (Argon2id, OWASP parameters):
   ceiling = cores / time of one hash;
3. serves the app with gunicorn (APART_ENV=production, DEBUG off) on a free loopback port with one
   sync worker per core, and drives it from client threads: each thread GETs /connexion/ once for
   its CSRF cookie and token, then POSTs logins (each a fresh login: no session cookie is kept);
   a) saturation: BENCH_LOGIN_CLIENTS threads (default 2 x cores) for BENCH_LOGIN_SECONDS;
   b) open loop at 80 % of the ceiling: requests sent on a fixed schedule, latency counted from
      the scheduled time (queueing included);
4. prints a markdown table ("## Login") and checks the goals: >= 0.9 x ceiling, p99 < 250 ms at
   80 % of it. Exit status 0 either way (figures are reported, not asserted), 1 on errors.

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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CORES = os.cpu_count() or 1
ACCOUNTS = int(os.environ.get("BENCH_LOGIN_ACCOUNTS", "300"))
CLIENTS = int(os.environ.get("BENCH_LOGIN_CLIENTS", str(2 * CORES)))
SECONDS = float(os.environ.get("BENCH_LOGIN_SECONDS", "15"))
# Threads per gunicorn worker: 1 = sync workers; more = gthread, so that one worker hashes while
# another request of the same worker waits on the database (argon2-cffi releases the GIL).
THREADS = int(os.environ.get("BENCH_LOGIN_THREADS", "2"))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
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
            "APART_LOGIN_IP_MAX_ATTEMPTS": "1000000000",  # every client shares 127.0.0.1
            # capacity is measured, not the site-wide quotas (apart.core.quotas)
            "APART_GLOBAL_REGISTRATIONS_PER_HOUR": "1000000000",
            "APART_GLOBAL_RECOVERIES_PER_HOUR": "1000000000",
            "APART_GLOBAL_LOGINS_PER_HOUR": "1000000000",
            "APART_DEMO_MAILBOX": "false",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


SETUP = """
import django, json, statistics, time
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import sys
sys.path.insert(0, "bench")
from _seed import PASSWORD, seed_employers
seeded = seed_employers(prefix="bl", count={count})
from django.contrib.auth.hashers import check_password
from apart.accounts.models import Account
encoded = Account.objects.get(login="bl0").password
check_password(PASSWORD, encoded)
times = []
for _ in range(30):
    started = time.perf_counter()
    assert check_password(PASSWORD, encoded)
    times.append(time.perf_counter() - started)
print(json.dumps({{"logins": [s["login"] for s in seeded], "hash": statistics.median(times),
                  "algorithm": encoded.split("$")[0] + "/" + encoded.split("$")[1],
                  "params": encoded.split("$")[3]}}))
"""


def setup(env: dict[str, str]) -> dict:
    import json

    result = subprocess.run(
        [PYTHON, "-c", SETUP.format(count=ACCOUNTS)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"setup failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Client:
    """One browser tab: a CSRF cookie and token, then login POSTs without a session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/connexion/")
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        cookie = next(
            h.split(";")[0]
            for h in response.headers.get_all("Set-Cookie") or []
            if h.startswith("csrftoken=")
        )
        found = _CSRF_INPUT.search(body)
        assert found is not None, "no CSRF token on the login page"
        self.cookie, self.token = cookie, found.group(1)

    def login(self, login: str) -> bool:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "login": login, "password": PASSWORD}
        )
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(
            "POST",
            "/connexion/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": self.cookie,
                "User-Agent": "apart-bench-login",
            },
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status == 302 and response.headers.get("Location") == "/espace/"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def saturate(port: int, logins: list[str]) -> tuple[float, list[float], int]:
    deadline = time.monotonic() + SECONDS
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    counter = iter(range(10**9))

    def run() -> None:
        nonlocal failures
        client = Client(port)
        while time.monotonic() < deadline:
            with lock:
                login = logins[next(counter) % len(logins)]
            started = time.perf_counter()
            ok = client.login(login)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - started), latencies, failures


def open_loop(port: int, logins: list[str], rate: float) -> tuple[float, list[float], int]:
    count = max(1, int(rate * SECONDS))
    clients = [Client(port) for _ in range(CLIENTS)]
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def one(i: int) -> None:
        nonlocal failures
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        ok = clients[i % len(clients)].login(logins[i % len(logins)])
        elapsed = time.perf_counter() - scheduled
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                failures += 1

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(count)))
    achieved = len(latencies) / (time.perf_counter() - start)
    return achieved, latencies, failures


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="apart-bench-login-"))
    database = f"apart_bench_login_{os.getpid()}"
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
    try:
        info = setup(env)
        hash_seconds = float(info["hash"])
        ceiling = CORES / hash_seconds
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(CORES),
                "--threads",
                str(THREADS),
                "--bind",
                f"127.0.0.1:{port}",
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
        logins = info["logins"]
        for login in logins[: 2 * CORES]:  # warm every worker up (imports, DB connections)
            Client(port).login(login)
        alone_client = Client(port)
        alone = []
        for login in logins[:60]:
            started = time.perf_counter()
            alone_client.login(login)
            alone.append(time.perf_counter() - started)
        rate, latencies, failures = saturate(port, logins)
        target = 0.8 * ceiling
        achieved, loop_latencies, loop_failures = open_loop(port, logins, target)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if use_pg:
            import psycopg

            with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    ms = 1000
    p99_loop = percentile(loop_latencies, 0.99) * ms if loop_latencies else float("nan")
    rows = [
        ("Cores", f"{CORES}"),
        ("Database", "PostgreSQL" if use_pg else "SQLite"),
        ("Hasher", f"{info['algorithm']} ({info['params']})"),
        ("One hash (median of 30)", f"{hash_seconds * ms:.1f} ms"),
        ("Hash-bound ceiling (cores ÷ hash)", f"{ceiling:.1f} logins/s"),
        ("One login alone, 1 client (p50 of 60)", f"{percentile(alone, 0.5) * ms:.0f} ms"),
        (f"Saturation ({CLIENTS} clients, {SECONDS:.0f} s)", f"{rate:.1f} logins/s"),
        ("Saturation ÷ ceiling (goal ≥ 0.90)", f"{rate / ceiling:.2f}"),
        (
            "Saturation latency p50 / p99",
            f"{percentile(latencies, 0.5) * ms:.0f} / {percentile(latencies, 0.99) * ms:.0f} ms",
        ),
        ("Open loop at 80 % of ceiling: offered / served", f"{target:.1f} / {achieved:.1f} /s"),
        (
            "Open loop latency p50 / p99 (goal p99 < 250 ms)",
            f"{percentile(loop_latencies, 0.5) * ms:.0f} / {p99_loop:.0f} ms",
        ),
        ("Failed logins", f"{failures + loop_failures}"),
    ]
    print("## Login\n")
    kind = "sync" if THREADS == 1 else f"gthread x {THREADS} threads"
    print(
        f"gunicorn, {CORES} workers ({kind}), {ACCOUNTS} seeded accounts, each request a full "
        "login (CSRF, limits, Argon2id check, habilitation gate, session, audit row).\n"
    )
    print("| Measure | Value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    goals = rate >= 0.9 * ceiling and p99_loop < 250
    print(f"\nGoals met: {'yes' if goals else 'no'}.")
    return 1 if failures + loop_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
