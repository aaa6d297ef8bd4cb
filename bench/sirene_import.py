"""Benchmark of the SIRENE stock import and of SIRET lookups, on SQLite and PostgreSQL.

    .venv/bin/python bench/sirene_import.py                 # 1,000,000 rows (the goal's size)
    .venv/bin/python bench/sirene_import.py --rows 100000   # quicker

Generates N synthetic rows of StockEtablissement (official 3.11 columns, valid SIRETs) in a
temporary directory, then for each database: migrate, import (a subprocess: wall time and its
own peak RSS through wait4), re-import the same file (idempotent pass: nothing changes), and
time 10,000 random lookup_siret() calls (p50/p99). On PostgreSQL, in the same run, a raw
``COPY ... FROM STDIN (FORMAT csv)`` of the same file into a bare 53-text-column table gives the
ceiling. PostgreSQL runs in a throwaway database, apart_bench_sirene, dropped at the end.

Goals: PostgreSQL import >= 0.5 x raw COPY, peak RSS < 300 MB whatever N, lookup p99 < 2 ms.
Prints a markdown table at the end (collected by `make bench`).
"""

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apart.directory.demo.generate import ESTABLISHMENT_HEADER  # noqa: E402

PYTHON = sys.executable
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "apart_bench_sirene"
LOOKUPS = 10_000


