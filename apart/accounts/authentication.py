"""The login use case: limits, password check, refusals, session opening, audit.

Order of the checks, and why:
1. per-IP limit (counted on every attempt, before any work);
2. lock of the typed login (« verrouillé jusqu'à ... »);
3. attempt counter of the typed login, counted BEFORE the password is checked, so that parallel
   attempts cannot get more than APART_LOGIN_MAX_FAILURES password checks in a window;
4. the password, through Django's authenticate() (an unknown login is hashed too: timing does not
   tell which logins exist);
5. the temporary password (expired or already used);
6. the checks registered in settings.APART_LOGIN_CHECKS (habilitation gate...).

Limits are keyed by the typed login, whether an account has it or not, so that a locked unknown
login looks exactly like a locked real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string

from apart.accounts import selectors
from apart.accounts.logins import normalize_typed_login
from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.audit.services import client_ip, record_event
from apart.core import ratelimit

BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."
LOCKED = (
    "Votre compte est temporairement verrouillé à la suite de trop nombreuses tentatives de "
    "connexion. Vous pourrez réessayer à partir du {until}."
)
IP_LIMITED = (
    "Trop de tentatives de connexion depuis votre adresse réseau. Vous pourrez réessayer à "
    "partir du {until}."
)
TEMPORARY_EXPIRED = (
    "Votre mot de passe temporaire a expiré ou a déjà été utilisé. Utilisez « J'ai oublié mon "
    "mot de passe » pour en choisir un nouveau."
)
SESSION_STARTED_AT = "apart_session_started_at"


@dataclass(frozen=True)
class LoginOutcome:
    account: Account | None = None
    error: str = ""
    # Set when the refusal comes from a limit (lock of the login or of the address).
    retry_at: datetime | None = None
    # Set when the temporary password is no longer valid (the page offers recovery).
    temporary_expired: bool = False

    @property
    def succeeded(self) -> bool:
        return self.account is not None


def paris_time(moment: datetime) -> str:
    """« 26/11/2026 à 15:42 », Europe/Paris (the site's TIME_ZONE)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'd/m/Y')} à {date_format(local, 'H:i')}"


def _window(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def _keys(typed_login: str) -> tuple[str, str]:
    return f"login-attempts:{typed_login}", f"login-lock:{typed_login}"


def locked_until(login: str) -> datetime | None:
    """When the lock of this login ends, or None if it is not locked."""
    _, lock_key = _keys(normalize_typed_login(login))
    lock = ratelimit.peek(lock_key, limit=1, window=_window("APART_LOGIN_LOCKOUT_SECONDS"))
    return None if lock.allowed else lock.retry_at


def unlock_login(login: str) -> None:
    """Lift the lock of this login and forget its failed attempts (helpdesk, password reset)."""
    for key in _keys(normalize_typed_login(login)):
        ratelimit.reset(key)


def attempt_login(*, request: HttpRequest, login_typed: str, password: str) -> LoginOutcome:
    """Log the person in, or say why not (one message for unknown login and wrong password)."""
    typed = normalize_typed_login(login_typed)
    attempts_key, lock_key = _keys(typed)
    lock_window = _window("APART_LOGIN_LOCKOUT_SECONDS")

    by_ip = ratelimit.hit(
        f"login-ip:{client_ip(request) or 'unknown'}",
        limit=settings.APART_LOGIN_IP_MAX_ATTEMPTS,
        window=_window("APART_LOGIN_IP_WINDOW_SECONDS"),
    )
    if not by_ip.allowed and by_ip.retry_at is not None:
        _record_failure(request, typed, reason="ip_limited")
        return LoginOutcome(
            error=IP_LIMITED.format(until=paris_time(by_ip.retry_at)), retry_at=by_ip.retry_at
        )

    lock = ratelimit.peek(lock_key, limit=1, window=lock_window)
    if not lock.allowed and lock.retry_at is not None:
        _record_failure(request, typed, reason="locked")
        return _locked(lock.retry_at)

    attempt = ratelimit.hit(
        attempts_key,
        limit=settings.APART_LOGIN_MAX_FAILURES,
        window=_window("APART_LOGIN_FAILURE_WINDOW_SECONDS"),
    )
    if not attempt.allowed and attempt.retry_at is not None:
        # Parallel attempts beyond the limit: refused without checking the password.
        _record_failure(request, typed, reason="too_many_attempts")
        return _locked(attempt.retry_at)

    account = authenticate(request, login=typed, password=password)
    if not isinstance(account, Account):
        if attempt.count >= settings.APART_LOGIN_MAX_FAILURES:
            return _lock(request, typed, lock_window)
        _record_failure(request, typed, reason="bad_credentials")
        return LoginOutcome(error=BAD_CREDENTIALS)

    ratelimit.reset(attempts_key)
    if account.must_change_password and not _temporary_password_valid(account):
        _record_failure(request, typed, reason="temporary_password_expired", account=account)
        return LoginOutcome(error=TEMPORARY_EXPIRED, temporary_expired=True)
    for dotted_path in settings.APART_LOGIN_CHECKS:
        refusal = import_string(dotted_path)(account)
        if refusal:
            _record_failure(request, typed, reason=f"refused_by:{dotted_path}", account=account)
            return LoginOutcome(error=str(refusal))
    _open_session(request, account)
    return LoginOutcome(account=account)


def _temporary_password_valid(account: Account) -> bool:
    expires_at = account.temporary_password_expires_at
    if account.temporary_password_used_at is not None:
        return False
    return expires_at is None or expires_at > timezone.now()


def _locked(until: datetime) -> LoginOutcome:
    return LoginOutcome(error=LOCKED.format(until=paris_time(until)), retry_at=until)


def _lock(request: HttpRequest, typed: str, lock_window: timedelta) -> LoginOutcome:
    attempts_key, lock_key = _keys(typed)
    lock = ratelimit.hit(lock_key, limit=0, window=lock_window)
    ratelimit.reset(attempts_key)
    until = lock.retry_at or timezone.now() + lock_window
    account = selectors.account_by_login(typed)
    with transaction.atomic():
        _record_failure(request, typed, reason="bad_credentials", account=account)
        record_event(
            action="account.locked",
            account=account,
            target=account,
            outcome=AuditEvent.Outcome.FAILURE,
            new={"login_typed": typed[:150], "locked_until": until.isoformat()},
            request=request,
        )
    return _locked(until)


def _record_failure(
    request: HttpRequest, typed: str, *, reason: str, account: Account | None = None
) -> None:
    if account is None and reason == "bad_credentials":
        account = selectors.account_by_login(typed)
    record_event(
        action="account.login_failed",
        account=account,
        target=account,
        outcome=AuditEvent.Outcome.FAILURE,
        new={"login_typed": _printable(typed)},
        reason=reason,
        request=request,
    )


def _printable(text: str) -> str:
    # What was typed goes into a JSON column: no NUL bytes, no lone surrogates, bounded length.
    return text[:150].encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _open_session(request: HttpRequest, account: Account) -> None:
    """New session key (django.contrib.auth.login cycles it), start time for the absolute
    timeout, temporary password marked as used, audit row."""
    now = timezone.now()
    with transaction.atomic():
        login(request, account)
        request.session[SESSION_STARTED_AT] = now.timestamp()
        fields = ["last_login", "last_login_ip", "updated_at"]
        account.last_login = now
        account.last_login_ip = client_ip(request)
        if account.must_change_password and account.temporary_password_used_at is None:
            account.temporary_password_used_at = now
            fields.append("temporary_password_used_at")
        account.save(update_fields=fields)
        record_event(
            action="account.login",
            actor=account,
            account=account,
            target=account,
            request=request,
        )


def log_out(request: HttpRequest) -> None:
    """End the session (its data is flushed, the key cannot be reused) and audit it."""
    user = request.user
    if isinstance(user, Account):
        record_event(action="account.logout", actor=user, account=user, request=request)
    logout(request)
