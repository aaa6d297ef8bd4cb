"""Instruction pages (/gestion/): the queue, a request, the decisions."""

import datetime
import html

import pytest
from django.urls import reverse

from apart.audit.models import AuditEvent
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.registration.models import RegistrationRequest
from tests.decisions import confirmed
from tests.habilitations.factories import (
    make_account,
    make_agent,
    make_establishment,
    make_habilitation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor(client):
    agent = make_agent()
    client.force_login(agent)
    return agent


def _aged(habilitation, days):
    Habilitation.objects.filter(pk=habilitation.pk).update(
        requested_at=habilitation.requested_at - datetime.timedelta(days=days)
    )
    return habilitation


def test_the_queue_lists_pending_requests_oldest_first_with_their_age(client, instructor):
    recent = make_habilitation(account=make_account(login="recent.demandeur"))
    old = _aged(make_habilitation(account=make_account(login="ancien.demandeur")), 3)
    make_habilitation(status="active")

    html = client.get(reverse("backoffice:queue")).content.decode()

    assert "2 demande(s)" in html
    assert html.index(old.account.login) < html.index(recent.account.login)
    assert "3 j 0 h" in html


def test_the_queue_filters_by_application(client, instructor):
    make_habilitation(account=make_account(login="pour.apart"))
    make_habilitation(account=make_account(login="pour.sylae"), application_code="SYLAE")

    html = client.get(reverse("backoffice:queue"), {"application_code": "SYLAE"}).content.decode()

    assert "pour.sylae" in html
    assert "pour.apart" not in html


def test_the_queue_filters_by_department_from_the_postal_code(client, instructor):
    lyon = make_account(login="a.lyon")
    make_habilitation(account=lyon, establishment=make_establishment(postal_code="69003"))
    make_habilitation(account=make_account(login="a.paris"))
    ajaccio = make_account(login="a.ajaccio")
    make_habilitation(account=ajaccio, establishment=make_establishment(postal_code="20000"))

    html = client.get(reverse("backoffice:queue"), {"department": "69"}).content.decode()
    corsica = client.get(reverse("backoffice:queue"), {"department": "2a"}).content.decode()

    assert "a.lyon" in html and "a.paris" not in html
    assert "a.ajaccio" in corsica and "a.lyon" not in corsica


def test_the_queue_filters_by_request_date(client, instructor):
    _aged(make_habilitation(account=make_account(login="il.y.a.dix.jours")), 10)
    make_habilitation(account=make_account(login="aujourd.hui"))
    since = (paris_today() - datetime.timedelta(days=2)).isoformat()

    html = client.get(reverse("backoffice:queue"), {"requested_from": since}).content.decode()

    assert "aujourd.hui" in html and "il.y.a.dix.jours" not in html


def test_a_bad_filter_is_explained_not_a_crash(client, instructor):
    response = client.get(reverse("backoffice:queue"), {"department": "x" * 500})

    assert response.status_code == 200
    assert "Saisissez un numéro de département" in response.content.decode()


def test_the_request_page_shows_what_the_user_typed_and_the_account(client, instructor):
    habilitation = make_habilitation()
    establishment = habilitation.establishments.get()
    RegistrationRequest.objects.create(
        outcome="new_account",
        siret=establishment.siret,
        denomination="CLEAN DESK TAPÉ",
        street_name="de la Paix",
        postal_code="75002",
        city="Paris",
        establishment_email="a@b.fr",
        establishment_phone="0102030405",
        last_name="SARL DUPONT",
        first_name="Jean",
        phone="0601020304",
        email=habilitation.account.email,
        secret_question="Ma ville ?",
        name_flagged=True,
        account=habilitation.account,
        establishment=establishment,
        habilitation=habilitation,
    )

    html = client.get(reverse("backoffice:request", args=[habilitation.pk])).content.decode()

    assert "CLEAN DESK TAPÉ" in html
    assert habilitation.account.login in html
    assert "ressemble à une raison sociale" in html
    assert establishment.siret in html


def test_the_request_page_warns_of_many_requests_from_one_address(client, instructor):
    for _ in range(3):
        make_habilitation(requested_ip="203.0.113.7")
    habilitation = Habilitation.objects.filter(requested_ip="203.0.113.7").first()

    html = client.get(reverse("backoffice:request", args=[habilitation.pk])).content.decode()

    assert "3 demandes depuis l&#x27;adresse IP 203.0.113.7" in html


def test_the_request_page_proposes_today_and_one_year(client, instructor):
    habilitation = make_habilitation()

    html = client.get(reverse("backoffice:request", args=[habilitation.pk])).content.decode()

    today = paris_today()
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today + datetime.timedelta(days=365)).isoformat()}"' in html


