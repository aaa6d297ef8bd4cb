import io
import re

import pytest
from django.core.management import CommandError, call_command

from apart.accounts.models import Account
from apart.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("createagent", *args, stdout=out)
    return out.getvalue()


def test_createagent_prints_the_temporary_password_once():
    output = create(
        "marie.durand",
        "--email",
        "Marie.Durand@ASP.fr",
        "--role",
        "instructeur",
        "--first-name",
        "Marie",
        "--last-name",
        "Durand",
    )

    password = re.search(r"Mot de passe temporaire \(affiché une seule fois\) : (\S+)", output)
    agent = Account.objects.get(login="marie.durand")
    assert password is not None
    assert agent.check_password(password.group(1))
    assert agent.must_change_password
    assert agent.role == Account.Role.INSTRUCTOR
    assert agent.email == "marie.durand@asp.fr"
    assert not agent.is_staff
    assert AuditEvent.objects.filter(action="account.created", account=agent).exists()


def test_an_administrator_is_staff():
    create("admin.asp", "--email", "admin@asp.fr", "--role", "administrateur")

    assert Account.objects.get(login="admin.asp").is_staff


@pytest.mark.parametrize(
    "args",
    [
        ("marie.durand", "--email", "m@asp.fr", "--role", "employeur"),
        ("Marie Durand", "--email", "m@asp.fr", "--role", "assistance"),
        ("marie\x00durand", "--email", "m@asp.fr", "--role", "assistance"),
    ],
)
def test_a_wrong_role_or_login_is_refused(args):
    with pytest.raises(CommandError):
        create(*args)
    assert not Account.objects.exists()


def test_a_taken_login_or_email_is_refused():
    create("marie.durand", "--email", "m@asp.fr", "--role", "assistance")

    with pytest.raises(CommandError):
        create("marie.durand", "--email", "autre@asp.fr", "--role", "assistance")
    with pytest.raises(CommandError):
        create("autre.agent", "--email", "M@asp.fr", "--role", "assistance")
    assert Account.objects.count() == 1


def test_createagent_says_the_agent_must_enrol_a_second_factor():
    output = create("paul.martin", "--email", "paul.martin@asp.fr", "--role", "assistance")

    assert "devra ensuite enregistrer une double authentification" in output
