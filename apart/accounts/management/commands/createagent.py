"""python manage.py createagent LOGIN --email EMAIL --role ROLE [--first-name ...] [--last-name ...]

Creates an ASP agent and prints its temporary password once (it must be changed at first login,
then the agent must enrol a second factor before reaching any page: docs/mfa.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apart.accounts.models import Account
from apart.accounts.services import EmailAlreadyUsedError, create_agent

AGENT_ROLES = [role.value for role in Account.Role if role != Account.Role.EMPLOYER]


class Command(BaseCommand):
    help = (
        "Crée un agent (instructeur, assistance, administrateur) avec un mot de passe temporaire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help="identifiant, ex. marie.durand")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=AGENT_ROLES)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            account, password = create_agent(
                login=options["login"],
                email=options["email"],
                role=options["role"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except EmailAlreadyUsedError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Agent {account.login} ({account.get_role_display()}) créé.")
        self.stdout.write(f"Mot de passe temporaire (affiché une seule fois) : {password}")
        self.stdout.write("Il devra être changé à la première connexion.")
        self.stdout.write(
            "L'agent devra ensuite enregistrer une double authentification (clé d'accès ou "
            "application d'authentification) : aucune page ne lui est accessible avant."
        )
