"""Agents' pages need a login and the right role; employers never see them."""

import pytest
from django.urls import reverse

from apart.accounts.models import Account
from tests.habilitations.factories import make_account, make_agent, make_habilitation

pytestmark = pytest.mark.django_db

INSTRUCTION_PAGES = ["backoffice:queue"]
HELPDESK_PAGES = ["backoffice:helpdesk"]


@pytest.mark.parametrize("name", ["backoffice:home", "backoffice:queue", "backoffice:helpdesk"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=/gestion/")


@pytest.mark.parametrize("name", ["backoffice:home", "backoffice:queue", "backoffice:helpdesk"])
def test_employers_are_refused(client, name):
    employer = make_account()
    make_habilitation(account=employer, status="active")  # may use the site, not the back office
    client.force_login(employer)

    assert client.get(reverse(name)).status_code == 403


def test_the_helpdesk_cannot_decide_habilitations(client):
    client.force_login(make_agent(role=Account.Role.ASSISTANCE))
    habilitation = make_habilitation()

    assert client.get(reverse("backoffice:queue")).status_code == 403
    assert client.get(reverse("backoffice:request", args=[habilitation.pk])).status_code == 403


def test_instructors_do_not_use_the_helpdesk_tools(client):
    client.force_login(make_agent(role=Account.Role.INSTRUCTOR))
    account = make_account()

    assert client.get(reverse("backoffice:helpdesk")).status_code == 403
    assert client.get(reverse("backoffice:account", args=[account.pk])).status_code == 403


def test_an_employer_cannot_post_a_decision(client):
    habilitation = make_habilitation()
    employer = make_account()
    client.force_login(employer)
    client.get(reverse("core:home"))

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        {"start_date": "2026-01-01", "end_date": "2027-01-01"},
    )

    assert response.status_code == 403
    habilitation.refresh_from_db()
    assert habilitation.status == "pending"


@pytest.mark.parametrize(
    "role", [Account.Role.INSTRUCTOR, Account.Role.ASSISTANCE, Account.Role.ADMINISTRATOR]
)
def test_every_agent_sees_the_home(client, role):
    client.force_login(make_agent(role=role))

    assert client.get(reverse("backoffice:home")).status_code == 200