def test_approving_from_the_page_activates_and_emails(client, instructor):
    habilitation = make_habilitation()
    url = reverse("backoffice:request", args=[habilitation.pk])
    client.get(url)
    start = paris_today() + datetime.timedelta(days=1)

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        confirmed({"start_date": start.isoformat(), "end_date": "2099-01-01", "comment": ""}),
        follow=True,
    )

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.ACTIVE
    assert habilitation.start_date == start
    assert habilitation.decided_by == instructor
    assert OutboundEmail.objects.get().subject == "Habilitation à l'activité partielle"
    assert f"approuvée à compter du {start:%d/%m/%Y}" in response.content.decode()


def test_approving_with_an_end_before_the_start_shows_the_error_next_to_the_field(
    client, instructor
):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        confirmed({"start_date": "2099-01-10", "end_date": "2099-01-01", "comment": "à revoir"}),
    )

    html = response.content.decode()
    assert "La date de fin doit être postérieure à la date de début." in html
    assert "fr-input-group--error" in html
    assert "à revoir" in html
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.PENDING


def test_rejecting_requires_a_reason(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(
        reverse("backoffice:reject", args=[habilitation.pk]),
        confirmed({"reason": "", "internal_comment": "gardé"}),
    )

    assert "Ce champ est obligatoire." in response.content.decode()
    assert "gardé" in response.content.decode()


def test_rejecting_from_the_page_emails_the_reason(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    client.post(
        reverse("backoffice:reject", args=[habilitation.pk]),
        confirmed(
            {"reason": "SIRET sans rapport avec le demandeur", "internal_comment": "appel fait"}
        ),
    )

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.REJECTED
    assert habilitation.internal_comment == "appel fait"
    assert "SIRET sans rapport" in OutboundEmail.objects.get().body_text


def test_the_second_agent_is_told_the_request_was_already_decided(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))
    Habilitation.objects.filter(pk=habilitation.pk).update(status="rejected")

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        confirmed(
            {"start_date": paris_today().isoformat(), "end_date": "2099-01-01", "comment": ""}
        ),
        follow=True,
    )

    assert "Cette demande a déjà été traitée par un autre agent." in response.content.decode()


def test_bulk_approval_reports_how_many_succeeded(client, instructor):
    selected = [make_habilitation() for _ in range(3)]
    client.get(reverse("backoffice:queue"))

    response = client.post(
        reverse("backoffice:bulk_approve"),
        confirmed({"habilitation": [h.pk for h in selected]}),
        follow=True,
    )

    assert "3 demande(s) approuvée(s)." in response.content.decode()
    assert Habilitation.objects.filter(status="active").count() == 3
    assert OutboundEmail.objects.count() == 3


def test_bulk_approval_without_selection_says_so(client, instructor):
    client.get(reverse("backoffice:queue"))

    response = client.post(reverse("backoffice:bulk_approve"), confirmed(), follow=True)

    assert "Sélectionnez au moins une demande." in response.content.decode()


def test_extending_and_revoking_an_active_habilitation(client, instructor):
    habilitation = make_habilitation(status="active", start=paris_today())
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    client.post(
        reverse("backoffice:extend", args=[habilitation.pk]),
        confirmed({"end_date": "2099-12-31", "reason": "Renouvellement"}),
    )
    client.post(
        reverse("backoffice:revoke", args=[habilitation.pk]), confirmed({"reason": "Fraude"})
    )

    habilitation.refresh_from_db()
    assert habilitation.end_date == datetime.date(2099, 12, 31)
    assert habilitation.status == Habilitation.Status.REVOKED
    assert list(habilitation.events.values_list("new_status", flat=True)) == [
        "active",
        "revoked",
    ]


