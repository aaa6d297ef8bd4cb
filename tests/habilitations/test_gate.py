"""The login gate: an employer logs in only with an active habilitation whose start has come."""

import datetime

import pytest
import time_machine

from apart.accounts.models import Account
from apart.habilitations.dates import PARIS
from apart.habilitations.gate import login_refusal
from tests.habilitations.factories import make_account, make_agent, make_habilitation

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 6, 15)
# 23:59 in Paris on the eve is 21:59 UTC; 00:01 in Paris is still 14 June in UTC (22:01).
EVE_2359 = datetime.datetime(2026, 6, 14, 23, 59, tzinfo=PARIS)
DAY_0001 = datetime.datetime(2026, 6, 15, 0, 1, tzinfo=PARIS)


def test_a_pending_request_cannot_log_in_yet():
    habilitation = make_habilitation(status="pending")

    assert login_refusal(habilitation.account) == (
        "Votre demande d'habilitation est en cours de traitement. Vous pourrez vous connecter "
        "lorsque vous aurez reçu le courriel vous informant de la création de votre habilitation."
    )


@time_machine.travel(EVE_2359, tick=False)
def test_the_evening_before_the_start_date_the_login_is_refused_with_the_date():
    habilitation = make_habilitation(status="active", start=START)

    assert login_refusal(habilitation.account) == (
        "Votre habilitation est activée : vous pourrez vous connecter à compter du 15/06/2026."
    )


@time_machine.travel(DAY_0001, tick=False)
def test_from_midnight_in_paris_on_the_start_date_the_login_is_allowed():
    habilitation = make_habilitation(status="active", start=START)

    assert login_refusal(habilitation.account) is None


@time_machine.travel(datetime.datetime(2027, 6, 14, 23, 59, tzinfo=PARIS), tick=False)
def test_the_evening_before_the_end_date_the_login_is_still_allowed():
    habilitation = make_habilitation(status="active", start=START, end=datetime.date(2027, 6, 15))

    assert login_refusal(habilitation.account) is None


@time_machine.travel(datetime.datetime(2027, 6, 15, 0, 1, tzinfo=PARIS), tick=False)
def test_from_midnight_on_the_end_date_the_habilitation_has_expired_even_before_the_lifecycle():
    habilitation = make_habilitation(status="active", start=START, end=datetime.date(2027, 6, 15))

    message = login_refusal(habilitation.account)

    assert message is not None
    assert message.startswith("Votre habilitation a expiré le 15/06/2027.")


def test_an_expired_habilitation_says_when_and_how_to_renew():
    habilitation = make_habilitation(
        status="expired", start=datetime.date(2024, 1, 1), end=datetime.date(2025, 1, 1)
    )

    assert login_refusal(habilitation.account) == (
        "Votre habilitation a expiré le 01/01/2025. Pour la renouveler, sélectionnez « CRÉER MON "
        "ESPACE » et saisissez le N° de Siret de votre établissement."
    )


def test_a_revoked_habilitation_refuses_the_login():
    habilitation = make_habilitation(
        status="revoked", start=datetime.date(2026, 1, 1), revocation_reason="Fraude"
    )

    message = login_refusal(habilitation.account)

    assert message is not None
    assert message.startswith("Votre habilitation à l'Activité Partielle a été révoquée.")
    assert "0800.705.800" in message


def test_a_rejected_request_refuses_the_login():
    habilitation = make_habilitation(status="rejected", rejection_reason="SIRET inconnu")

    message = login_refusal(habilitation.account)

    assert message is not None
    assert message.startswith("Votre demande d'habilitation à l'Activité Partielle a été refusée.")


def test_a_new_request_after_an_expiry_is_what_the_gate_reports():
    account = make_account()
    make_habilitation(
        account=account,
        status="expired",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2025, 1, 1),
    )
    make_habilitation(account=account, status="pending")

    assert login_refusal(account).startswith("Votre demande d'habilitation est en cours")


def test_an_account_of_a_sibling_extranet_only_has_no_apart_habilitation():
    habilitation = make_habilitation(status="active", application_code="SYLAE")

    assert login_refusal(habilitation.account) == (
        "Vous n'avez pas d'habilitation à l'Activité Partielle. Pour en demander une, "
        "sélectionnez « CRÉER MON ESPACE » et saisissez le N° de Siret de votre établissement."
    )


@pytest.mark.parametrize(
    "role", [Account.Role.INSTRUCTOR, Account.Role.ASSISTANCE, Account.Role.ADMINISTRATOR]
)
def test_agents_are_not_subject_to_habilitations(role):
    assert login_refusal(make_agent(role=role)) is None
