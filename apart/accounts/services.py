"""Changes of state of accounts. Each function runs in one transaction and writes its audit row."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apart.accounts import selectors
from apart.accounts.freezing import notify_sensitive_change
from apart.accounts.logins import base_login, is_valid_login, smallest_free_login
from apart.accounts.models import Account
from apart.accounts.passwords import generate_temporary_password
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.errors import UserError
from apart.core.normalize import fold, normalize_email

_LOGIN_ATTEMPTS = 20
SECRET_QUESTION_CHANGE = "la modification de votre question secrète"  # noqa: S105 (a message)


EMAIL_ALREADY_USED = "Cette adresse de courriel est déjà utilisée par un autre compte."


class EmailAlreadyUsedError(UserError):
    """Another account already has this email (one person = one ASP account)."""


def create_account(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    secret_question: str,
    secret_answer: str,
    audit: AuditContext = SYSTEM,
    actor: Account | None = None,
    role: str = Account.Role.EMPLOYER,
    temporary_password: bool = True,
) -> tuple[Account, str]:
    """Create an ASP account with a generated login and a temporary password.

    With ``temporary_password=False`` (a person who signs in through ProConnect) the account has
    no usable password and the returned password is "": nothing is to be sent.

    Returns the account and the plaintext temporary password (to put in the email only). The
    login is « prénom.nom », or the same followed by the smallest number that makes it unique; a
    concurrent creation of the same name makes the insert fail in its savepoint and the next free
    login is taken, so this can run inside the caller's transaction. Raises
    EmailAlreadyUsedError when the email belongs to another account. Sends no email.
    """
    role = Account.Role(role)
    email = normalize_email(email)
    base = base_login(first_name=first_name, last_name=last_name)
    # Both Argon2id hashes (secret answer, temporary password) are computed before the first
    # write: the new account row and its unique login are then not held locked while the CPU
    # hashes (the surge profile showed concurrent registrations waiting on each other's hashes).
    candidate = Account(login=base, first_name=first_name, last_name=last_name, email=email)
    with_password = temporary_password
    temporary = generate_temporary_password(candidate) if with_password else ""
    password_hash = make_password(temporary if with_password else None)
    answer_hash = make_password(fold(secret_answer)) if secret_answer else ""
    with transaction.atomic():
        account = _insert_with_free_login(
            base=base,
            fields={
                "first_name": first_name.strip(),
                "last_name": last_name.strip(),
                "email": email,
                "phone": phone.strip(),
                "role": role,
                "is_staff": role == Account.Role.ADMINISTRATOR,
                "is_superuser": role == Account.Role.ADMINISTRATOR,
                "secret_question": secret_question.strip(),
                "secret_answer_hash": answer_hash,
                "password": password_hash,
                "must_change_password": with_password,
                "temporary_password_expires_at": timezone.now()
                + timedelta(days=settings.APART_TEMPORARY_PASSWORD_DAYS)
                if with_password
                else None,
            },
        )
        if with_password and account.login != base and not _acceptable_password(temporary, account):
            # The policy compares the password with the login, which got a number: check again.
            temporary = _give_temporary_password(account)
        record_event(
            action=AuditAction.ACCOUNT_CREATED,
            actor=actor or account,
            account=account,
            target=account,
            new={"login": account.login, "email": account.email, "role": account.role},
            context=audit,
        )
    return account, temporary


def spend_account_creation_work(*, first_name: str, last_name: str, secret_answer: str) -> None:
    """The hashing work of ``create_account`` (temporary password and secret answer, two Argon2id
    hashes), for a path that creates no account: registration with an email that already has
    one then lasts as long as with a new email, so its duration does not tell which emails are
    known (docs/security.md, « No account enumeration »)."""
    candidate = Account(login=base_login(first_name=first_name, last_name=last_name))
    make_password(generate_temporary_password(candidate))
    if secret_answer:
        make_password(fold(secret_answer))


def _acceptable_password(password: str, account: Account) -> bool:
    try:
        validate_password(password, account)
    except ValidationError:
        return False
    return True


def _insert_with_free_login(*, base: str, fields: dict[str, object]) -> Account:
    for _ in range(_LOGIN_ATTEMPTS):
        login = smallest_free_login(base, selectors.logins_starting_with(base))
        try:
            with transaction.atomic():
                return Account.objects.create(login=login, **fields)
        except IntegrityError:
            if selectors.account_by_email(str(fields["email"])) is not None:
                raise EmailAlreadyUsedError(EMAIL_ALREADY_USED, field="email") from None
            # Another transaction took this login meanwhile: look again.
    raise RuntimeError(f"no free login found for {base!r} after {_LOGIN_ATTEMPTS} attempts")


def _give_temporary_password(account: Account) -> str:
    password = generate_temporary_password(account)
    account.set_password(password)
    account.must_change_password = True
    account.temporary_password_expires_at = timezone.now() + timedelta(
        days=settings.APART_TEMPORARY_PASSWORD_DAYS
    )
    account.temporary_password_used_at = None
    account.save(
        update_fields=[
            "password",
            "must_change_password",
            "temporary_password_expires_at",
            "temporary_password_used_at",
            "updated_at",
        ]
    )
    return password


def issue_temporary_password(
    *, account: Account, actor: Account | None = None, audit: AuditContext = SYSTEM
) -> str:
    """Replace the password by a new temporary one (first-login change required again)."""
    with transaction.atomic():
        password = _give_temporary_password(account)
        record_event(
            action=AuditAction.ACCOUNT_TEMPORARY_PASSWORD_ISSUED,
            actor=actor or account,
            account=account,
            target=account,
            context=audit,
        )
    return password


def check_secret_answer(*, account: Account, answer: str) -> bool:
    """Whether ``answer`` matches the stored (hashed) one, after folding case, accents and
    spaces. Constant time: a hash is computed even when the account has no answer."""
    if not account.secret_answer_hash:
        make_password(fold(answer))  # same cost as a real check
        return False
    return check_password(fold(answer), account.secret_answer_hash)


def set_secret_question(
    *,
    account: Account,
    question: str,
    answer: str,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> None:
    """Store the secret question (free text, as in the guide) and the hash of its folded answer.

    Replacing an existing question is a sensitive change: the account's address is told, with
    « Ce n'était pas moi ? » (choosing the first one, or one after a helpdesk reset, is not)."""
    question = question.strip()
    if not question or not fold(answer):
        raise ValueError("the secret question and its answer cannot be empty")
    had_question = bool(account.secret_question)
    with transaction.atomic():
        account.secret_question = question
        account.secret_answer_hash = make_password(fold(answer))
        account.save(update_fields=["secret_question", "secret_answer_hash", "updated_at"])
        record_event(
            action=AuditAction.ACCOUNT_SECRET_QUESTION_SET,
            actor=actor or account,
            account=account,
            target=account,
            new={"secret_question": question},
            context=audit,
        )
        if had_question:
            notify_sensitive_change(
                account=account,
                change=SECRET_QUESTION_CHANGE,
                recipients=[account.email],
                actor=actor,
                audit=audit,
            )


