"""The login journey of apart next to a minimal Django + django-allauth site (bench/peer/), in one
window, on SQLite and on PostgreSQL + Redis.

For each database kind (PostgreSQL + Redis only when both answer at BENCH_PG_URL and
BENCH_REDIS_URL):
1. throwaway databases for both sites (a SQLite file each, or PostgreSQL databases
   ``apart_bench_peer_<pid>`` and ``peer_bench_<pid>``, dropped at the end), migrated, and
   BENCH_PEER_ACCOUNTS people able to log in on each (one shared Argon2id hash per site:
   seeding costs nothing, every login verifies a real hash); the time of one hash is measured
   in the same run with each site's configured hasher (both Argon2id m=19 MiB, t=2, p=1; the
   peer's computed by argon2-cffi, apart's by libsodium);
2. three gunicorn servers, each with 2 sync workers, DEBUG off, persistent database
   connections, sessions in the cache with a database fallback when Redis is there (database
   sessions otherwise): the peer (its own venv, bench/peer/.venv), apart (production profile,
   metrics on with PROMETHEUS_MULTIPROC_DIR as in production) and apart with the metrics
   middleware taken out (bench/_nometrics.py), to measure what the metrics cost;
3. the same load generator (bench/_load.py: asyncio clients, one loopback address each) runs
   closed loops of journeys: GET the login page, POST the credentials (302), GET the space;
   each journey starts without cookies (a fresh login). Every (site, clients) pair is measured in
   BENCH_PEER_ROUNDS short windows of BENCH_PEER_WINDOW seconds, interleaved with the others, so
   that all see the same machine; the idle servers use no CPU meanwhile;
4. then, the same way, single pages at saturation (4 clients): the home and login pages of
   apart and a minimal view (no query, no template) on each site;
5. prints the table: journeys/s at 2 and 4 clients, share of the hash-bound ceiling
   (cores ÷ one hash, with the peer's reference hasher and with apart's own), POST p50/p99,
   server CPU per journey (user + system time of the gunicorn processes over the windows ÷
   journeys), page ÷ minimal view, and the goals.

The load generator runs on the same machine and takes CPU from both sites alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER = HERE / "peer"
PEER_PYTHON = PEER / ".venv" / "bin" / "python"
sys.path.insert(0, str(HERE))

import _probe  # noqa: E402
from _load import Client, JourneyFailed, Sample, closed_loop  # noqa: E402
from login import PASSWORD, environment, free_port, pg_available  # noqa: E402

CORES = os.cpu_count() or 1
WORKERS = 2
ACCOUNTS = int(os.environ.get("BENCH_PEER_ACCOUNTS", "300"))
WINDOW = float(os.environ.get("BENCH_PEER_WINDOW", "4"))
ROUNDS = int(os.environ.get("BENCH_PEER_ROUNDS", "4"))
PAGE_WINDOW = float(os.environ.get("BENCH_PEER_PAGE_WINDOW", "2"))
PROFILE_SECONDS = float(os.environ.get("BENCH_PEER_PROFILE_SECONDS", "8"))  # 0: no profile
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Site:
    name: str
    port: int
    login_path: str
    space_path: str
    minimal_path: str
    login_prefix: str
    process: subprocess.Popen[bytes]
    pages: dict[str, str] = field(default_factory=dict)


@dataclass
class Window:
    journeys: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    client_cpu: float = 0.0  # the load generator's own CPU (this process)
    samples: list[Sample] = field(default_factory=list)
    failures: int = 0


def redis_available() -> bool:
    if REDIS_URL in {"", "none"}:
        return False
    parts = urllib.parse.urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError:
        return False
    return True


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (alive)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run_setup(python: Path, cwd: Path, env: dict[str, str], code: str) -> dict:
    result = subprocess.run(
        [str(python), "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise SystemExit(f"setup failed in {cwd.name}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


APART_SETUP = """
import django, json, statistics, sys, time
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
sys.path.insert(0, "bench")
from _seed import PASSWORD, seed_employers
seed_employers(prefix="pl", count={count})
from django.contrib.auth.hashers import check_password
from apart.accounts.models import Account
encoded = Account.objects.get(login="pl0").password
check_password(PASSWORD, encoded)
times = []
for _ in range(30):
    started = time.perf_counter()
    check_password(PASSWORD, encoded)
    times.append(time.perf_counter() - started)
