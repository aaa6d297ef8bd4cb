"""The rules of a DAP (R5122-1 to R5122-9), each with its message, through the pages."""

import datetime
import html

import pytest

from apart.audit.models import AuditEvent
from apart.dap import services
from apart.dap.models import AuthorisationRequest, Reason
from apart.dap.services import DapRuleError
from apart.habilitations.dates import french_date, paris_today
from tests.dap.factories import dap_values, employer_with_complete_fiche, form_data, make_accepted
from tests.space.factories import employer_with_establishments, log_in

pytestmark = pytest.mark.django_db

FICHE_INCOMPLETE = (
    "La création d'une demande d'autorisation préalable est impossible tant que votre fiche "
    "établissement n'est pas complète."
)


def _post(client, account, data):
    log_in(client, account)
    client.get("/espace/demandes-autorisation/nouvelle/")
    response = client.post("/espace/demandes-autorisation/nouvelle/", data)
    return response, html.unescape(response.content.decode())


def test_a_dap_is_saved_as_a_draft_with_its_audit_row(client):
    account, establishment = employer_with_complete_fiche()

    response, _ = _post(client, account, form_data(establishment))

    dap = AuthorisationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/espace/demandes-autorisation/{dap.pk}/"
    assert dap.status == AuthorisationRequest.Status.DRAFT
    assert dap.establishment == establishment
    assert dap.workforce == 12
    assert AuditEvent.objects.filter(action="dap.created", object_id=str(dap.pk)).exists()


def test_an_incomplete_fiche_forbids_the_dap_with_the_guides_message(client):
    account = employer_with_establishments(1)
    establishment = account.habilitations.get().establishments.get()

    response, page = _post(client, account, form_data(establishment))

    assert response.status_code == 400
    assert FICHE_INCOMPLETE in page
    assert not AuthorisationRequest.objects.exists()


def test_for_the_economic_reason_the_dap_must_precede_the_start(client):
    account, establishment = employer_with_complete_fiche()
    today = paris_today()

    response, page = _post(client, account, form_data(establishment, start_date=today.isoformat()))

    assert response.status_code == 400
    assert (
        "Pour ce motif, la demande d'autorisation doit être déposée avant la mise en activité "
        f"partielle des salariés : la date de début doit être postérieure au {french_date(today)}, "
        "date du dépôt." in page
    )
    assert 'id="id_start_date-desc-error"' in page


@pytest.mark.parametrize("reason", [Reason.DISASTER, Reason.OTHER])
def test_a_disaster_or_exceptional_circumstance_allows_30_days_after_the_start(client, reason):
    account, establishment = employer_with_complete_fiche()
    start = paris_today() - datetime.timedelta(days=30)

    response, _ = _post(
        client, account, form_data(establishment, reason=reason, start_date=start.isoformat())
    )

    assert response.status_code == 302


@pytest.mark.parametrize("reason", [Reason.DISASTER, Reason.OTHER])
def test_after_30_days_the_dap_is_refused_with_the_rules_message(client, reason):
    account, establishment = employer_with_complete_fiche()
    start = paris_today() - datetime.timedelta(days=31)

    response, page = _post(
        client, account, form_data(establishment, reason=reason, start_date=start.isoformat())
    )

    assert response.status_code == 400
    assert (
        "Pour un sinistre, des intempéries ou une autre circonstance de caractère exceptionnel, "
        "la demande doit être déposée dans un délai de 30 jours à compter de la mise en activité "
        f"partielle des salariés : pour une mise en activité partielle le {french_date(start)}, "
        f"au plus tard le {french_date(start + datetime.timedelta(days=30))}." in page
    )


def test_the_end_cannot_precede_the_start(client):
    account, establishment = employer_with_complete_fiche()
    start = paris_today() + datetime.timedelta(days=10)

    response, page = _post(
        client,
        account,
        form_data(
            establishment,
            start_date=start.isoformat(),
            end_date=(start - datetime.timedelta(days=1)).isoformat(),
        ),
    )

    assert response.status_code == 400
    assert "La date de fin doit être postérieure ou égale à la date de début." in page


