"""Demandes d'indemnisation: the rules with their messages, the employer's pages."""

import datetime
import html
from decimal import Decimal

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims import services
from apart.claims.models import Claim, ClaimLine
from tests.claims.factories import APRIL, NIR_1, NIR_2, granted_decision, line
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(APRIL):
        yield


def _text(response):
    return html.unescape(response.content.decode())


def _create(client, account, decision, month):
    log_in(client, account)
    client.get("/espace/demandes-indemnisation/nouvelle/")
    return client.post(
        "/espace/demandes-indemnisation/nouvelle/", {"decision": decision.pk, "month": month}
    )


def test_a_claim_is_opened_for_a_month_of_the_authorised_period(client):
    account, _, decision = granted_decision()

    response = _create(client, account, decision, "2026-02")

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/espace/demandes-indemnisation/{claim.pk}/"
    assert claim.month == datetime.date(2026, 2, 1)
    assert claim.status == Claim.Status.DRAFT
    assert AuditEvent.objects.filter(action="claim.created").exists()


def test_the_month_may_be_typed_mm_yyyy(client):
    account, _, decision = granted_decision()

    response = _create(client, account, decision, "03/2026")

    assert response.status_code == 302
    assert Claim.objects.get().month == datetime.date(2026, 3, 1)


def test_a_month_outside_the_period_is_refused(client):
    account, _, decision = granted_decision()

    response = _create(client, account, decision, "2026-04")

    assert response.status_code == 400
    assert (
        "Le mois demandé doit être compris dans la période autorisée (du 15/01/2026 au "
        "15/03/2026)." in _text(response)
    )


def test_a_second_claim_for_the_same_month_is_refused(client):
    account, _, decision = granted_decision()
    _create(client, account, decision, "2026-02")

    response = client.post(
        "/espace/demandes-indemnisation/nouvelle/", {"decision": decision.pk, "month": "2026-02"}
    )

    assert response.status_code == 400
    assert (
        "Une demande d'indemnisation existe déjà pour ce mois au titre de cette décision."
        in _text(response)
    )


def test_claims_later_than_6_months_after_the_period_are_refused(client):
    account, _, decision = granted_decision()

    with time_machine.travel(datetime.datetime(2026, 9, 16, 9, 0)):
        response = _create(client, account, decision, "2026-02")

    assert response.status_code == 400
    assert (
        "La demande d'indemnisation doit être déposée dans un délai de 6 mois à compter de la fin "
        "de la période autorisée (15/03/2026) : le délai a expiré le 15/09/2026." in _text(response)
    )
    assert not Claim.objects.exists()


def test_the_last_day_of_the_deadline_is_still_allowed(client):
    account, _, decision = granted_decision()

    with time_machine.travel(datetime.datetime(2026, 9, 15, 20, 0)):
        response = _create(client, account, decision, "2026-02")

    assert response.status_code == 302


def test_a_draft_past_the_deadline_cannot_be_transmitted():
    account, _, decision = granted_decision()
    claim = services.create_claim(decision=decision, month=datetime.date(2026, 2, 1), actor=account)
    line(claim, account)

    with (
        time_machine.travel(datetime.datetime(2026, 10, 1, 9, 0)),
        pytest.raises(services.ClaimError) as refused,
    ):
        services.submit_claim(claim=claim, actor=account)

    assert "le délai a expiré le 15/09/2026" in refused.value.message


def _add(client, claim, **values):
    data = {
        "last_name": "Martin",
        "first_name": "Julie",
        "nir": NIR_1,
        "hours": "35",
        "hourly_gross": "30,00",
    }
    data.update(values)
    client.get(f"/espace/demandes-indemnisation/{claim.pk}/")
    return client.post(f"/espace/demandes-indemnisation/{claim.pk}/salaries/", data)


@pytest.fixture
def draft(client):
    account, _, decision = granted_decision(hours=Decimal("100"))
    log_in(client, account)
    return services.create_claim(decision=decision, month=datetime.date(2026, 2, 1), actor=account)


def test_an_employee_line_computes_the_allowance_and_the_totals(client, draft):
    response = _add(client, draft, nir="1 85 05 78 006 084 " + NIR_1[-2:])

    assert response.status_code == 302
    saved = ClaimLine.objects.get()
    assert saved.nir == NIR_1
    assert saved.hourly_allowance == Decimal("10.80")
    assert saved.amount == Decimal("378.00")
    draft.refresh_from_db()
    assert draft.total_hours == Decimal("35")
    assert draft.total_amount == Decimal("378.00")
    page = _text(client.get(response["Location"]))
    assert "378,00" in page or "378.00" in page