def test_the_request_page_lists_the_audit_trail_and_exports_it(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))
    client.post(
        reverse("backoffice:reject", args=[habilitation.pk]),
        confirmed({"reason": '=HYPERLINK("x")', "internal_comment": ""}),
    )

    html = client.get(reverse("backoffice:request", args=[habilitation.pk])).content.decode()
    csv = client.get(reverse("backoffice:habilitation_audit_csv", args=[habilitation.pk]))

    assert "habilitation.rejected" in html
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("date;action;resultat;acteur")
    assert "habilitation.rejected" in body
    assert instructor.login in body
    assert "\"'=HYPERLINK" in body  # a formula is neutralised


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "motif\x00nul", "internal_comment": ""}, "Caractère non autorisé."),
        ({"reason": "x" * 2001, "internal_comment": ""}, "2000 caractères au plus."),
    ],
)
def test_bad_input_in_a_decision_is_explained(client, instructor, data, message):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(reverse("backoffice:reject", args=[habilitation.pk]), confirmed(data))

    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_invalid_date_is_explained(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        confirmed({"start_date": "31/02/2026", "end_date": "n'importe quoi"}),
    )

    assert "Saisissez une date valide (JJ/MM/AAAA)." in response.content.decode()


def test_an_unknown_request_is_a_404(client, instructor):
    assert client.get(reverse("backoffice:request", args=[999999])).status_code == 404


def test_a_renewal_proposes_the_end_date_one_validity_later(client, instructor):
    habilitation = make_habilitation(status="active", start=datetime.date(2026, 1, 1))

    html = client.get(reverse("backoffice:request", args=[habilitation.pk])).content.decode()

    assert 'value="2028-01-01"' in html


UNCONFIRMED = "Cochez « Je confirme cette décision » pour enregistrer la décision"


def _page_text(response):
    return html.unescape(response.content.decode())


def test_an_approval_without_confirmation_changes_nothing_and_keeps_what_was_typed(
    client, instructor
):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(
        reverse("backoffice:approve", args=[habilitation.pk]),
        {"start_date": paris_today().isoformat(), "end_date": "2099-01-01", "comment": "vu"},
    )

    page = _page_text(response)
    assert response.status_code == 200
    assert UNCONFIRMED in page
    # The message is under the box and tied to it.
    assert 'aria-describedby="id_confirmed-desc-error"' in page
    assert 'id="id_confirmed-approuver"' in page
    assert "vu</textarea>" in page
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.PENDING
    assert habilitation.decided_by is None
    assert not AuditEvent.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_refusal_without_confirmation_changes_nothing_and_keeps_the_reason(client, instructor):
    habilitation = make_habilitation()
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(
        reverse("backoffice:reject", args=[habilitation.pk]),
        {"reason": "SIRET sans rapport", "internal_comment": "appel fait"},
    )

    page = _page_text(response)
    assert UNCONFIRMED in page
    assert "SIRET sans rapport</textarea>" in page
    assert "appel fait</textarea>" in page
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.PENDING
    assert not AuditEvent.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_bulk_approval_without_confirmation_approves_nothing_and_keeps_the_selection(
    client, instructor
):
    selected = make_habilitation(account=make_account(login="choisi.demandeur"))
    client.get(reverse("backoffice:queue"))

    response = client.post(reverse("backoffice:bulk_approve"), {"habilitation": [selected.pk]})

    page = _page_text(response)
    assert response.status_code == 400
    assert UNCONFIRMED in page
    assert f'value="{selected.pk}" checked>' in page
    selected.refresh_from_db()
    assert selected.status == Habilitation.Status.PENDING
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [("extend", {"end_date": "2099-12-31", "reason": ""}), ("revoke", {"reason": "Fraude"})],
)
def test_extending_or_revoking_without_confirmation_changes_nothing(
    client, instructor, action, data
):
    habilitation = make_habilitation(status="active")
    before = (habilitation.status, habilitation.end_date)
    client.get(reverse("backoffice:request", args=[habilitation.pk]))

    response = client.post(reverse(f"backoffice:{action}", args=[habilitation.pk]), data)

    assert UNCONFIRMED in _page_text(response)
    habilitation.refresh_from_db()
    assert (habilitation.status, habilitation.end_date) == before
    assert not AuditEvent.objects.exists()
