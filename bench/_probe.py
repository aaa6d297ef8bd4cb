"""What the machine does during a load step: CPU per process group (from /proc), PostgreSQL
backends and their wait events (pg_stat_activity), and py-spy profiles of the gunicorn workers
classified into hashing / templates / database / other Python / idle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def pids_named(fragment: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if fragment in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class CpuSampler:
    """CPU seconds used per group of processes between start() and stop(), in cores
    (1.0 = one core busy the whole time). ``groups`` maps a name to a callable returning the
    group's current pids (re-read at every sample: workers and backends come and go)."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]], interval: float = 0.5):
        self.groups = groups
        self.interval = interval
        self._last: dict[int, float] = {}
        self._used: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._machine: tuple[float, float] = (0.0, 0.0)
        self.cores: dict[str, float] = {}

    def _sample(self) -> None:
        for name, pids_of in self.groups.items():
            for pid in pids_of():
                now = _cpu_seconds(pid)
                if now is None:
                    continue
                before = self._last.get(pid)
                if before is not None and now >= before:
                    self._used[name] += now - before
                self._last[pid] = now

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> None:
        self._sample()
        self._started = time.monotonic()
        self._machine = _machine_busy()
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._sample()
        elapsed = time.monotonic() - self._started
        busy0, total0 = self._machine
        busy1, total1 = _machine_busy()
        ncpu = os.cpu_count() or 1
        self.cores = {name: used / elapsed for name, used in self._used.items()}
        self.cores["machine (all processes)"] = (
            ncpu * (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
        )
        return self.cores


class PgSampler:
    """pg_stat_activity of one database, sampled every ``interval`` seconds: mean number of
    active backends, and what the active ones were waiting on (None = on CPU)."""

    def __init__(self, server_url: str, database: str, interval: float = 0.1):
        self.server_url = server_url
        self.database = database
        self.interval = interval
        self.samples = 0
        self.states: Counter[str] = Counter()
        self.waits: Counter[str] = Counter()
        self.backend_pids: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as conn:
            while not self._stop.wait(self.interval):
                rows = conn.execute(
                    "SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.database,),
                ).fetchall()
                self.samples += 1
                for pid, state, wait_type, wait_event in rows:
                    self.backend_pids.add(pid)
                    self.states[state or "?"] += 1
                    if state == "active":
                        what = f"{wait_type}:{wait_event}" if wait_type else "CPU (no wait)"
                        self.waits[what] += 1

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def mean(self, state: str) -> float:
        return self.states[state] / self.samples if self.samples else 0.0

    def top_waits(self, n: int = 5) -> list[tuple[str, float]]:
        """(event, mean number of active backends in it), most frequent first."""
        if not self.samples:
            return []
        return [(k, v / self.samples) for k, v in self.waits.most_common(n)]


# --- py-spy ------------------------------------------------------------------------------------

PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))

# First match wins, checked from the innermost frame outwards.
CATEGORIES = [
    ("password hashing (Argon2id)", ("argon2", "hashers.py")),
    ("database (psycopg, waiting or encoding)", ("psycopg", "django/db/backends")),
    ("Redis (rate limits, cache)", ("redis/",)),
    ("template rendering", ("django/template", "templatetags", "dsfr/")),
    ("Django ORM (building queries, models)", ("django/db/models",)),
    ("forms and validation", ("django/forms", "forms.py", "validators.py", "phonenumbers")),
    (
        "sessions, middleware, auth",
        ("django/contrib/sessions", "middleware", "django/contrib/auth"),
    ),
]
IDLE = "idle (worker waiting for a request)"


def classify(stack: str) -> str:
    frames = stack.split(";")
    if not any("django" in f or "apart/" in f for f in frames):
        return IDLE
    for frame in reversed(frames):
        for name, markers in CATEGORIES:
            if any(marker in frame for marker in markers):
                return name
    return "other Python (views, services, Django core)"


def profile(pids: list[int], seconds: float, rate: int = 97) -> tuple[Counter[str], int, str]:
    """Sample ``pids`` with ``py-spy record --idle --format raw`` for ``seconds``; returns the
    share of samples per category, the number of samples, and the top 12 leaf functions."""
    tmp = Path(tempfile.mkdtemp(prefix="apart-pyspy-"))
    processes = []
    for pid in pids:
        out = tmp / f"{pid}.txt"
        argv = [PY_SPY, "record", "--pid", str(pid), "--duration", str(int(seconds))]
        argv += ["--rate", str(rate), "--format", "raw", "--idle", "--nonblocking"]
        argv += ["--output", str(out)]
        processes.append(
            subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    for process in processes:
        try:
            process.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            process.kill()
    counts: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    for out in tmp.glob("*.txt"):
        for line in out.read_text(errors="replace").splitlines():
            stack, _, n = line.rpartition(" ")
            if not n.isdigit():
                continue
            category = classify(stack)
            counts[category] += int(n)
            if category != IDLE:
                leaves[stack.split(";")[-1]] += int(n)
    shutil.rmtree(tmp, ignore_errors=True)
    total = sum(counts.values())
    top = "\n".join(f"    {n:6d}  {leaf}" for leaf, n in leaves.most_common(12))
    return counts, total, top