def test_an_invalid_nir_is_refused_next_to_the_field(client, draft):
    bad = NIR_1[:-2] + f"{(int(NIR_1[-2:]) + 1) % 97:02d}"

    response = _add(client, draft, nir=bad)

    assert response.status_code == 400
    page = _text(response)
    assert "Le NIR (numéro de sécurité sociale) est invalide : vérifiez ses 15 chiffres." in page
    assert 'id="id_nir-desc-error"' in page
    assert 'value="Julie"' in page
    assert not ClaimLine.objects.exists()


def test_the_same_employee_cannot_be_declared_twice(client, draft):
    _add(client, draft)

    response = _add(client, draft, first_name="Julia")

    assert response.status_code == 400
    assert "Ce salarié (même NIR) figure déjà dans la demande." in _text(response)


def test_hours_beyond_the_authorised_hours_are_refused(client, draft):
    _add(client, draft, hours="60")

    response = _add(client, draft, nir=NIR_2, hours="41")

    assert response.status_code == 400
    assert (
        "Les heures chômées déclarées (101,00 h au total pour cette décision) dépassent les heures "
        "autorisées (100,00 h)." in _text(response)
    )


def test_hours_of_other_transmitted_claims_count_too(draft):
    account = draft.created_by
    line(draft, account, hours="80")
    services.submit_claim(claim=draft, actor=account)
    march = services.create_claim(
        decision=draft.decision, month=datetime.date(2026, 3, 1), actor=account
    )

    with pytest.raises(services.ClaimError) as refused:
        line(march, account, hours="21")

    assert "dépassent les heures autorisées (100,00 h)" in refused.value.message


def test_an_empty_claim_cannot_be_transmitted(client, draft):
    client.get(f"/espace/demandes-indemnisation/{draft.pk}/")

    response = client.post(f"/espace/demandes-indemnisation/{draft.pk}/transmettre/", {})

    assert response.status_code == 400
    assert "Ajoutez au moins un salarié avant de transmettre la demande." in _text(response)


def test_a_claim_is_transmitted_and_then_frozen(client, draft):
    _add(client, draft)

    response = client.post(f"/espace/demandes-indemnisation/{draft.pk}/transmettre/", {})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Claim.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="claim.submitted").exists()
    late = _add(client, draft, nir=NIR_2)
    assert late.status_code == 302
    assert "Cette demande a déjà été transmise" in _text(client.get(late["Location"]))
    assert ClaimLine.objects.count() == 1


def test_a_line_is_removed_from_a_draft(client, draft):
    _add(client, draft)
    saved = ClaimLine.objects.get()

    client.post(f"/espace/demandes-indemnisation/salaries/{saved.pk}/supprimer/", {})

    draft.refresh_from_db()
    assert not ClaimLine.objects.exists()
    assert draft.total_amount == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "abc", "Saisissez un nombre d'heures positif"),
        ("hours", "0", "Saisissez un nombre d'heures positif"),
        ("hourly_gross", "-1", "Saisissez un taux horaire brut positif"),
        ("last_name", "Martin\x00", "Ce champ contient des caractères non autorisés."),
        ("nir", "x" * 200, "25 caractères"),
    ],
)
def test_bad_line_input_gets_a_message(client, draft, field, value, message):
    response = _add(client, draft, **{field: value})

    assert response.status_code == 400
    assert message in _text(response)


def test_another_employers_claim_is_a_404(client, draft):
    stranger, _, _ = granted_decision()
    client.logout()
    log_in(client, stranger)

    assert client.get(f"/espace/demandes-indemnisation/{draft.pk}/").status_code == 404


def test_voir_toutes_mes_di_lists_the_claims(client, draft):
    page = _text(client.get("/espace/demandes-indemnisation/"))

    assert "Mes Demandes d'Indemnisation" in page
    assert draft.reference in page


def test_the_employers_change_is_audited_with_his_address_and_browser(client, draft):
    client.get(f"/espace/demandes-indemnisation/{draft.pk}/")

    client.post(
        f"/espace/demandes-indemnisation/{draft.pk}/salaries/",
        {
            "last_name": "Martin",
            "first_name": "Julie",
            "nir": NIR_1,
            "hours": "35",
            "hourly_gross": "30,00",
        },
        REMOTE_ADDR="198.51.100.8",
        HTTP_USER_AGENT="Firefox/140",
    )

    event = AuditEvent.objects.get(action="claim.line_added")
    assert (event.actor, event.ip_address, event.user_agent) == (
        draft.created_by,
        "198.51.100.8",
        "Firefox/140",
    )
