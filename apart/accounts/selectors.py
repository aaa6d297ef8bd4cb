"""Reads on accounts."""

from django.conf import settings

from apart.accounts.logins import LOGIN_MAX_LENGTH, normalize_typed_login
from apart.accounts.models import Account
from apart.core.normalize import normalize_email


def _searchable(value: str, max_length: int) -> bool:
    # PostgreSQL rejects NUL bytes in text parameters; over-long values cannot match anything.
    # Lone surrogates cannot be encoded for the database either.
    if not value or "\x00" in value or len(value) > max_length:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def account_by_email(email: str) -> Account | None:
    """The account with this email, whatever its case and accents (emails are stored folded)."""
    normalized = normalize_email(email)
    if not _searchable(normalized, 254):
        return None
    return Account.objects.filter(email=normalized).first()


def account_by_login(login: str) -> Account | None:
    """The account with this login (identifiant), case-insensitively (logins are lower case)."""
    normalized = normalize_typed_login(login)
    if not _searchable(normalized, LOGIN_MAX_LENGTH):
        return None
    return Account.objects.filter(login=normalized).first()


def logins_starting_with(base: str) -> set[str]:
    return set(Account.objects.filter(login__startswith=base).values_list("login", flat=True))


def reserved_for_agents(email: str) -> bool:
    """True for an address at one of the agents' domains (APART_AGENT_EMAIL_DOMAINS or a
    subdomain): refused for every employer space whether an agent holds it or not, so the
    refusal tells nothing about which agents exist."""
    domain = normalize_email(email).rpartition("@")[2]
    return any(
        domain == reserved or domain.endswith("." + reserved)
        for reserved in settings.APART_AGENT_EMAIL_DOMAINS
    )