print(json.dumps({{"hash": statistics.median(times), "params": encoded.split("$")[3]}}))
"""

PEER_SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from peersite.seed import main
main({count}, {password!r})
"""


def start(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, cwd=cwd, env=env)


def gunicorn(python: Path, app: str, port: int) -> list[str]:
    return [
        str(python),
        "-m",
        "gunicorn",
        app,
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]


async def wait_ready(site: Site) -> None:
    for _ in range(300):
        client = Client(site.port, "127.0.0.1", "ready", lambda sample: None)
        try:
            await client.request("ready", "GET", site.minimal_path)
            return
        except JourneyFailed:
            await asyncio.sleep(0.1)
        finally:
            await client.close()
    raise SystemExit(f"{site.name} did not start")


def journey(site: Site, counter: list[int]):
    async def run(client: Client, n: int) -> None:
        client.cookies.clear()
        await client.request("login GET", "GET", site.login_path)
        await client.request(
            "login POST",
            "POST",
            site.login_path,
            {"login": f"{site.login_prefix}{n % ACCOUNTS}", "password": PASSWORD},
            expect=(302,),
        )
        await client.request("space GET", "GET", site.space_path)
        counter[0] += 1

    return run


def page(path: str, counter: list[int]):
    async def run(client: Client, n: int) -> None:
        client.cookies.clear()
        await client.request("page GET", "GET", path)
        counter[0] += 1

    return run


async def measure(site: Site, clients: int, seconds: float, make) -> Window:
    counter = [0]
    cpu_before = tree_cpu(site.process.pid)
    client_before = time.process_time()
    started = time.monotonic()
    samples = await closed_loop(
        port=site.port, concurrency=clients, seconds=seconds, make_request=make(counter)
    )
    elapsed = time.monotonic() - started
    cpu = tree_cpu(site.process.pid) - cpu_before
    client_cpu = time.process_time() - client_before
    failures = sum(1 for s in samples if not s.ok)
    return Window(counter[0], elapsed, cpu, client_cpu, samples, failures)


def add(total: Window, part: Window) -> None:
    total.journeys += part.journeys
    total.seconds += part.seconds
    total.cpu += part.cpu
    total.client_cpu += part.client_cpu
    total.samples.extend(part.samples)
    total.failures += part.failures


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


async def campaign(sites: dict[str, Site]) -> tuple[dict, dict]:
    for site in sites.values():
        await wait_ready(site)
    plan = [("peer", 2), ("apart", 2), ("peer", 4), ("apart", 4), ("apart-nometrics", 4)]
    for name, _clients in plan[:2] + plan[-1:]:  # warm-up: imports, connections, templates
        await measure(sites[name], 2, 1.0, lambda c, s=sites[name]: journey(s, c))
    journeys: dict[tuple[str, int], Window] = {key: Window() for key in plan}
    for round_index in range(ROUNDS):
        shift = round_index % len(plan)
        for name, clients in plan[shift:] + plan[:shift]:
            site = sites[name]
            window = await measure(site, clients, WINDOW, lambda c, s=site: journey(s, c))
            add(journeys[(name, clients)], window)
            print(
                f"  {name} x{clients}: {window.journeys / window.seconds:.1f} j/s", file=sys.stderr
            )
    pages: dict[tuple[str, str], Window] = {}
    page_plan = [(name, label) for name in ("apart", "peer") for label in sites[name].pages]
    for _round in range(ROUNDS):
        for name, label in page_plan:
            site = sites[name]
            path = site.pages[label]
            window = await measure(site, 4, PAGE_WINDOW, lambda c, p=path: page(p, c))
            add(pages.setdefault((name, label), Window()), window)
    profile = None
    if PROFILE_SECONDS > 0 and Path(_probe.PY_SPY).exists():
        site = sites["apart"]
        workers = Path(f"/proc/{site.process.pid}/task/{site.process.pid}/children")
        pids = [int(pid) for pid in workers.read_text().split()]
        recording = asyncio.create_task(asyncio.to_thread(_probe.profile, pids, PROFILE_SECONDS))
        await measure(site, 4, PROFILE_SECONDS + 1, lambda c: journey(site, c))
        profile = await recording
    return journeys, pages, profile


