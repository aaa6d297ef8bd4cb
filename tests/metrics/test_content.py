"""What an operator reads after real requests: per-route latency and statuses, committed events
(logins by outcome, lockouts...), queues and worker heartbeats read from the database."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apart.notifications.models import OutboundEmail
from apart.notifications.services import queue_email
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login
from tests.habilitations.factories import make_habilitation
from tests.metrics.scrape import OUTSIDE, scrape, value

pytestmark = pytest.mark.django_db


def test_requests_are_counted_per_route_name_never_per_raw_path(client):
    before = scrape(client)

    client.get("/")
    client.get("/")
    client.get("/espace/etablissements/99999999/")  # a path with an id: counted under its route
    client.get("/nulle-part/")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("apart_http_request_duration_seconds_count", route="core:home", method="GET") == 2
    assert delta("apart_http_responses_total", route="core:home", method="GET", status="200") == 2
    assert delta("apart_http_responses_total", route="<unmatched>", method="GET", status="404") == 1
    label_values = {
        label
        for family in text_string_to_metric_families(after)
        for sample in family.samples
        for label in sample.labels.values()
    }
    assert not [label for label in label_values if "99999999" in label or "nulle-part" in label]
    assert not [label for label in label_values if "/" in label]


def test_each_status_of_a_route_has_its_own_count(client):
    before = scrape(client)

    client.get("/metrics", REMOTE_ADDR=OUTSIDE)  # refused: 403, same route and method
    after = scrape(client)

    def delta(status: str) -> float:
        labels = {"route": "metrics:scrape", "method": "GET", "status": status}
        return value(after, "apart_http_responses_total", **labels) - value(
            before, "apart_http_responses_total", **labels
        )

    assert delta("403") == 1
    assert delta("200") == 1  # the first scrape (the second one is counted after it answers)


def test_the_latency_is_observed_in_seconds_into_its_buckets(client):
    before = scrape(client)

    client.get("/sante/vivant/")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        labels = {"route": "core:alive", "method": "GET", **labels}
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("apart_http_request_duration_seconds_count") == 1
    assert delta("apart_http_request_duration_seconds_bucket", le="+Inf") == 1
    assert 0 < delta("apart_http_request_duration_seconds_sum") < 10  # seconds, not ms


def test_logins_are_counted_by_outcome_once_committed(client, django_capture_on_commit_callbacks):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    make_habilitation(account=account, status="active")
    before = scrape(client)

    with django_capture_on_commit_callbacks(execute=True):
        submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")
        submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")
        submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    after = scrape(client)

    def delta(action: str, outcome: str) -> float:
        return value(after, "apart_events_total", action=action, outcome=outcome) - value(
            before, "apart_events_total", action=action, outcome=outcome
        )

    assert delta("account.login_failed", "failure") == 2
    assert delta("account.login", "success") == 1


def test_an_event_rolled_back_is_not_counted(client):
    from apart.audit.services import record_event

    before = value(scrape(client), "apart_events_total", action="test.rolled_back")

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="test.rolled_back")
        raise RuntimeError("the change fails after its audit row")

    assert value(scrape(client), "apart_events_total", action="test.rolled_back") == before


def test_the_outbox_depth_and_the_age_of_its_oldest_email(client):
    context = {"login": "ilmen.foplus", "frozen_at": timezone.now(), "change": "courriel"}
    queue_email(to="a@exemple.fr", template="accounts/emails/account_frozen", context=context)
    old = queue_email(to="b@exemple.fr", template="accounts/emails/account_frozen", context=context)
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=7))

    text = scrape(client)

    assert value(text, "apart_outbox_emails", status="queued") == 2
    assert 7 * 60 <= value(text, "apart_outbox_oldest_queued_age_seconds") < 8 * 60
    assert value(text, "apart_metrics_database_up") == 1


def test_the_habilitation_queue_counts_pending_requests_only(client):
    make_habilitation()
    make_habilitation()
    make_habilitation(status="active")

    assert value(scrape(client), "apart_habilitation_queue") == 2


def test_a_worker_that_ran_is_alive_and_one_silent_for_minutes_is_not(client, smtp_server):
    text = scrape(client)
    assert value(text, "apart_workers_alive", worker="outbox") == 0
    assert value(text, "apart_worker_heartbeat_age_seconds", worker="outbox") == -1

    call_command("outbox_worker", "--once")
    text = scrape(client)

    assert value(text, "apart_workers_alive", worker="outbox") == 1
    assert 0 <= value(text, "apart_worker_heartbeat_age_seconds", worker="outbox") < 30

    from apart.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    text = scrape(client)
    assert value(text, "apart_workers_alive", worker="outbox") == 0
    assert value(text, "apart_worker_heartbeat_age_seconds", worker="outbox") >= 300