def create_agent(
    *,
    login: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> tuple[Account, str]:
    """Create an ASP agent (instructeur, assistance, administrateur) with the login given.

    Returns the account and its temporary password (same first-login change as employers).
    Administrators are staff and superusers of the Django admin; other agents are neither.
    Raises ValueError for a role that is not an agent's, an invalid or taken login, or
    EmailAlreadyUsedError.
    """
    role = Account.Role(role)
    if role == Account.Role.EMPLOYER:
        raise ValueError("an agent's role is instructeur, assistance or administrateur")
    if not is_valid_login(login):
        raise ValueError("a login is lower-case letters, digits, '.', '-' or '_'")
    email = normalize_email(email)
    if selectors.account_by_email(email) is not None:
        raise EmailAlreadyUsedError(EMAIL_ALREADY_USED, field="email")
    is_admin = role == Account.Role.ADMINISTRATOR
    with transaction.atomic():
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    login=login,
                    email=email,
                    role=role,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
        except IntegrityError:
            raise ValueError(f"the login {login!r} is already taken") from None
        password = _give_temporary_password(account)
        record_event(
            action=AuditAction.ACCOUNT_CREATED,
            actor=actor,
            account=account,
            target=account,
            new={"login": account.login, "email": account.email, "role": account.role},
            context=audit,
        )
    return account, password


def change_password(
    *,
    account: Account,
    new_password: str,
    keep_session_key: str | None = None,
    audit: AuditContext = SYSTEM,
) -> None:
    """Set the person's own new password (already validated against the policy).

    The temporary password stops working; every other session of the account ends at once
    (end_sessions; ``keep_session_key``, the caller's own, is kept: its caller decides), and any
    session missed by the index ends at its next request because sessions carry a hash of the
    password (django.contrib.auth's session auth hash) that no longer matches.
    """
    with transaction.atomic():
        account.set_password(new_password)
        account.must_change_password = False
        account.temporary_password_expires_at = None
        account.temporary_password_used_at = None
        account.password_changed_at = timezone.now()
        account.save(
            update_fields=[
                "password",
                "must_change_password",
                "temporary_password_expires_at",
                "temporary_password_used_at",
                "password_changed_at",
                "updated_at",
            ]
        )
        ended = end_sessions(account=account, keep_session_key=keep_session_key)
        record_event(
            action=AuditAction.ACCOUNT_PASSWORD_CHANGED,
            actor=account,
            account=account,
            target=account,
            new={"other_sessions_ended": ended},
            context=audit,
        )


def set_account_active(
    *, account: Account, active: bool, actor: Account | None, audit: AuditContext = SYSTEM
) -> None:
    """Activate or deactivate an account (administrators, in the admin). A deactivated account
    loses every session at once (Django also refuses inactive users on each request)."""
    with transaction.atomic():
        was_active = Account.objects.filter(pk=account.pk).values_list("is_active", flat=True)
        before = bool(was_active.first())
        account.is_active = active
        account.save(update_fields=["is_active", "updated_at"])
        ended = 0 if active else end_sessions(account=account)
        record_event(
            action=AuditAction.ACCOUNT_ACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED,
            actor=actor,
            account=account,
            target=account,
            old={"is_active": before},
            new={"is_active": active, "sessions_ended": ended},
            context=audit,
        )
