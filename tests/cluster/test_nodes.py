"""Two nodes behind nginx share everything that matters: sessions, limits, the outbox, logins."""

import json
import threading
from collections import Counter

import pytest

from bench._seed import ANSWER, PASSWORD
from bench._web import Browser
from bench.cluster import CAPTCHA_ANSWER, Cluster

pytestmark = [pytest.mark.postgres_only, pytest.mark.xdist_group("cluster")]

CAPTCHA = {"captcha_0": "unused", "captcha_1": CAPTCHA_ANSWER}
WRONG_PASSWORD = "Mauvais-2020!"


def seed_employer(cluster: Cluster, prefix: str, series: int) -> dict[str, str]:
    """One employer able to log in; ``series`` keeps each test's SIRETs apart."""
    out = cluster.python(
        "from bench._seed import seed_employers, dump; "
        f"dump(seed_employers(prefix={prefix!r}, count=1, series={series}))"
    )
    [employer] = json.loads(out.strip().splitlines()[-1])
    return employer


def log_in(browser: Browser, node: str, login: str, password: str = PASSWORD):
    return browser.submit(f"{node}/connexion/", {"login": login, "password": password})


def test_a_session_opened_on_one_node_works_on_the_other(cluster):
    employer = seed_employer(cluster, "session.cluster", 41)
    node_a, node_b = cluster.node_urls
    browser = Browser(source_ip="127.2.0.1")

    assert log_in(browser, node_a, employer["login"]).location == "/espace/"
    dashboard = browser.get(f"{node_b}/espace/")

    assert dashboard.status == 200
    assert employer["login"] in dashboard.plain


def test_failed_logins_alternated_between_nodes_lock_the_account_at_the_configured_count(cluster):
    employer = seed_employer(cluster, "lockout.cluster", 42)
    browser = Browser(source_ip="127.2.0.2")
    answers = [  # 5 failures, 3 on node A and 2 on node B
        log_in(browser, cluster.node_urls[n % 2], employer["login"], WRONG_PASSWORD)
        for n in range(5)
    ]

    said = ["incorrect" if "mot de passe incorrect" in a.plain else "locked" for a in answers]
    assert said == ["incorrect"] * 4 + ["locked"]
    refused = log_in(browser, cluster.node_urls[1], employer["login"])  # the right password
    assert refused.location == ""
    assert "temporairement verrouillé" in refused.plain


def test_wrong_secret_answers_alternated_between_nodes_lock_recovery_at_the_configured_count(
    cluster,
):
    employer = seed_employer(cluster, "recovery.cluster", 43)
    node_a, node_b = cluster.node_urls
    browser = Browser(source_ip="127.2.0.3")
    start = browser.submit(
        f"{node_a}/mot-de-passe-oublie/", {"login": employer["login"], **CAPTCHA}
    )
    assert start.location == "/mot-de-passe-oublie/question-secrete/"
    question = "/mot-de-passe-oublie/question-secrete/"

    wrong = [
        browser.submit(f"{(node_a, node_b)[n % 2]}{question}", {"answer": "Mauvaise réponse"})
        for n in range(3)
    ]
    right = browser.submit(f"{node_b}{question}", {"answer": ANSWER})

    assert [("Il vous reste" in page.plain) for page in wrong] == [True, True, False]
    assert "la récupération est bloquée" in wrong[2].plain
    assert right.status == 200
    assert "la récupération est bloquée" in right.plain


def test_two_outbox_workers_deliver_each_of_50_queued_emails_exactly_once(cluster):
    assert all(worker.poll() is None for worker in cluster.outbox)
    out = cluster.python(
        "from apart.notifications.services import queue_email; from bench._seed import dump; "
        "dump([queue_email(to=f'outbox{n}@bench.example.fr', "
        "template='notifications/emails/check', context={'note': ''}).message_id "
        "for n in range(50)])"
    )
    queued = set(json.loads(out.strip().splitlines()[-1]))

    received = cluster.wait_for_emails(queued, timeout=60)

    counts = Counter(str(m["Message-ID"]) for m in received if str(m["Message-ID"]) in queued)
    assert set(counts) == queued
    assert max(counts.values()) == 1


def test_parallel_registrations_of_one_name_through_both_nodes_get_distinct_logins(cluster):
    out = cluster.python(
        "from bench._seed import seed_directory, dump; dump(seed_directory(count=12, series=31))"
    )
    sirets = json.loads(out.strip().splitlines()[-1])
    barrier = threading.Barrier(len(sirets))
    outcomes: list[str] = []

    def register(index: int, siret: str) -> None:
        node = cluster.node_urls[index % 2]
        browser = Browser(source_ip=f"127.3.0.{index + 1}")
        step1 = browser.submit(
            f"{node}/creer-mon-espace/", {"siret": siret, "accept_terms": "on", **CAPTCHA}
        )
        assert step1.location == "/creer-mon-espace/compte/", step1.status
        browser.get(f"{node}/creer-mon-espace/compte/")
        barrier.wait(timeout=60)
        step2 = browser.post(
            f"{node}/creer-mon-espace/compte/",
            {
                "establishment_email": f"contact{index}@homonymes.example.fr",
                "establishment_email_confirm": f"contact{index}@homonymes.example.fr",
                "establishment_phone": "01 42 68 53 00",
                "fax": "",
                "last_name": "Menuça",
                "first_name": "Gérard",
                "phone": "06 12 34 56 78",
                "email": f"gerard.menuca{index}@homonymes.example.fr",
                "email_confirm": f"gerard.menuca{index}@homonymes.example.fr",
                "secret_question": "Ma première voiture ?",
                "secret_answer": "Cylindrée",
                **CAPTCHA,
            },
        )
        outcomes.append(step2.location)

    threads = [threading.Thread(target=register, args=pair) for pair in enumerate(sirets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes == ["/creer-mon-espace/demande-transmise/"] * len(sirets)
    out = cluster.python(
        "from apart.accounts.models import Account; from bench._seed import dump; "
        "dump(list(Account.objects.filter(email__endswith='@homonymes.example.fr')"
        ".values_list('login', flat=True)))"
    )
    logins = json.loads(out.strip().splitlines()[-1])
    assert len(logins) == len(sirets)
    assert len(set(logins)) == len(sirets)
    assert "gerard.menuca" in logins
