"""Surge benchmark: the 2020 rush on one node, then on two, through nginx, on PostgreSQL + Redis.

    .venv/bin/python bench/surge.py            # quick default (~6 min here): 1 then 2 nodes
    .venv/bin/python bench/surge.py --full     # longer steps, finer ramp
    .venv/bin/python bench/surge.py --soak 600 # + 10 minutes at 70 % of the knee (memory)

For each cluster size (bench/cluster.py: gunicorn nodes behind nginx, one PostgreSQL database,
Redis, two outbox workers, SMTP sink), it:
1. seeds employers (active habilitation, one establishment each) and free SIRENE SIRETs, opens a
   pool of sessions;
2. (first cluster only) measures the ceilings of the same server: the Argon2id hash rate of this
   machine (one process per core, the configured hasher), and the saturation throughput
   (closed loop) of a minimal Django view (/sante/vivant/), the home page, the dashboard and the
   login POST;
3. ramps an open-loop Poisson arrival rate of journeys of the mix (bench/_load.py: home,
   dashboard, login, fiche edit, registration both steps, password recovery) by steps, until the
   p99 latency of a step passes 1 s (or the ramp ends); CPU per process group and
   pg_stat_activity are sampled in every step;
4. replays the first step past 1 s with py-spy recording every gunicorn worker (--idle), and
   classifies the samples (hashing, database, templates, ...): what saturates first;
5. reads the resident memory of the nodes before and after.
Prints a markdown section and writes plots to bench/plots/ (collected by run_all.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _load, _probe  # noqa: E402
from bench._seed import ANSWER, PASSWORD  # noqa: E402
from bench.cluster import PG_SERVER, Cluster  # noqa: E402

PLOTS = ROOT / "bench" / "plots"
OUT = ROOT / "bench" / "out"
THRESHOLD = 1.0  # seconds: the p99 that ends the ramp


# --- Figures -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Step:
    rate: float
    seconds: float
    requests: int
    ok: int
    errors: int
    failed_journeys: int
    journeys: int
    dropped: int
    p50: float
    p99: float
    throughput: float  # successful requests per second
    cpu: dict[str, float]
    pg_active: float
    pg_idle_in_tx: float
    pg_waits: list[tuple[str, float]]
    labels: dict[str, tuple[int, float, float]]
    error_samples: list[str]

    @property
    def offered_rps(self) -> float:
        return self.rate * _load.REQUESTS_PER_JOURNEY

    @property
    def clean(self) -> bool:
        return self.errors == 0 and self.failed_journeys == 0 and self.dropped == 0


def summarise(result: _load.StepResult, cpu: dict[str, float], pg: _probe.PgSampler) -> Step:
    latencies = [s.latency for s in result.samples if s.ok]
    by_label: dict[str, list[float]] = {}
    for sample in result.samples:
        if sample.ok:
            by_label.setdefault(sample.label, []).append(sample.latency)
    ok = sum(1 for s in result.samples if s.ok)
    return Step(
        rate=result.rate,
        seconds=result.seconds,
        requests=len(result.samples),
        ok=ok,
        errors=len(result.samples) - ok,
        failed_journeys=result.failed_journeys,
        journeys=result.journeys,
        dropped=result.dropped,
        p50=percentile(latencies, 50),
        p99=percentile(latencies, 99),
        throughput=ok / result.seconds,
        cpu=cpu,
        pg_active=pg.mean("active"),
        pg_idle_in_tx=pg.mean("idle in transaction"),
        pg_waits=pg.top_waits(),
        labels={
            label: (len(v), percentile(v, 50), percentile(v, 99))
            for label, v in sorted(by_label.items())
        },
        error_samples=result.errors[:5],
    )


# --- Hash ceiling ------------------------------------------------------------------------------


def _hash_worker(seconds: float) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()
    encoded = hasher.encode("Surge-2020!ok", hasher.salt())
    done = 0
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        hasher.verify("Surge-2020!ok", encoded)
        done += 1
    return done


def hash_ceiling(seconds: float = 4.0, processes: int = 0) -> tuple[float, float, str]:
    """(verifications per second by ``processes`` processes hashing flat out, CPU ms per hash
    under that load, hasher description). Measured with as many processes as the node has
    workers, just before the login ceiling: on a shared machine the scheduler gives CPU per
    process, so the same count makes the two figures comparable."""
    sys.path.insert(0, str(ROOT))
    processes = processes or os.cpu_count() or 1
    cores = processes
    with ProcessPoolExecutor(max_workers=processes) as pool:
        _hash_worker(0.2)  # warm this process's import too
        counts = list(pool.map(_hash_worker, [seconds] * processes))
    from django.contrib.auth.hashers import get_hasher

    hasher: Any = get_hasher()
    params = f"{hasher.algorithm} m={hasher.memory_cost // 1024} MiB, t={hasher.time_cost}, "
    params += f"p={hasher.parallelism} ({type(hasher).__name__})"
    total = sum(counts) / seconds
    return total, 1000 * cores / total, params


# --- Cluster work ------------------------------------------------------------------------------


def seed(cluster: Cluster, employers: int, sirets: int) -> _load.Pools:
    out = cluster.python(
        "from bench._seed import seed_employers, seed_directory, dump; "
        f"dump({{'employers': seed_employers(prefix='surge.', count={employers}), "
        f"'sirets': seed_directory(count={sirets})}})",
        timeout=600,
    )
    data = json.loads(out.strip().splitlines()[-1])
    return _load.Pools(
        employers=data["employers"], sirets=data["sirets"], password=PASSWORD, answer=ANSWER
    )


async def open_sessions(cluster: Cluster, pools: _load.Pools, count: int) -> None:
    """Log ``count`` employers in (sequentially) and keep their cookies for the dashboard and
    fiche journeys: those journeys then measure pages, not logins."""
    for employer in pools.employers[:count]:
        client = _load.Client(
            cluster.port, f"127.4.0.{1 + len(pools.sessions) % 250}", "seed", _drop
        )
        await client.request(
            "login",
            "POST",
            "/connexion/",
            {"login": employer["login"], "password": pools.password, "next": ""},
            expect=(302,),
        )
        await client.close()
        pools.sessions.append((dict(client.cookies), int(employer["establishment"])))


def _drop(sample: _load.Sample) -> None:
    return None


async def ceilings(
    cluster: Cluster, pools: _load.Pools, seconds: float, concurrency: int, workers: int
):
    """Closed-loop saturation throughput (successful requests/s, p50) of single requests."""

    async def minimal(client: _load.Client, n: int) -> None:
        await client.request("minimal", "GET", "/sante/vivant/")

    async def home(client: _load.Client, n: int) -> None:
        await client.request("home", "GET", "/")

    async def dashboard(client: _load.Client, n: int) -> None:
        cookies, _ = pools.sessions[n % len(pools.sessions)]
        client.cookies = dict(cookies)
        await client.request("dashboard", "GET", "/espace/")

    async def login(client: _load.Client, n: int) -> None:
        client.cookies = {}
        employer = pools.employers[-1 - n % (len(pools.employers) // 2)]
        await client.request(
            "login",
            "POST",
            "/connexion/",
            {"login": employer["login"], "password": pools.password, "next": ""},
            expect=(302,),
        )

    figures = {}
    for name, fn in [("minimal", minimal), ("home", home), ("dashboard", dashboard)]:
        figures[name] = await _saturate(cluster, fn, seconds, concurrency)
    hashing = await asyncio.to_thread(hash_ceiling, seconds, workers)
    figures["hash"] = {"rps": hashing[0], "p50": hashing[1] / 1000, "errors": 0}
    figures["login"] = await _saturate(cluster, login, seconds, concurrency)
    return figures


async def _saturate(cluster: Cluster, fn: Any, seconds: float, concurrency: int):
    await _load.closed_loop(
        port=cluster.port, concurrency=concurrency, seconds=1.0, make_request=fn
    )
    samples = await _load.closed_loop(
        port=cluster.port, concurrency=concurrency, seconds=seconds, make_request=fn
    )
    ok = [s.latency for s in samples if s.ok]
    return {"rps": len(ok) / seconds, "p50": percentile(ok, 50), "errors": len(samples) - len(ok)}


def cpu_groups(cluster: Cluster, pg: _probe.PgSampler) -> dict[str, Any]:
    redis_pids = _probe.pids_named("redis-server")
    nginx_pid = cluster.nginx.pid if cluster.nginx else 0
    return {
        "Django (gunicorn)": lambda: cluster.master_pids() + cluster.worker_pids(),
        "PostgreSQL (this database)": lambda: sorted(pg.backend_pids),
        "Redis": lambda: redis_pids,
        "nginx": lambda: [nginx_pid, *_probe.children_of(nginx_pid)],
        "outbox workers": lambda: [p.pid for p in cluster.outbox],
        "load generator": lambda: [os.getpid()],
    }


def measured_step(
    cluster: Cluster,
    pools: _load.Pools,
    rate: float,
    seconds: float,
    seed_value: int,
    profile_seconds: float = 0.0,
) -> tuple[Step, dict[str, Any] | None]:
    pg = _probe.PgSampler(PG_SERVER, cluster.database)
    pg.start()
    time.sleep(0.3)  # the backends of the persistent connections are known before the step
    cpu = _probe.CpuSampler(cpu_groups(cluster, pg))
    cpu.start()
    profile_box: dict[str, Any] = {}

    async def go() -> _load.StepResult:
        step = asyncio.create_task(
            _load.run_step(
                port=cluster.port, pools=pools, rate=rate, seconds=seconds, seed=seed_value
            )
        )
        if profile_seconds:
            await asyncio.sleep(min(3.0, seconds / 4))  # let the queue build first
            counts, total, top = await asyncio.to_thread(
                _probe.profile, cluster.worker_pids(), profile_seconds
            )
            profile_box.update(counts=counts, total=total, top=top)
        return await step

    result = asyncio.run(go())
    cores = cpu.stop()
    pg.stop()
    step = summarise(result, cores, pg)
    return step, (profile_box or None)


@dataclass
class Run:
    nodes: int
    workers: int
    steps: list[Step] = field(default_factory=list)
    knee: Step | None = None
    past: Step | None = None
    profile: dict[str, Any] | None = None
    profile_step: Step | None = None
    rss_before: float = 0.0
    rss_after: float = 0.0
    rss_per_node_after: list[float] = field(default_factory=list)
    emails_delivered: int = 0
    soak: list[tuple[float, float]] = field(default_factory=list)
    background_cores: float = 0.0  # CPU busy before the cluster started (other processes)


def node_rss(cluster: Cluster) -> list[float]:
    """Resident memory of each node (master + its workers), MB."""
    sizes = cluster.rss_mb()
    per_node = []
    for node in cluster.node_list:
        pids = [node.process.pid, *_probe.children_of(node.process.pid)]
        per_node.append(sum(sizes.get(p, 0.0) for p in pids))
    return per_node


def ramp(cluster: Cluster, pools: _load.Pools, args: argparse.Namespace, run: Run) -> None:
    rate = args.start_rate
    confirmed_past = False
    for index in range(args.max_steps):
        step, _ = measured_step(cluster, pools, rate, args.step_seconds, 1000 + index)
        run.steps.append(step)
        print(
            f"  {run.nodes} node(s): {rate:6.1f} journeys/s -> {step.throughput:6.1f} req/s, "
            f"p50 {step.p50 * 1000:6.0f} ms, p99 {step.p99 * 1000:6.0f} ms, "
            f"errors {step.errors + step.dropped}",
            file=sys.stderr,
            flush=True,
        )
        if step.p99 > THRESHOLD or not step.clean:
            saturated = step.throughput < 0.85 * step.offered_rps
            if saturated or confirmed_past or not args.confirm:
                run.past = step
                break
            # A step past 1 s that still served its load may be noise (the machine is shared):
            # the same rate once more decides.
            confirmed_past = True
            continue
        confirmed_past = False
        run.knee = step
        rate *= args.factor
    target = run.past or run.steps[-1]
    time.sleep(3)
    print(f"  profiling at {target.rate:.1f} journeys/s", file=sys.stderr, flush=True)
    run.profile_step, run.profile = measured_step(
        cluster,
        pools,
        target.rate,
        args.profile_seconds + 5,
        999,
        profile_seconds=args.profile_seconds,
    )


def soak(cluster: Cluster, pools: _load.Pools, run: Run, seconds: float) -> None:
    """Steady load at 70 % of the knee; resident memory of the nodes every 30 s."""
    if run.knee is None:
        return
    rate = 0.7 * run.knee.rate
    started = time.monotonic()
    run.soak.append((0.0, sum(node_rss(cluster))))
    while time.monotonic() - started < seconds:
        measured_step(cluster, pools, rate, 30, int(time.monotonic()))
        run.soak.append((time.monotonic() - started, sum(node_rss(cluster))))


def bench_cluster(nodes: int, args: argparse.Namespace, want_ceilings: bool):
    run = Run(nodes=nodes, workers=args.workers)
    figures = None
    background = _probe.CpuSampler({})
    background.start()
    time.sleep(3)
    run.background_cores = background.stop()["machine (all processes)"]
    with Cluster(
        name="surge",
        nodes=nodes,
        workers=args.workers,
        redis_db=12,
        lifetime=args.lifetime,
        env={"APART_OUTBOX_POLL_SECONDS": "1"},
    ) as cluster:
        print(f"cluster of {nodes} node(s) up on {cluster.url}", file=sys.stderr, flush=True)
        pools = seed(cluster, args.employers, args.sirets)
        asyncio.run(open_sessions(cluster, pools, args.sessions))
        asyncio.run(
            _load.run_step(port=cluster.port, pools=pools, rate=5, seconds=3, seed=1)
        )  # warm-up: every worker has imported and rendered everything once
        if want_ceilings:
            figures = asyncio.run(
                ceilings(
                    cluster,
                    pools,
                    args.ceiling_seconds,
                    2 * nodes * args.workers + 2,
                    nodes * args.workers,
                )
            )
        run.rss_before = sum(node_rss(cluster))
        ramp(cluster, pools, args, run)
        if args.soak:
            soak(cluster, pools, run, args.soak)
        run.rss_per_node_after = node_rss(cluster)
        run.rss_after = sum(run.rss_per_node_after)
        run.emails_delivered = cluster.smtp.count()
    return run, figures


# --- Report ------------------------------------------------------------------------------------


def plot(runs: list[Run]) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    PLOTS.mkdir(parents=True, exist_ok=True)
    throughput, latency = PLOTS / "surge_throughput.png", PLOTS / "surge_latency.png"
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    top = 0.0
    for run in runs:
        x = [s.offered_rps for s in run.steps]
        ax.plot(x, [s.throughput for s in run.steps], marker="o", label=f"{run.nodes} node(s)")
        top = max(top, *x)
    ax.plot([0, top], [0, top], linestyle=":", color="grey", label="throughput = offered")
    ax.set_xlabel("offered load (requests/s, open loop)")
    ax.set_ylabel("successful requests/s")
    ax.set_title("Surge mix: throughput against offered load")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(throughput)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for run in runs:
        x = [s.offered_rps for s in run.steps]
        line = ax.plot(x, [s.p99 * 1000 for s in run.steps], marker="o")[0]
        ax.plot(
            x,
            [s.p50 * 1000 for s in run.steps],
            marker="s",
            linestyle="--",
            color=line.get_color(),
        )
        line.set_label(f"{run.nodes} node(s): p99 (solid), p50 (dashed)")
    ax.axhline(THRESHOLD * 1000, color="red", linestyle=":", label="1 s")
    ax.set_yscale("log")
    ax.set_xlabel("offered load (requests/s, open loop)")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("Surge mix: p50 and p99 latency against offered load")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    fig.savefig(latency)
    plt.close(fig)
    return throughput.name, latency.name


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def markdown(
    runs: list[Run], figures: dict[str, Any] | None, hashing: tuple[float, float, str], args: Any
) -> str:
    hash_rate, hash_ms, params = hashing
    cores = os.cpu_count() or 1
    lines = ["## Surge: the mixed rush on 1 and 2 nodes (PostgreSQL + Redis, nginx)", ""]
    cpu_model = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    lines += [
        f"Machine: {cores} vCPU ({cpu_model}), shared by the nodes, nginx, PostgreSQL, Redis, "
        "the outbox workers and the load generator. Every figure below comes from this one run.",
        f"Password hasher: {params}: {hash_rate:.1f} hashes/s with one process per vCPU, "
        f"i.e. {hash_ms:.1f} ms per hash in each process (measured at the start of this run, "
        "with the "
        "background load of the machine).",
        f"Nodes: gunicorn sync workers, {args.workers} per node; steps of "
        f"{args.step_seconds:.0f} s, Poisson arrivals, arrival rate x{args.factor} per step "
        "until p99 > 1 s.",
        "",
        "Mix (share of arriving journeys; requests per journey):",
        "",
        "| journey | share | requests | what it does |",
        "|---|---|---|---|",
    ]
    what = {
        "home": "GET /",
        "dashboard": "open session: GET /espace/, GET /espace/etablissements/",
        "login": "GET + POST /connexion/ (Argon2id verify), GET /espace/",
        "fiche": "open session: GET fiche, POST fiche edit, GET fiche",
        "registration": "step 1 GET+POST, step 2 GET+POST (2 hashes, 2 emails), done page",
        "recovery": "GET+POST login + captcha, GET+POST secret answer (1 hash, 1 email), sent",
    }
    for name, (share, _, n) in _load.MIX.items():
        lines.append(f"| {name} | {share:.0%} | {n} | {what[name]} |")
    lines.append(
        f"\nOne journey = {_load.REQUESTS_PER_JOURNEY:.2f} requests on average; offered load is "
        "quoted in requests/s (journeys/s x that)."
    )
    if figures:
        minimal = figures["minimal"]["rps"]
        node_hash = figures["hash"]["rps"]
        login_ratio = figures["login"]["rps"] / node_hash
        lines += [
            "",
            "### Ceilings of this server (closed loop, 1 node, same run)",
            "",
            "| request | saturation throughput (req/s) | p50 (ms) | ratio | goal |",
            "|---|---|---|---|---|",
            f"| Argon2id verify only, {args.workers} processes (= the node's workers), no HTTP "
            f"| {node_hash:.1f} | {figures['hash']['p50'] * 1000:.1f} | hash ceiling | |",
            f"| login POST (hash + session + audit) | {figures['login']['rps']:.1f} | "
            f"{_ms(figures['login']['p50'])} | {login_ratio:.2f} of the hash ceiling | 0.9 |",
            f"| minimal Django view (/sante/vivant/) | {minimal:.1f} | "
            f"{_ms(figures['minimal']['p50'])} | reference | |",
            f"| home page | {figures['home']['rps']:.1f} | {_ms(figures['home']['p50'])} | "
            f"{figures['home']['rps'] / minimal:.2f} of minimal | 0.3 |",
            f"| dashboard (logged in) | {figures['dashboard']['rps']:.1f} | "
            f"{_ms(figures['dashboard']['p50'])} | {figures['dashboard']['rps'] / minimal:.2f} "
            "of minimal | 0.3 |",
        ]
        errors = sum(f["errors"] for f in figures.values())
        lines.append(f"\nErrors during the ceiling runs: {errors}.")
    for run in runs:
        lines += _run_section(run, args)
    if len(runs) > 1 and runs[0].knee and runs[1].knee:
        a, b = runs[0].knee, runs[1].knee
        pg_share = a.cpu.get("PostgreSQL (this database)", 0) / max(
            a.cpu.get("Django (gunicorn)", 0), 1e-9
        )
        lines += [
            "",
            "### One node against two",
            "",
            f"Knee throughput: {a.throughput:.1f} req/s on 1 node, {b.throughput:.1f} req/s on "
            f"2 nodes (x{b.throughput / a.throughput:.2f}); other jobs took "
            f"{others_cpu(a):.2f} and {others_cpu(b):.2f} vCPU during those steps. Cost of the "
            f"mix at the knee: {per_django_core(a):.0f} and {per_django_core(b):.0f} req/s per "
            f"Django core. On this {cores}-vCPU machine both clusters share the same cores: a "
            "second node adds worker processes, not CPU, so it cannot add capacity here; what "
            "the 2-node run proves is that nothing breaks (no error, sessions, limits and "
            "emails shared: tests/cluster/). On separate machines, capacity adds up until "
            "PostgreSQL saturates: it used "
            f"{pg_share:.2f} core per Django core at the 1-node knee.",
        ]
    lines += [
        "",
        "![Throughput against offered load](plots/surge_throughput.png)",
        "",
        "![p50 and p99 latency against offered load](plots/surge_latency.png)",
    ]
    return "\n".join(lines)


def others_cpu(step: Step) -> float:
    ours = sum(v for k, v in step.cpu.items() if k != "machine (all processes)")
    return max(0.0, step.cpu.get("machine (all processes)", 0.0) - ours)


def per_django_core(step: Step) -> float:
    django = step.cpu.get("Django (gunicorn)", 0.0)
    return step.throughput / django if django else 0.0


def _run_section(run: Run, args: Any) -> list[str]:
    lines = [
        "",
        f"### {run.nodes} node(s) x {run.workers} workers",
        "",
        f"Before this cluster started, other processes of the machine kept "
        f"{run.background_cores:.2f} of its {os.cpu_count()} vCPUs busy (3 s sample): the "
        "machine is shared, and the CPU machine column includes them.",
        "",
        "| offered (req/s) | journeys/s | throughput (req/s) | p50 (ms) | p99 (ms) | errors | "
        "CPU Django | CPU PostgreSQL | CPU Redis | CPU nginx | CPU load gen. | CPU others | "
        "req/s per Django core | PG active | PG top wait |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in run.steps:
        wait = s.pg_waits[0] if s.pg_waits else ("-", 0.0)
        lines.append(
            f"| {s.offered_rps:.1f} | {s.rate:.1f} | {s.throughput:.1f} | {_ms(s.p50)} | "
            f"{_ms(s.p99)} | {s.errors + s.dropped + s.failed_journeys} | "
            f"{s.cpu.get('Django (gunicorn)', 0):.2f} | "
            f"{s.cpu.get('PostgreSQL (this database)', 0):.2f} | {s.cpu.get('Redis', 0):.2f} | "
            f"{s.cpu.get('nginx', 0):.2f} | {s.cpu.get('load generator', 0):.2f} | "
            f"{others_cpu(s):.2f} | {per_django_core(s):.0f} | {s.pg_active:.2f} | "
            f"{wait[0]} ({wait[1]:.2f}) |"
        )
    lines.append(
        "\nCPU columns are in cores (1.00 = one vCPU busy the whole step); « CPU others » is "
        "what the rest of the machine used meanwhile (other jobs: the machine is shared). "
        "« req/s per Django core » = throughput / CPU Django: the cost of the mix, whatever "
        "the other jobs took."
    )
    if run.knee:
        lines.append(
            f"\n**Knee: {run.knee.offered_rps:.1f} req/s offered ({run.knee.rate:.1f} journeys/s), "
            f"{run.knee.throughput:.1f} req/s served, p99 {_ms(run.knee.p99)} ms, no error.**"
        )
    if run.past is None:
        lines.append(
            "\nThe ramp ended before p99 passed 1 s: the knee is above the last step "
            "(raise --max-steps); the profile below is taken at the last step."
        )
    if run.past:
        lines.append(
            f"Next step ({run.past.offered_rps:.1f} req/s offered): p99 {_ms(run.past.p99)} ms, "
            f"{run.past.errors + run.past.dropped + run.past.failed_journeys} errors."
        )
        if run.past.error_samples:
            lines.append("First errors: " + "; ".join(run.past.error_samples[:3]))
    if run.knee:
        lines += ["", "Latency per request at the knee (count, p50 ms, p99 ms):", ""]
        lines += ["| request | count | p50 | p99 |", "|---|---|---|---|"]
        for label, (n, p50, p99) in run.knee.labels.items():
            lines.append(f"| {label} | {n} | {_ms(p50)} | {_ms(p99)} |")
    if run.profile and run.profile_step:
        counts: Counter[str] = run.profile["counts"]
        total = run.profile["total"] or 1
        busy = total - counts.get(_probe.IDLE, 0)
        ps = run.profile_step
        lines += [
            "",
            f"Profile at the knee: py-spy (`record --idle`, 97 Hz) on every gunicorn worker for "
            f"{args.profile_seconds:.0f} s while {ps.rate:.1f} journeys/s "
            f"({ps.offered_rps:.1f} req/s) arrive; {total} samples. Share of worker time:",
            "",
            "| where the workers spend their time | share of all samples | share of busy samples |",
            "|---|---|---|",
        ]
        for name, n in counts.most_common():
            share_busy = f"{n / busy:.0%}" if name != _probe.IDLE and busy else ""
            lines.append(f"| {name} | {n / total:.0%} | {share_busy} |")
        waits = ", ".join(f"{k} {v:.2f}" for k, v in ps.pg_waits) or "none"
        lines += [
            "",
            f"Same step: CPU Django {ps.cpu.get('Django (gunicorn)', 0):.2f} cores, PostgreSQL "
            f"{ps.cpu.get('PostgreSQL (this database)', 0):.2f}, "
            f"Redis {ps.cpu.get('Redis', 0):.2f}, "
            f"machine {ps.cpu.get('machine (all processes)', 0):.2f} of {os.cpu_count()}; "
            f"PostgreSQL backends active on average {ps.pg_active:.2f} (idle in transaction "
            f"{ps.pg_idle_in_tx:.2f}); active backends by wait event: {waits}.",
            "",
            "Hottest leaf functions (samples):",
            "",
            "```",
            run.profile["top"],
            "```",
        ]
    growth = run.rss_after - run.rss_before
    lines.append(
        f"\nMemory of the nodes (RSS, masters + workers): {run.rss_before:.0f} MB after warm-up, "
        f"{run.rss_after:.0f} MB after the ramp ({growth:+.0f} MB); per node now: "
        + ", ".join(f"{m:.0f} MB" for m in run.rss_per_node_after)
        + f". Emails delivered to the SMTP sink by the two outbox workers: {run.emails_delivered}."
    )
    if run.soak:
        first, last = run.soak[0][1], run.soak[-1][1]
        lines.append(
            f"Soak at 70 % of the knee for {run.soak[-1][0]:.0f} s: RSS {first:.0f} MB -> "
            f"{last:.0f} MB ({last - first:+.0f} MB); samples every 30 s: "
            + ", ".join(f"{m:.0f}" for _, m in run.soak)
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="longer steps, finer ramp")
    parser.add_argument("--quick", action="store_true", help="the default size (run_all)")
    parser.add_argument("--nodes", default="1,2", help="cluster sizes to run, e.g. 1,2")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per node")
    parser.add_argument("--soak", type=float, default=0, help="seconds at 70%% of the knee")
    parser.add_argument("--step-seconds", type=float, help="length of a step (15 s, --full 30)")
    parser.add_argument("--start-rate", type=float, default=4.0, help="journeys/s of step 1")
    parser.add_argument("--max-steps", type=int, help="steps at most (12, --full 16)")
    parser.add_argument(
        "--no-confirm", dest="confirm", action="store_false", help="stop at the first step > 1 s"
    )
    args = parser.parse_args()
    args.step_seconds = args.step_seconds or (30.0 if args.full else 15.0)
    args.factor = 1.25 if args.full else 1.4
    # x1.4 from 4 journeys/s over 12 steps reaches ~160 journeys/s (~380 req/s): past the knee
    # of one node on an idle 2-vCPU machine, without wasting steps when it is busy.
    args.max_steps = args.max_steps or (16 if args.full else 12)
    args.profile_seconds = 10.0
    args.ceiling_seconds = 8.0 if args.full else 5.0
    args.employers = 4000
    args.sirets = 6000 if args.full else 3000
    args.sessions = 80
    args.lifetime = 3600 + args.soak
    started = time.monotonic()

    hashing = hash_ceiling()
    runs: list[Run] = []
    figures = None
    for index, nodes in enumerate(int(n) for n in args.nodes.split(",")):
        run, found = bench_cluster(nodes, args, want_ceilings=index == 0)
        figures = figures or found
        runs.append(run)
    plot(runs)
    OUT.mkdir(exist_ok=True)
    (OUT / "surge.json").write_text(
        json.dumps(
            {
                "hashing": hashing,
                "ceilings": figures,
                "runs": [
                    {
                        "nodes": r.nodes,
                        "steps": [
                            {k: v for k, v in vars(s).items() if k != "labels"} for s in r.steps
                        ],
                        "profile": dict(r.profile["counts"]) if r.profile else None,
                    }
                    for r in runs
                ],
            },
            indent=1,
            default=str,
        )
    )
    print(markdown(runs, figures, hashing, args))
    print(f"\n_surge.py wall time: {time.monotonic() - started:.0f} s._")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
