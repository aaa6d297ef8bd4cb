"""Agents' home: pending count, median and oldest age, decisions per day (chart and table)."""

import datetime

import pytest
from django.urls import reverse

from apart.habilitations.models import Habilitation
from apart.habilitations.services import approve_habilitation, reject_habilitation
from tests.habilitations.factories import make_agent, make_habilitation

pytestmark = pytest.mark.django_db


def _aged(days: int) -> Habilitation:
    habilitation = make_habilitation()
    Habilitation.objects.filter(pk=habilitation.pk).update(
        requested_at=habilitation.requested_at - datetime.timedelta(days=days)
    )
    return habilitation


def test_the_home_shows_the_queue_figures(client):
    for days in (1, 2, 6):
        _aged(days)
    client.force_login(make_agent())

    html = client.get(reverse("backoffice:home")).content.decode()

    assert '<p class="fr-tile__title">3</p>' in html
    assert '<p class="fr-tile__title">2 j 0 h</p>' in html  # median
    assert '<p class="fr-tile__title">6 j 0 h</p>' in html  # oldest


def test_the_home_counts_todays_decisions_in_the_chart_and_the_table(client):
    agent = make_agent()
    approve_habilitation(habilitation=make_habilitation(), actor=agent)
    approve_habilitation(habilitation=make_habilitation(), actor=agent)
    reject_habilitation(habilitation=make_habilitation(), actor=agent, reason="Doublon")
    client.force_login(agent)

    response = client.get(reverse("backoffice:home"))

    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert response.context["figures"].decisions_by_day[-1][1:] == (2, 1)
    assert len(response.context["figures"].decisions_by_day) == 14
    assert "<td>2</td><td>1</td>" in html


def test_an_empty_queue_shows_dashes(client):
    client.force_login(make_agent())

    html = client.get(reverse("backoffice:home")).content.decode()

    assert '<p class="fr-tile__title">0</p>' in html
    assert '<p class="fr-tile__title">—</p>' in html
