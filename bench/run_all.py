"""`make bench`: run every benchmark under bench/ and collect their figures in bench/report.md.

Each benchmark is a script `bench/<name>.py` that prints a markdown section on stdout.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"run_all.py", "__init__.py", "cluster.py"}  # cluster.py: the harness, not a benchmark


def main() -> int:
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name not in SKIP and not p.name.startswith("_")
    )
    sections = [f"# Benchmark report\n\nRun on {time.strftime('%Y-%m-%d %H:%M %Z')}.\n"]
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
        )
        elapsed = time.monotonic() - started
        print(result.stdout, flush=True)
        if result.returncode != 0:
            failed += 1
            print(result.stderr, file=sys.stderr, flush=True)
            sections.append(f"## {script.stem}\n\nFAILED (exit {result.returncode}).\n")
        else:
            sections.append(result.stdout.strip() + f"\n\n_{script.name}: {elapsed:.0f} s_\n")
    (HERE / "report.md").write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'report.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
