"""`make bench`: run every benchmark under bench/ and collect their figures in bench/report.md.

Each benchmark is a script `bench/<name>.py` that prints a markdown section on stdout (progress
goes to stderr, shown live). Scripts that accept ``--quick`` get it (their quick default size:
the whole run must stay under 20 minutes here); every script also sees ``BENCH_QUICK=1``. Plots
are PNG files under bench/plots/, linked from the sections with paths relative to bench/.
Files starting with "_" are helpers, cluster.py is the multi-node harness: neither is run.

``BENCH_ONLY=peer_login,dashboard make bench`` runs those scripts only and keeps the other
sections of the existing report as they were (the header says which run each comes from).
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"run_all.py", "__init__.py", "cluster.py"}  # cluster.py: the harness, not a benchmark
SCRIPT_TIMEOUT = 15 * 60  # seconds: one stuck benchmark must not hold `make bench` for ever


# One section per script: everything up to its closing "_<script>.py: N s, run of DATE_" line.
_SECTION = re.compile(r"(.*?\n_(\w+)\.py: \d+ s, run of ([^_]+)_\n)", re.DOTALL)


def previous_sections() -> dict[str, tuple[str, str]]:
    """The sections of the report on disk, by script name: (text, date of the run)."""
    report = HERE / "report.md"
    if not report.exists():
        return {}
    body = report.read_text(encoding="utf-8").split("\n", 3)[-1]
    return {name: (chunk.strip() + "\n", date) for chunk, name, date in _SECTION.findall(body)}


def main() -> int:
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name not in SKIP and not p.name.startswith("_")
    )
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
    kept: dict[str, tuple[str, str]] = {}
    now = time.strftime("%Y-%m-%d %H:%M %Z")
    header = f"# Benchmark report\n\nRun on {now}.\n"
    if only:
        kept = {k: v for k, v in previous_sections().items() if k not in only}
        if kept:
            older = "; ".join(f"{name} of {date}" for name, (_, date) in sorted(kept.items()))
            header = (
                f"# Benchmark report\n\nRun on {now}: {', '.join(sorted(only))}. Sections "
                f"kept from earlier runs: {older}.\n"
            )
    sections = [header]
    failed = 0
    total_started = time.monotonic()
    for script in scripts:
        if only and script.stem not in only:
            if script.stem in kept:
                sections.append(kept[script.stem][0])
            continue
        print(f"== {script.name}", flush=True)
        argv = [sys.executable, str(script)]
        if "--quick" in script.read_text(encoding="utf-8"):
            argv.append("--quick")
        started = time.monotonic()
        try:
            result = subprocess.run(
                argv,
                stdout=subprocess.PIPE,
                text=True,
                cwd=HERE.parent,
                env={**os.environ, "BENCH_QUICK": "1"},
                timeout=SCRIPT_TIMEOUT,
            )
            returncode, stdout = result.returncode, result.stdout
        except subprocess.TimeoutExpired as expired:
            returncode = -1
            stdout = expired.stdout if isinstance(expired.stdout, str) else ""
        elapsed = time.monotonic() - started
        print(stdout, flush=True)
        if returncode != 0:
            failed += 1
            why = "timed out" if returncode == -1 else f"exit {returncode}"
            sections.append(f"## {script.stem}\n\nFAILED ({why} after {elapsed:.0f} s).\n")
        else:
            sections.append(
                stdout.strip() + f"\n\n_{script.name}: {elapsed:.0f} s, run of {now}_\n"
            )
    total = time.monotonic() - total_started
    sections.append(f"_make bench: {total / 60:.1f} minutes in all._\n")
    (HERE / "report.md").write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'report.md'} ({total / 60:.1f} min)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
