"""`import_asp_accounts`: the sibling extranets' accounts, so that the guide's case 3 is real."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from tests.habilitations.factories import make_account, make_agent

pytestmark = pytest.mark.django_db

HEADER = "login,nom,prenom,courriel,telephone,application,sirets,date_debut,date_fin\n"
SIRET_A = "55208131766522"
SIRET_B = "73282932000074"


def _run(tmp_path, body, header=HEADER):
    path = tmp_path / "comptes.csv"
    path.write_text(header + body, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_asp_accounts", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


LINE = (
    f'ilmen.foplus,FOPLUS,Ilmen,Ilmen.Foplus@Exemple.fr,0102030405,SYLAE,"{SIRET_A};{SIRET_B}",'
    "01/01/2026,01/01/2099\n"
)


def test_an_imported_account_keeps_its_login_and_has_no_usable_password(tmp_path):
    _run(tmp_path, LINE)

    account = Account.objects.get(login="ilmen.foplus")
    assert (account.last_name, account.first_name) == ("FOPLUS", "Ilmen")
    assert account.email == "ilmen.foplus@exemple.fr"
    assert account.role == Account.Role.EMPLOYER
    assert not account.has_usable_password()


def test_an_imported_account_receives_no_email(tmp_path):
    _run(tmp_path, LINE)

    assert OutboundEmail.objects.count() == 0


def test_the_habilitation_is_for_the_sibling_application_with_its_sirets(tmp_path):
    _run(tmp_path, LINE)

    habilitation = Habilitation.objects.get(account__login="ilmen.foplus")
    assert habilitation.application.code == "SYLAE"
    assert habilitation.status == Habilitation.Status.ACTIVE
    assert habilitation.start_date == datetime.date(2026, 1, 1)
    assert habilitation.external_sirets == [SIRET_A, SIRET_B]
    assert habilitation.establishments.count() == 0
    assert habilitation.events.get().reason == "Import Sylaé"
    assert AuditEvent.objects.filter(action="habilitation.imported").count() == 1


def test_sirets_may_be_separated_by_a_pipe_and_the_application_named(tmp_path):
    _run(tmp_path, f"a.b,B,A,a.b@exemple.fr,,Service Civique,{SIRET_A}|{SIRET_B},2026-01-01,\n")

    habilitation = Habilitation.objects.get(account__login="a.b")
    assert habilitation.application.code == "SERVICE_CIVIQUE"
    assert habilitation.external_sirets == [SIRET_A, SIRET_B]
    assert habilitation.end_date == datetime.date(2027, 1, 1)


def test_a_semicolon_separated_file_is_read_too(tmp_path):
    _run(
        tmp_path,
        f"a.b;B;A;a.b@exemple.fr;;ELISA;{SIRET_A}|{SIRET_B};01/01/2026;\n",
        header=HEADER.replace(",", ";"),
    )

    assert Habilitation.objects.get(account__login="a.b").application.code == "ELISA"


def test_running_the_import_twice_changes_nothing_the_second_time(tmp_path):
    _run(tmp_path, LINE)
    audit_rows = AuditEvent.objects.count()

    out, _ = _run(tmp_path, LINE)

    assert Account.objects.count() == 1
    assert Habilitation.objects.count() == 1
    assert AuditEvent.objects.count() == audit_rows
    assert "Lignes inchangées : 1" in out


def test_a_second_run_updates_what_changed(tmp_path):
    _run(tmp_path, LINE)

    _run(tmp_path, LINE.replace("0102030405", "0611223344").replace("01/01/2099", "01/06/2099"))

    account = Account.objects.get(login="ilmen.foplus")
    assert account.phone == "0611223344"
    habilitation = Habilitation.objects.get(account=account)
    assert habilitation.end_date == datetime.date(2099, 6, 1)
    assert habilitation.events.count() == 2


def test_a_past_end_date_imports_an_expired_habilitation(tmp_path):
    _run(tmp_path, LINE.replace("01/01/2099", "01/01/2020").replace("01/01/2026", "01/01/2019"))

    assert Habilitation.objects.get().status == Habilitation.Status.EXPIRED


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (LINE.replace("SYLAE", "INCONNUE"), "application inconnue : « INCONNUE »"),
        (LINE.replace("SYLAE", "APART"), "les habilitations à l'Activité Partielle"),
        (LINE.replace(SIRET_B, "12345678901234"), "SIRET invalide : « 12345678901234 »"),
        (LINE.replace("01/01/2026", "31/02/2026"), "date_debut invalide"),
        (LINE.replace("01/01/2099", "01/01/2025"), "la date de fin doit être postérieure"),
        (LINE.replace("Ilmen.Foplus@Exemple.fr", "pas-un-courriel"), "courriel invalide"),
        (LINE.replace("ilmen.foplus", "ilmen foplus"), "identifiant invalide"),
        (LINE.replace("FOPLUS", ""), "colonne nom vide"),
        (LINE.replace("FOPLUS", "X" * 101), "colonne nom trop longue"),
        (LINE.replace("FOPLUS", "FO\x00PLUS"), "caractères de contrôle"),
    ],
)
def test_each_rejected_line_is_reported_with_its_number_and_reason(tmp_path, line, reason):
    out, err = _run(tmp_path, LINE.replace("ilmen.foplus", "first.line") + line)

    assert f"Ligne 3 rejetée : {reason}" in err
    assert "Lignes rejetées : 1." in out
    assert Account.objects.count() == 1


def test_an_email_already_used_by_another_login_is_rejected(tmp_path):
    make_account(login="autre.personne", email="ilmen.foplus@exemple.fr")

    _, err = _run(tmp_path, LINE)

    assert "Ligne 2 rejetée : courriel déjà utilisé par un autre compte" in err
    assert not Account.objects.filter(login="ilmen.foplus").exists()


def test_an_agents_login_is_never_overwritten(tmp_path):
    make_agent(login="ilmen.foplus")

    _, err = _run(tmp_path, LINE)

    assert "Ligne 2 rejetée : cet identifiant est celui d'un agent" in err


def test_a_file_without_the_expected_columns_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Colonnes manquantes : sirets"):
        _run(tmp_path, "", header=HEADER.replace("sirets,", ""))
