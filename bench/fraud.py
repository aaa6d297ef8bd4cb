"""Fraud signals at scale: computing them for 100,000 DI, and the DI queue with 10,000 flagged.

What it does:
1. creates a throwaway database (PostgreSQL ``apart_bench_fraud_<pid>`` when the server at
   BENCH_PG_URL answers, else SQLite in a temporary directory; ``--sqlite`` forces SQLite),
   migrates it and seeds BENCH_FRAUD_ESTABLISHMENTS employers (default 2,000) with a fiche, a
   bank-details version, a SIRENE row, a registration snapshot, an accepted DAP and
   BENCH_FRAUD_CLAIMS DI in all (default 100,000, one employee each), all transmitted. One
   establishment in ten looks like the 2020 pattern (SIRENE band "NN", a disposable email, the
   IBAN of the establishment before it, another SIREN, which is then flagged too), so 20,000 DI
   (at least the 10,000 asked) end up flagged;
2. runs the batched assessment (apart.fraud.bulk.refresh_claims, what `manage.py
   fraud_refresh` runs) over every DI and reports its time and its number of queries;
3. renders the agents' DI queue (Django test client, in process, DEBUG off) sorted by risk,
   and filtered to the flagged items, BENCH_FRAUD_PAGE_RUNS times each, and reports the median
   time and the number of queries of one page (it must not grow with the number of rows).
Prints a markdown section ("## Fraud signals"). Exit 0 (figures are reported, not asserted).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
ESTABLISHMENTS = int(os.environ.get("BENCH_FRAUD_ESTABLISHMENTS", "2000"))
CLAIMS = int(os.environ.get("BENCH_FRAUD_CLAIMS", "100000"))
PAGE_RUNS = int(os.environ.get("BENCH_FRAUD_PAGE_RUNS", "5"))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER + "/postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as connection:
        connection.execute(sql)


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def seed() -> None:
    from _seed import seed_employers
    from django.db import transaction
    from django.utils import timezone

    from apart.accounts.models import Account
    from apart.claims.models import Claim, ClaimLine
    from apart.dap.models import AuthorisationRequest, Decision
    from apart.directory.models import DirectoryEstablishment, LegalUnit
    from apart.establishments.models import BankDetailsVersion, Establishment, EstablishmentFiche
    from apart.mfa import crypto, totp
    from apart.mfa.models import TotpDevice
    from apart.registration.models import RegistrationRequest

    started = time.monotonic()
    employers = seed_employers(prefix="fraude", count=ESTABLISHMENTS, series=31)
    agent = Account.objects.create(
        login="agent.bench",
        first_name="Agnès",
        last_name="Bench",
        email="agent@bench.fr",
        role=Account.Role.INSTRUCTOR,
    )
    # Agents cannot use the site without a second factor (apart.mfa): an authenticator app.
    TotpDevice.objects.create(
        account=agent, name="Bench", encrypted_secret=crypto.encrypt(totp.new_secret())
    )
    now = timezone.now()
    establishments = list(
        Establishment.objects.filter(pk__in=[e["establishment"] for e in employers])
        .select_related("main_contact")
        .order_by("pk")
    )
    per_claims = max(CLAIMS // len(establishments), 1)
    with transaction.atomic():
        for i, e in enumerate(establishments):  # distinct phones: a shared one is a signal
            e.phone = f"+331{i:08d}"
        Establishment.objects.bulk_update(establishments, ["phone"], batch_size=500)
        versions = BankDetailsVersion.objects.bulk_create(
            BankDetailsVersion(
                establishment=e,
                number=1,
                # one in ten shares the IBAN of the establishment before it (another SIREN)
                iban=f"FR76300060000{(i - 1 if i % 10 == 9 else i):014d}",
                bic="AGRIFRPP882",
                account_holder=e.denomination,
            )
            for i, e in enumerate(establishments)
        )
        EstablishmentFiche.objects.bulk_create(
            EstablishmentFiche(
                establishment=e,
                workforce=12,
                iban=v.iban,
                bic=v.bic,
                account_holder=v.account_holder,
                bank_version=v,
                complete=True,
            )
            for e, v in zip(establishments, versions, strict=True)
        )
        LegalUnit.objects.bulk_create(
            LegalUnit(
                siren=e.siret[:9],
                denomination=e.denomination,
                state="A",
                diffusion="O",
                created_on="2012-05-01",
            )
            for e in establishments
        )
        DirectoryEstablishment.objects.bulk_create(
            DirectoryEstablishment(
                siret=e.siret,
                siren=e.siret[:9],
                street_name="DE LA PAIX",
                postal_code="75002",
                city="PARIS",
                state="A",
                diffusion="O",
                naf_code="81.21Z",
                workforce_bracket="NN" if i % 10 == 9 else "11",
                created_on="2012-05-01",
            )
            for i, e in enumerate(establishments)
        )
        RegistrationRequest.objects.bulk_create(
            RegistrationRequest(
                ip_address=f"10.{i // 250 % 250}.{i % 250}.1",
                outcome="new_account",
                siret=e.siret,
                denomination=e.denomination,
                street_name="DE LA PAIX",
                postal_code="75002",
                city="PARIS",
                establishment_email=e.email,
                establishment_phone=e.phone,
                last_name="Bench",
                first_name="Employeur",
                phone=f"+336{i:08d}",
                email=f"gerant{i}@{'yopmail.com' if i % 10 == 9 else f'societe{i}.example.fr'}",
                secret_question="Q ?",  # noqa: S106 (a question, not a password)
                account=e.main_contact,
                establishment=e,
            )
            for i, e in enumerate(establishments)
        )
        start = datetime.date(2020, 1, 1)
        daps = AuthorisationRequest.objects.bulk_create(
            AuthorisationRequest(
                establishment=e,
                created_by=e.main_contact,
                status="acceptee",
                reason="conjoncture",
                start_date=start,
                end_date=start + datetime.timedelta(days=3650),
                employees=8,
                hours_requested=Decimal("100000"),
                kind="reduction",
                workforce=12,
                submitted_at=now,
            )
            for e in establishments
        )
        decisions = Decision.objects.bulk_create(
            Decision(
                request=dap,
                outcome="acceptee",
                decided_by=agent,
                decision_date=start,
                reason="Bench.",
                start_date=dap.start_date,
                end_date=dap.end_date,
                hours_authorised=Decimal("100000"),
            )
            for dap in daps
        )
        for offset in range(0, len(decisions), 200):
            chunk = decisions[offset : offset + 200]
            claims = Claim.objects.bulk_create(
                Claim(
                    decision=d,
                    month=datetime.date(2020 + m // 12, m % 12 + 1, 1),
                    status="transmise",
                    created_by=dap.created_by,
                    total_hours=Decimal("35"),
                    total_amount=Decimal("378"),
                    submitted_at=now,
                    submitted_bank=v,
                )
                for d, dap, v in zip(
                    chunk,
                    daps[offset : offset + 200],
                    versions[offset : offset + 200],
                    strict=True,
                )
                for m in range(per_claims)
            )
            ClaimLine.objects.bulk_create(
                ClaimLine(
                    claim=c,
                    last_name="Martin",
                    first_name="Julie",
                    nir="185057800608481",
                    hours=Decimal("35"),
                    hourly_gross=Decimal("30"),
                    hourly_allowance=Decimal("10.8"),
                    amount=Decimal("378"),
                )
                for c in claims
            )
    log(
        f"seeded {Claim.objects.count()} DI of {len(establishments)} establishments "
        f"in {time.monotonic() - started:.0f} s"
    )


def measure() -> dict[str, object]:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from apart.accounts.models import Account
    from apart.claims.models import Claim
    from apart.fraud import bulk
    from apart.fraud.models import Assessment, Signal

    counter = QueryCounter()
    started = time.monotonic()
    with connection.execute_wrapper(counter):
        if os.environ.get("BENCH_FRAUD_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            report = profile.runcall(bulk.refresh_claims, Claim.objects.all())
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            report = bulk.refresh_claims(Claim.objects.all())
    refresh_seconds = time.monotonic() - started
    flagged = Assessment.objects.exclude(level="aucun").count()
    by_code = dict(Signal.objects.values("code").annotate(n=Count("id")).values_list("code", "n"))
    log(f"assessed {report.assessed} DI in {refresh_seconds:.1f} s, {counter.count} queries")

    client = Client()
    client.force_login(Account.objects.get(login="agent.bench"))
    pages = {}
    for label, query in (
        ("trié par risque", "?sort=risque"),
        ("signalées seulement", "?risk=signale&sort=risque"),
    ):
        timings, queries = [], 0
        for _ in range(PAGE_RUNS):
            page_counter = QueryCounter()
            begun = time.perf_counter()
            with connection.execute_wrapper(page_counter):
                response = client.get("/gestion/indemnisations/" + query)
            timings.append((time.perf_counter() - begun) * 1000)
            queries = page_counter.count
            assert response.status_code == 200, response.status_code
        pages[label] = (statistics.median(timings), queries)
    return {
        "assessed": report.assessed,
        "flagged": flagged,
        "by_code": by_code,
        "establishments_read": report.establishments_read,
        "refresh_seconds": refresh_seconds,
        "refresh_queries": counter.count,
        "pages": pages,
    }


def _n(value: object) -> str:
    return f"{value:,}".replace(",", " ")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the default sizes (make bench)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    args = parser.parse_args()
    use_pg = not args.sqlite and pg_available()
    tmp = tempfile.TemporaryDirectory()
    name = f"apart_bench_fraud_{os.getpid()}"
    if use_pg:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["APART_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ["REDIS_URL"] = ""
    os.environ["ALLOWED_HOSTS"] = "testserver"
    try:
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        seed()
        figures = measure()
        engine = connection.vendor
        connection.close()
    finally:
        if use_pg:
            from django.db import connections

            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{name}"')
        tmp.cleanup()
    pages = figures["pages"]
    assert isinstance(pages, dict)
    print("## Fraud signals\n")
    print(
        f"Database: {'PostgreSQL' if engine == 'postgresql' else 'SQLite'}. "
        f"{_n(figures['assessed'])} DI of {_n(ESTABLISHMENTS)} establishments, "
        f"{_n(figures['flagged'])} of them flagged (risk level at least « faible »).\n"
    )
    codes = figures["by_code"]
    assert isinstance(codes, dict)
    print("Signals raised: " + ", ".join(f"{code} {_n(n)}" for code, n in sorted(codes.items())))
    print()
    print("| measure | time | queries |")
    print("| --- | --- | --- |")
    print(
        f"| signals of {_n(figures['assessed'])} DI (batched, `fraud_refresh`) | "
        f"{figures['refresh_seconds']:.1f} s | {_n(figures['refresh_queries'])} "
        f"({_n(figures['establishments_read'])} establishments read) |"
    )
    for label, (median, queries) in pages.items():
        print(f"| DI queue, {label} (median of {PAGE_RUNS}) | {median:.0f} ms | {queries} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