def luhn_digit(number: str) -> str:
    """The digit to append so that number + digit passes Luhn."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 0:  # doubled: the appended digit will take position 0
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def siret_for(index: int) -> str:
    """Row index -> a valid SIRET; two establishments per SIREN on average, sorted like INSEE."""
    siren8 = f"{10_000_000 + index // 2:08d}"
    siren = siren8 + luhn_digit(siren8)
    base = f"{siren}{index % 2 + 1:04d}"
    return base + luhn_digit(base)


def generate(path: Path, rows: int) -> None:
    rng = random.Random(42)
    column = {name: i for i, name in enumerate(ESTABLISHMENT_HEADER)}
    template = [""] * len(ESTABLISHMENT_HEADER)
    streets = ["DE LA REPUBLIQUE", "VICTOR HUGO", "DES LILAS", "JEAN JAURES", "DU MOULIN"]
    cities = [("75011", "PARIS 11", "75111"), ("69003", "LYON 3E ARRONDISSEMENT", "69383")]
    cities += [("97400", "SAINT-DENIS", "97411"), ("44000", "NANTES", "44109")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ESTABLISHMENT_HEADER)
        for index in range(rows):
            siret = siret_for(index)
            row = template.copy()
            postal_code, city, commune = cities[index % 4]
            row[column["siren"]] = siret[:9]
            row[column["nic"]] = siret[9:]
            row[column["siret"]] = siret
            row[column["statutDiffusionEtablissement"]] = "P" if index % 50 == 0 else "O"
            row[column["dateCreationEtablissement"]] = "2015-03-01"
            row[column["trancheEffectifsEtablissement"]] = "11"
            row[column["anneeEffectifsEtablissement"]] = "2022"
            row[column["dateDernierTraitementEtablissement"]] = "2024-03-22T10:12:43"
            row[column["etablissementSiege"]] = "true" if index % 2 == 0 else "false"
            row[column["nombrePeriodesEtablissement"]] = "1"
            row[column["numeroVoieEtablissement"]] = str(rng.randint(1, 250))
            row[column["indiceRepetitionEtablissement"]] = "B" if index % 17 == 0 else ""
            row[column["typeVoieEtablissement"]] = "RUE" if index % 3 else "AV"
            row[column["libelleVoieEtablissement"]] = streets[index % 5]
            row[column["codePostalEtablissement"]] = postal_code
            row[column["libelleCommuneEtablissement"]] = city
            row[column["codeCommuneEtablissement"]] = commune
            row[column["dateDebut"]] = "2015-03-01"
            row[column["etatAdministratifEtablissement"]] = "F" if index % 7 == 0 else "A"
            row[column["enseigne1Etablissement"]] = "ENSEIGNE DU COIN" if index % 5 == 0 else ""
            row[column["activitePrincipaleEtablissement"]] = "62.01Z"
            row[column["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
            row[column["caractereEmployeurEtablissement"]] = "O"
            writer.writerow(row)


@dataclass
class Figures:
    database: str
    import_seconds: float = 0.0  # as measured by the command itself (startup excluded)
    import_wall_seconds: float = 0.0  # the whole subprocess: Python and Django startup too
    import_rss_mb: float = 0.0
    reimport_seconds: float = 0.0
    reimport_rss_mb: float = 0.0
    lookup_p50_ms: float = 0.0
    lookup_p99_ms: float = 0.0
    copy_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def env_for(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        APART_ENV="development",
        DEBUG="false",
        APART_SIRENE_API_URL="",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a subprocess; return (wall seconds, its own peak RSS in MB, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def command_seconds(output: str) -> float:
    """The duration import_sirene reports in its summary ("terminé en 4.1 s")."""
    match = re.search(r"terminé en ([0-9.]+) s", output)
    if match is None:
        raise SystemExit(f"no summary in the import output:\n{output}")
    return float(match.group(1))


def measure(database: str, database_url: str, csv_path: Path, rows: int) -> Figures:
    env = env_for(database_url)
    figures = Figures(database=database)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    command = [PYTHON, "manage.py", "import_sirene", "--etablissements", str(csv_path)]
    figures.import_wall_seconds, figures.import_rss_mb, out = run_measured(command, env)
    figures.import_seconds = command_seconds(out)
    print(f"[{database}] import: {out.strip()}", file=sys.stderr)
    _, figures.reimport_rss_mb, out = run_measured(command, env)
    figures.reimport_seconds = command_seconds(out)
    print(f"[{database}] re-import: {out.strip()}", file=sys.stderr)
    sample = random.Random(7).sample(range(rows), min(LOOKUPS, rows))
    sirets_file = csv_path.with_suffix(f".{database}.sirets")
    sirets_file.write_text("\n".join(siret_for(i) for i in sample))
    result = subprocess.run(
        [PYTHON, __file__, "--lookup-worker", str(sirets_file)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    latencies = json.loads(result.stdout)
    figures.lookup_p50_ms = latencies["p50_ms"]
    figures.lookup_p99_ms = latencies["p99_ms"]
    return figures


def lookup_worker(sirets_file: str) -> None:
    """Subprocess: time lookup_siret() on the given SIRETs against DATABASE_URL."""
    import django

    django.setup()
    from apart.directory.lookup import LookupStatus, lookup_siret

    sirets = Path(sirets_file).read_text().split()
    for siret in sirets[:200]:  # warm-up: connection, statement caches
        lookup_siret(siret)
    timings = []
    for siret in sirets:
        started = time.perf_counter_ns()
        result = lookup_siret(siret)
        timings.append((time.perf_counter_ns() - started) / 1e6)
        if result.status == LookupStatus.UNKNOWN:
            raise SystemExit(f"{siret} should be in the directory")
    timings.sort()
    print(
        json.dumps(
            {
                "p50_ms": statistics.median(timings),
                "p99_ms": timings[int(len(timings) * 0.99) - 1],
                "count": len(timings),
            }
        )
    )


def raw_copy_seconds(database_url: str, csv_path: Path) -> float:
    """The ceiling: COPY the file as it is into a bare table of text columns, no index."""
    import psycopg

    columns = ", ".join(f'"{name}" text' for name in ESTABLISHMENT_HEADER)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_copy")
        conn.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        started = time.monotonic()
        copy_sql = "COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER true)"
        with (
            conn.transaction(),
            conn.cursor() as cursor,
            cursor.copy(copy_sql) as copy,
            csv_path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.monotonic() - started
        conn.execute("DROP TABLE bench_raw_copy")
    return seconds


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def table(rows: int, results: list[Figures]) -> str:
    def rate(seconds: float) -> str:
        return f"{rows / seconds:,.0f}".replace(",", "\u202f") if seconds else "-"

    lines = [
        "## SIRENE import",
        "",
        f"{rows:,} synthetic StockEtablissement rows (official 3.11 columns); load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run. Import rates are the command's own "
        "(startup excluded); wall time includes Python and Django startup.",
        "",
        "| Database | Import rows/s | Import s (wall) | Peak RSS | Re-import rows/s | "
        "Lookup p50 | Lookup p99 | Raw COPY rows/s | Import / COPY |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in results:
        ratio = f"{item.copy_seconds / item.import_seconds:.2f}" if item.copy_seconds else "-"
        lines.append(
            f"| {item.database} | {rate(item.import_seconds)} | "
            f"{item.import_seconds:.1f} ({item.import_wall_seconds:.1f}) | "
            f"{max(item.import_rss_mb, item.reimport_rss_mb):.0f} MB | "
            f"{rate(item.reimport_seconds)} | {item.lookup_p50_ms:.3f} ms | "
            f"{item.lookup_p99_ms:.3f} ms | {rate(item.copy_seconds)} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--lookup-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lookup_worker:
        lookup_worker(args.lookup_worker)
        return
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="apart-bench-sirene-") as tmp:
        csv_path = Path(tmp) / "StockEtablissement_utf8.csv"
        started = time.monotonic()
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"generated {args.rows} rows ({size_mb:.0f} MB) in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
        if not args.skip_sqlite:
            results.append(measure("SQLite", f"sqlite:///{tmp}/bench.sqlite3", csv_path, args.rows))
        if not args.skip_postgres:
            url = f"{PG_SERVER}/{PG_DATABASE}"
            postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            postgres_admin(f"CREATE DATABASE {PG_DATABASE}")
            try:
                figures = measure("PostgreSQL", url, csv_path, args.rows)
                figures.copy_seconds = raw_copy_seconds(url, csv_path)
                results.append(figures)
            finally:
                postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    print(table(args.rows, results))


if __name__ == "__main__":
    main()