def test_fifty_employees_or_more_need_the_cse_opinion(client):
    account, establishment = employer_with_complete_fiche(workforce=50)

    response, page = _post(client, account, form_data(establishment))

    assert response.status_code == 400
    assert (
        "Votre établissement compte 50 salariés : indiquez la date de consultation du comité "
        "social et économique (CSE) et son avis (article R5122-2 du Code du travail)." in page
    )


def test_with_the_cse_date_and_opinion_a_large_establishment_files_its_dap(client):
    account, establishment = employer_with_complete_fiche(workforce=80)
    consulted = paris_today() - datetime.timedelta(days=2)

    response, _ = _post(
        client,
        account,
        form_data(establishment, cse_consulted_on=consulted.isoformat(), cse_opinion="favorable"),
    )

    assert response.status_code == 302
    assert AuthorisationRequest.objects.get().cse_opinion == "favorable"


def test_a_previous_use_within_36_months_needs_commitments(client):
    account, establishment = employer_with_complete_fiche()

    response, page = _post(client, account, form_data(establishment, previous_use="on"))

    assert response.status_code == 400
    assert (
        "Votre établissement a eu recours à l'activité partielle au cours des 36 derniers mois : "
        "précisez les engagements que vous souscrivez (article R5122-9 du Code du travail)." in page
    )


def test_a_previous_authorisation_on_record_also_needs_commitments(client):
    account, establishment = employer_with_complete_fiche()
    make_accepted(account, establishment)

    start = paris_today() + datetime.timedelta(days=80)
    with pytest.raises(DapRuleError) as refused:
        services.save_draft(
            establishment=establishment,
            values=dap_values(start_date=start, end_date=start + datetime.timedelta(days=10)),
            actor=account,
        )

    assert "commitments" in refused.value.errors


def test_what_was_typed_comes_back_with_the_errors(client):
    account, establishment = employer_with_complete_fiche(workforce=50)

    _, page = _post(
        client,
        account,
        form_data(establishment, reason_details="Incendie de l'atelier", employees="17"),
    )

    assert "Incendie de l'atelier" in page
    assert 'value="17"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", "31/02/2026", "Saisissez une date valide (JJ/MM/AAAA)."),
        ("start_date", "9999-12-31", "Saisissez une date comprise entre 2000 et 2100."),
        ("hours_requested", "-3", "Saisissez un nombre d'heures positif"),
        ("hours_requested", "1e400", "Saisissez un nombre d'heures positif"),
        ("employees", "0", "Saisissez un nombre entier de salariés, au moins 1."),
        ("reason_details", "texte\x00nul", "Ce champ contient des caractères non autorisés."),
        ("reason_details", "x" * 3000, "2000 caractères"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(client, field, value, message):
    account, establishment = employer_with_complete_fiche()

    response, page = _post(client, account, form_data(establishment, **{field: value}))

    assert response.status_code == 400
    assert message in page


def test_hours_accept_a_decimal_comma(client):
    account, establishment = employer_with_complete_fiche()

    response, _ = _post(client, account, form_data(establishment, hours_requested="612,5"))

    assert response.status_code == 302
    assert str(AuthorisationRequest.objects.get().hours_requested) == "612.50"


def test_another_employers_establishment_cannot_be_chosen(client):
    account, _ = employer_with_complete_fiche()
    _, other = employer_with_complete_fiche()

    response, _ = _post(client, account, form_data(other))

    assert response.status_code == 400
    assert not AuthorisationRequest.objects.exists()


def test_the_create_page_says_the_rule_when_no_fiche_is_complete(client):
    account = employer_with_establishments(1)
    log_in(client, account)

    page = html.unescape(client.get("/espace/demandes-autorisation/nouvelle/").content.decode())

    assert "Votre fiche établissement est incomplète !" in page
    assert FICHE_INCOMPLETE in page
    assert "Enregistrer le brouillon" not in page


def test_the_cse_cannot_have_been_consulted_after_the_deposit(client):
    account, establishment = employer_with_complete_fiche(workforce=60)
    tomorrow = paris_today() + datetime.timedelta(days=1)

    response, page = _post(
        client,
        account,
        form_data(establishment, cse_consulted_on=tomorrow.isoformat(), cse_opinion="favorable"),
    )

    assert response.status_code == 400
    assert "La consultation du CSE ne peut pas être postérieure à la date du dépôt." in page
