"""The emails that give an account its credentials (the guide's two emails of case 1): the login,
then the temporary password, each on its own."""

from apart.accounts.models import Account
from apart.notifications.services import queue_email


def queue_login_email(*, account: Account) -> None:
    """« Votre identifiant »: the login, with the person's name."""
    queue_email(
        to=account.email,
        template="registration/emails/login",
        context={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "login": account.login,
        },
        account=account,
    )


def queue_credentials(*, account: Account, password: str) -> None:
    """A new account's two emails: the login, then the temporary password."""
    queue_login_email(account=account)
    queue_email(
        to=account.email,
        template="registration/emails/password",
        context={"password": password},
        account=account,
        sensitive=True,
    )