def profile_lines(profile) -> list[str]:
    """Where apart's workers spend the journey (py-spy, every worker, 4 clients)."""
    if profile is None:
        return ["Profile: not taken (py-spy not installed or BENCH_PEER_PROFILE_SECONDS=0).\n"]
    counts, total, top = profile
    busy = total - counts.get(_probe.IDLE, 0)
    lines = [
        f"Where apart's time goes during the journey (py-spy, 97 Hz, both workers, "
        f"{PROFILE_SECONDS:.0f} s at 4 clients; {total} samples, {busy} busy):\n",
        "| where | share of busy samples |",
        "|---|---|",
    ]
    for name, n in counts.most_common():
        if name != _probe.IDLE and busy:
            lines.append(f"| {name} | {n / busy * 100:.0f} % |")
    lines += ["", "Hottest leaf functions (samples):", "", "```", top, "```", ""]
    return lines


def run_kind(kind: str, tmp: Path) -> str:
    """Both sites on one database kind: "sqlite" or "postgres" (with Redis)."""
    pid = os.getpid()
    redis = REDIS_URL if kind == "postgres" else ""
    if kind == "postgres":
        import psycopg

        names = (f"apart_bench_peer_{pid}", f"peer_bench_{pid}")
        with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'CREATE DATABASE "{name}"')
        apart_url, peer_url = (f"{PG_SERVER}/{name}" for name in names)
    else:
        apart_url = f"sqlite:///{tmp / 'apart.sqlite3'}"
        peer_url = f"sqlite:///{tmp / 'peer.sqlite3'}"
    apart_env = environment(apart_url)
    apart_env["REDIS_URL"] = redis
    metrics_dir = tmp / f"metrics-{kind}"
    metrics_dir.mkdir()
    peer_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    peer_env.update(
        {
            "PEER_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": peer_url,
            "REDIS_URL": redis,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    servers: list[subprocess.Popen[bytes]] = []
    try:
        apart_info = run_setup(
            Path(sys.executable),
            ROOT,
            {**apart_env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            APART_SETUP.format(count=ACCOUNTS),
        )
        peer_info = run_setup(
            PEER_PYTHON, PEER, peer_env, PEER_SETUP.format(count=ACCOUNTS, password=PASSWORD)
        )
        ports = [free_port() for _ in range(3)]
        apart_cmd = gunicorn(Path(sys.executable), "config.wsgi", ports[1])
        sites = {
            "peer": Site(
                "peer",
                ports[0],
                "/accounts/login/",
                "/space/",
                "/health/",
                "peer",
                start(gunicorn(PEER_PYTHON, "peersite.wsgi", ports[0]), PEER, peer_env),
                {"login page": "/accounts/login/", "minimal view": "/health/"},
            ),
            "apart": Site(
                "apart",
                ports[1],
                "/connexion/",
                "/espace/",
                "/sante/vivant/",
                "pl",
                start(
                    apart_cmd,
                    ROOT,
                    {**apart_env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
                ),
                {
                    "home page": "/",
                    "login page": "/connexion/",
                    "minimal view": "/sante/vivant/",
                },
            ),
            "apart-nometrics": Site(
                "apart-nometrics",
                ports[2],
                "/connexion/",
                "/espace/",
                "/sante/vivant/",
                "pl",
                start(
                    gunicorn(Path(sys.executable), "config.wsgi", ports[2]),
                    ROOT,
                    {**apart_env, "DJANGO_SETTINGS_MODULE": "bench._nometrics"},
                ),
            ),
        }
        servers = [site.process for site in sites.values()]
        load_before = load_average()
        started = time.monotonic()
        journeys, pages, profile = asyncio.run(campaign(sites))
        elapsed = time.monotonic() - started
        load_after = load_average()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        if kind == "postgres":
            import psycopg

            with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
                for name in names:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    text = report(kind, apart_info, peer_info, journeys, pages, elapsed, load_before, load_after)
    return text + "\n" + "\n".join(profile_lines(profile))


def report(kind, apart_info, peer_info, journeys, pages, elapsed, load_before, load_after) -> str:
    hash_seconds = float(apart_info["hash"])
    ceiling = CORES / hash_seconds
    # The peer hashes with argon2-cffi's reference kernel, apart with libsodium's (same
    # parameters, same strings, about half the CPU): the ceiling was the reference one.
    reference_seconds = float(peer_info["hash"])
    reference = CORES / reference_seconds
    ms = 1000

    def rate(name: str, clients: int) -> float:
        window = journeys[(name, clients)]
        return window.journeys / window.seconds if window.seconds else float("nan")

    def post(name: str, clients: int, q: float) -> float:
        values = [s.latency for s in journeys[(name, clients)].samples if s.label == "login POST"]
        return percentile(values, q) * ms

    def cpu(name: str, clients: tuple[int, ...] = (2, 4)) -> float:
        windows = [journeys[(name, c)] for c in clients]
        done = sum(w.journeys for w in windows)
        return sum(w.cpu for w in windows) / done * ms if done else float("nan")

    def client_cpu(name: str) -> float:
        windows = [journeys[(name, c)] for c in (2, 4)]
        done = sum(w.journeys for w in windows)
        return sum(w.client_cpu for w in windows) / done * ms if done else float("nan")

    def page_rate(name: str, label: str) -> float:
        window = pages[(name, label)]
        return window.journeys / window.seconds if window.seconds else float("nan")

    title = "SQLite" if kind == "sqlite" else "PostgreSQL + Redis"
    lines = [f"### {title}\n"]
    lines.append(
        f"One hash: {hash_seconds * ms:.1f} ms with apart's hasher ({apart_info['params']}), "
        f"{float(peer_info['hash']) * ms:.1f} ms with the peer's ({peer_info['params']}), median "
        f"of 30 in this run; hash-bound ceiling = {CORES} cores ÷ one hash: "
        f"{ceiling:.1f} journeys/s with apart's hasher (libsodium), {reference:.1f} with the "
        f"peer's (argon2-cffi, the reference of the issue). Load average {load_before:.1f} "
        f"before, {load_after:.1f} after ({elapsed:.0f} s).\n"
    )
    lines.append("| | django-allauth | apart | apart ÷ peer |")
    lines.append("|---|---|---|---|")
    peer2, peer4, ours2, ours4 = (
        rate("peer", 2),
        rate("peer", 4),
        rate("apart", 2),
        rate("apart", 4),
    )
    lines.append(
        f"| login journeys/s, 2 / 4 clients | {peer2:.1f} / {peer4:.1f} | {ours2:.1f} / "
        f"{ours4:.1f} | {ours2 / peer2:.2f} / {ours4 / peer4:.2f} |"
    )
    lines.append(
        f"| share of the reference hash ceiling (argon2-cffi), 2 / 4 clients | "
        f"{peer2 / reference:.2f} / {peer4 / reference:.2f} | {ours2 / reference:.2f} / "
        f"{ours4 / reference:.2f} | |"
    )
    lines.append(
        f"| share of the site's own hash ceiling, 2 / 4 clients | {peer2 / reference:.2f} / "
        f"{peer4 / reference:.2f} | {ours2 / ceiling:.2f} / {ours4 / ceiling:.2f} | |"
    )
    for clients in (2, 4):
        lines.append(
            f"| POST p50 / p99, {clients} clients | {post('peer', clients, 0.5):.0f} / "
            f"{post('peer', clients, 0.99):.0f} ms | {post('apart', clients, 0.5):.0f} / "
            f"{post('apart', clients, 0.99):.0f} ms | |"
        )
    lines.append(
        f"| server CPU per journey | {cpu('peer'):.1f} ms | {cpu('apart'):.1f} ms | "
        f"{cpu('apart') / cpu('peer'):.2f} |"
    )
    lines.append(
        f"| load generator CPU per journey (same machine) | {client_cpu('peer'):.1f} ms | "
        f"{client_cpu('apart'):.1f} ms | |"
    )
    peer_login_ratio = page_rate("peer", "login page") / page_rate("peer", "minimal view")
    ours_min = page_rate("apart", "minimal view")
    ours_login_ratio = page_rate("apart", "login page") / ours_min
    ours_home_ratio = page_rate("apart", "home page") / ours_min
    lines.append(
        f"| login page GET ÷ minimal view (4 clients) | {peer_login_ratio:.2f} | "
        f"{ours_login_ratio:.2f} | |"
    )
    lines.append(f"| home page GET ÷ minimal view (4 clients) | | {ours_home_ratio:.2f} | |")
    lines.append(
        f"| minimal view, requests/s (4 clients) | {page_rate('peer', 'minimal view'):.0f} | "
        f"{ours_min:.0f} | |"
    )
    failures = sum(w.failures for w in journeys.values()) + sum(w.failures for w in pages.values())
    off = rate("apart-nometrics", 4)
    overhead = 1 - ours4 / off if off else float("nan")
    cpu_on, cpu_off = cpu("apart", (4,)), cpu("apart-nometrics", (4,))
    cpu_overhead = cpu_on / cpu_off - 1 if cpu_off else float("nan")
    lines.append(
        f"\nMetrics overhead (4 clients, same run): {ours4:.1f} journeys/s with the metrics, "
        f"{off:.1f} without the request-metrics middleware, i.e. {overhead * 100:+.1f} % of the "
        f"journey throughput; server CPU per journey {cpu_on:.1f} ms with, {cpu_off:.1f} ms "
        f"without ({cpu_overhead * 100:+.1f} %). A negative figure means the difference is "
        f"below the noise of the machine. Failed requests: {failures}.\n"
    )
    goals = [
        ("journey ≥ 0.65 of the reference hash ceiling (4 clients)", ours4 / reference >= 0.65),
        ("journey ≥ 0.65 of apart's own hash ceiling (4 clients)", ours4 / ceiling >= 0.65),
        ("journey ≥ 1.3 × the peer (4 clients)", ours4 >= 1.3 * peer4),
        ("POST p99 ≤ the peer's (4 clients)", post("apart", 4, 0.99) <= post("peer", 4, 0.99)),
        (
            "home and login pages ≥ 0.45 × the minimal view",
            min(ours_home_ratio, ours_login_ratio) >= 0.45,
        ),
        ("metrics overhead ≤ 5 %", overhead <= 0.05),
    ]
    lines.append(
        "Goals: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in goals) + ".\n"
    )
    return "\n".join(lines)


def main() -> int:
    if not PEER_PYTHON.exists():
        raise SystemExit(
            "bench/peer/.venv is missing: `make bench` installs it (bench/peer/requirements.txt)"
        )
    kinds = ["sqlite"]
    if pg_available() and redis_available():
        kinds.append("postgres")
    tmp = Path(tempfile.mkdtemp(prefix="apart-bench-peer-"))
    sections = []
    for kind in kinds:
        print(f"== peer comparison on {kind}", file=sys.stderr)
        sections.append(run_kind(kind, tmp))
    print("## Login journey: apart next to django-allauth\n")
    print(
        f"Both sites: Django 5.2, gunicorn {WORKERS} sync workers each, DEBUG off, Argon2id "
        f"m=19 MiB t=2 p=1, {ACCOUNTS} people each, the same load generator "
        "(bench/_load.py) on the same machine. A journey: GET the login page, POST the "
        "credentials, GET the space, without cookies at the start. Closed loops of 2 and 4 "
        f"clients, {ROUNDS} windows of {WINDOW:.0f} s per line, interleaved; pages: 4 clients, "
        f"{ROUNDS} windows of {PAGE_WINDOW:.0f} s.\n"
    )
    if "postgres" not in kinds:
        sections.append("PostgreSQL + Redis: not measured (no server answered).\n")
    print("\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
