"""The login use case: limits, password check, refusals, session opening, audit.

Order of the checks, and why:
1. per-address limits (every attempt counted before any work; an address that already caused
   ``APART_LOGIN_IP_MAX_LOCKS`` lockouts in the hour is refused too, so that locking many people
   out takes many addresses);
2. the guess counter of the typed login: ONE atomic step checks it, counts the attempt and, at
   the last allowed attempt, starts the lock (apart.core.ratelimit ``hit(..., lock=...)``). Never
   reset while a lock runs, so parallel attempts cannot get more than APART_LOGIN_MAX_FAILURES
   password checks per lock period, and the right password is refused while locked;
3. the password, through Django's authenticate() (an unknown login is hashed too: timing does not
   tell which logins exist);
4. the temporary password (expired or already used);
5. the checks registered in settings.APART_LOGIN_CHECKS (habilitation gate...);
6. the second step (settings.APART_LOGIN_SECOND_STEP, apart.mfa): an account with a second factor
   gets no session yet, and its right password does not clear the counter: only the second factor
   does (then open_session), so alternating passwords and codes gives no extra guesses.

Limits are keyed by the typed login, whether an account has it or not, so that a locked unknown
login looks exactly like a locked real one. The lock ends by itself after
APART_LOGIN_LOCKOUT_SECONDS, at once with a password reset (the emailed link) or by the helpdesk.

Other guesses of the same person share this counter through ``claim_guess`` /
``guess_failed`` / ``guess_succeeded`` (the recent-authentication page, second-factor codes):
one lockout per login, never a second counter.
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
from django.utils.translation import gettext, gettext_noop

from apart.accounts import selectors
from apart.accounts.logins import normalize_typed_login
from apart.accounts.models import Account
from apart.accounts.sessions import forget_session, register_session, remember_access_checked
from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import client_ip, record_event
from apart.core import quotas, ratelimit

BAD_CREDENTIALS = gettext_noop("Identifiant ou mot de passe incorrect.")
BAD_PASSWORD = gettext_noop("Mot de passe incorrect.")
LOCKED = gettext_noop(
    "Votre compte est temporairement verrouillé à la suite de trop nombreuses tentatives de "
    "connexion. Vous pourrez réessayer à partir du {until}. Pour le débloquer tout de suite, "
    "cliquez sur « J'ai oublié mon mot de passe »."
)
IP_LIMITED = gettext_noop(
    "Trop de tentatives de connexion depuis votre adresse réseau. Vous pourrez réessayer à "
    "partir du {until}."
)
SITE_BUSY = gettext_noop(
    "Le service reçoit trop de demandes de connexion en ce moment. Vous pourrez réessayer à "
    "partir du {until}."
)
TEMPORARY_EXPIRED = gettext_noop(
    "Votre mot de passe temporaire a expiré ou a déjà été utilisé. Utilisez « J'ai oublié mon "
    "mot de passe » pour en choisir un nouveau."
)
FROZEN = gettext_noop(
    "Votre compte est bloqué par mesure de sécurité. Pour le débloquer, l'assistance "
    "téléphonique est à votre disposition de {hours} au {phone}."
)
SESSION_STARTED_AT = "apart_session_started_at"
# Last request of the session, for the idle timeout (apart.accounts.middleware).
LAST_SEEN = "apart_last_seen"


@dataclass(frozen=True)
class LoginOutcome:
    account: Account | None = None
    error: str = ""
    # Set when the refusal comes from a limit (lock of the login or of the address).
    retry_at: datetime | None = None
    # Set when the temporary password is no longer valid (the page offers recovery).
    temporary_expired: bool = False
    # Set when the password was right and a second factor is now asked at this address (the
    # account is then second_step_account, with no session yet).
    second_step_url: str = ""
    second_step_account: Account | None = None

    @property
    def succeeded(self) -> bool:
        return self.account is not None


def paris_time(moment: datetime) -> str:
    """« 26/11/2026 à 15:42 », Europe/Paris (the site's TIME_ZONE)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'd/m/Y')} à {date_format(local, 'H:i')}"


def _window(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def _guess_key(typed_login: str) -> str:
    return f"login-guesses:{typed_login}"


def _ip_locks_key(request: HttpRequest) -> str:
    return f"login-locks-by:{client_ip(request) or 'unknown'}"


def locked_until(login: str) -> datetime | None:
    """When the lock of this login ends, or None if it is not locked."""
    lock = ratelimit.peek(
        _guess_key(normalize_typed_login(login)),
        limit=settings.APART_LOGIN_MAX_FAILURES,
        window=_window("APART_LOGIN_LOCKOUT_SECONDS"),
    )
    return None if lock.allowed else lock.retry_at


def unlock_login(login: str) -> None:
    """Lift the lock of this login and forget its failed attempts (helpdesk, password reset)."""
    ratelimit.reset(_guess_key(normalize_typed_login(login)))


@dataclass(frozen=True)
class Guess:
    """One counted guess of a secret of the login (password, second-factor code...)."""

    login: str
    # Set when the guess must NOT be checked (login locked, address limited).
    refusal: LoginOutcome | None = None
    # This guess was the last one allowed: if it is wrong, the login is now locked until then.
    locks_at_failure: datetime | None = None


def claim_guess(*, request: HttpRequest, login: str) -> Guess:
    """Count one guess for ``login`` BEFORE checking it; check it only if ``refusal`` is None.

    Per-address limits first, then the login's counter in one atomic step, so that no more than
    APART_LOGIN_MAX_FAILURES guesses are ever checked per lock period, even in parallel."""
    typed = normalize_typed_login(login)
    by_ip = quotas.count(
        "login",
        address=client_ip(request) or "",
        per_address=settings.APART_LOGIN_IP_MAX_ATTEMPTS,
        window=_window("APART_LOGIN_IP_WINDOW_SECONDS"),
    )
    locks_by_ip = ratelimit.peek(
        _ip_locks_key(request), limit=settings.APART_LOGIN_IP_MAX_LOCKS, window=timedelta(hours=1)
    )
    refused_at = by_ip.retry_at if not by_ip.allowed else None
    if refused_at is None and not locks_by_ip.allowed:
        refused_at = locks_by_ip.retry_at
    if refused_at is not None:
        _record_failure(request, typed, reason="site_busy" if by_ip.site_wide else "ip_limited")
        message = SITE_BUSY if by_ip.site_wide else IP_LIMITED
        refusal = LoginOutcome(
            error=gettext(message).format(until=paris_time(refused_at)), retry_at=refused_at
        )
        return Guess(login=typed, refusal=refusal)

    max_failures = settings.APART_LOGIN_MAX_FAILURES
    attempt = ratelimit.hit(
        _guess_key(typed),
        limit=max_failures,
        window=_window("APART_LOGIN_FAILURE_WINDOW_SECONDS"),
        lock=_window("APART_LOGIN_LOCKOUT_SECONDS"),
    )
    if not attempt.allowed and attempt.retry_at is not None:
        # Locked (or parallel attempts beyond the limit): refused without checking anything.
        _record_failure(request, typed, reason="locked")
        return Guess(login=typed, refusal=_locked(attempt.retry_at))
    last = attempt.count >= max_failures
    return Guess(login=typed, locks_at_failure=attempt.ends_at if last else None)


def guess_failed(
    *, request: HttpRequest, guess: Guess, message: str = "", reason: str = "bad_credentials"
) -> LoginOutcome:
    """A checked guess was wrong: audit it; the lock message if it was the last allowed one."""
    if guess.locks_at_failure is not None:
        return _lock(request, guess.login, guess.locks_at_failure, reason=reason)
    _record_failure(request, guess.login, reason=reason)
    return LoginOutcome(error=message or gettext(BAD_CREDENTIALS))


def guess_succeeded(*, guess: Guess) -> None:
    """A checked guess was right: the failures before it no longer count."""
    ratelimit.reset(_guess_key(guess.login))


def attempt_login(*, request: HttpRequest, login_typed: str, password: str) -> LoginOutcome:
    """Log the person in, or say why not (one message for unknown login and wrong password)."""
    guess = claim_guess(request=request, login=login_typed)
    if guess.refusal is not None:
        return guess.refusal
    typed = guess.login

    account = authenticate(request, login=typed, password=password)
    if not isinstance(account, Account):
        return guess_failed(request=request, guess=guess)

    if account.must_change_password and not _temporary_password_valid(account):
        guess_succeeded(guess=guess)
        _record_failure(request, typed, reason="temporary_password_expired", account=account)
        return LoginOutcome(error=gettext(TEMPORARY_EXPIRED), temporary_expired=True)
    refusal, reason = _refusal_and_reason(account)
    if refusal:
        guess_succeeded(guess=guess)
        _record_failure(request, typed, reason=reason, account=account)
        return LoginOutcome(error=refusal)
    if settings.APART_LOGIN_SECOND_STEP:
        second_step_url = import_string(settings.APART_LOGIN_SECOND_STEP)(request, account)
        if second_step_url:
            return LoginOutcome(second_step_url=second_step_url, second_step_account=account)
    guess_succeeded(guess=guess)
    open_session(request, account)
    # The lock and the checks above are what AccountStateMiddleware would run again at the
    # session's first request: they passed a moment ago.
    remember_access_checked(request=request, account=account)
    return LoginOutcome(account=account)


def frozen_refusal(account: Account) -> str | None:
    """The refusal of a frozen account (« Ce n'était pas moi ? », or an agent's decision)."""
    if account.frozen_at is None:
        return None
    return gettext(FROZEN).format(
        hours=settings.APART_ASSISTANCE_HOURS, phone=settings.APART_ASSISTANCE_PHONE
    )


def _refusal_and_reason(account: Account) -> tuple[str | None, str]:
    frozen = frozen_refusal(account)
    if frozen:
        return frozen, "frozen"
    for dotted_path in settings.APART_LOGIN_CHECKS:
        refusal = import_string(dotted_path)(account)
        if refusal:
            return str(refusal), f"refused_by:{dotted_path}"
    return None, ""


def account_refusal(account: Account) -> str | None:
    """Why ``account`` may not use the site now (frozen, then the checks of
    settings.APART_LOGIN_CHECKS: habilitation gate...), or None. Every way in (login form,
    other login methods) and every request of an open session ask it."""
    return _refusal_and_reason(account)[0]


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    error: str = ""
    # Set when this failure locked the login (the session then ends at its next request).
    locked: bool = False


def verify_password(
    *, request: HttpRequest, account: Account, password: str, factor_follows: bool = False
) -> PasswordCheck:
    """Check the current password of a logged-in person (recent authentication), counted by the
    login's own guess counter (claim_guess): the failures of both pages add up, and a locked
    login refuses both. A success forgets the failures, as a successful login does."""
    guess = claim_guess(request=request, login=account.login)
    if guess.refusal is not None:
        return PasswordCheck(ok=False, error=guess.refusal.error, locked=True)
    if not account.check_password(password):
        outcome = guess_failed(
            request=request,
            guess=guess,
            message=gettext(BAD_PASSWORD),
            reason="reauth_bad_password",
        )
        return PasswordCheck(
            ok=False, error=outcome.error, locked=guess.locks_at_failure is not None
        )
    if not factor_follows:
        # With a second factor to come, only its success clears the failures (apart.mfa).
        guess_succeeded(guess=guess)
    return PasswordCheck(ok=True)


def _temporary_password_valid(account: Account) -> bool:
    expires_at = account.temporary_password_expires_at
    if account.temporary_password_used_at is not None:
        return False
    return expires_at is None or expires_at > timezone.now()


def _locked(until: datetime) -> LoginOutcome:
    return LoginOutcome(error=gettext(LOCKED).format(until=paris_time(until)), retry_at=until)


def _lock(request: HttpRequest, typed: str, until: datetime, *, reason: str) -> LoginOutcome:
    # The lock itself was set by the atomic count of this guess; this counts the lockouts caused
    # by the address (targeted lockouts of many people need many addresses) and audits it.
    ratelimit.hit(
        _ip_locks_key(request), limit=settings.APART_LOGIN_IP_MAX_LOCKS, window=timedelta(hours=1)
    )
    account = selectors.account_by_login(typed)
    with transaction.atomic():
        _record_failure(request, typed, reason=reason, account=account)
        record_event(
            action=AuditAction.ACCOUNT_LOCKED,
            account=account,
            target=account,
            outcome=AuditEvent.Outcome.FAILURE,
            new={"login_typed": typed[:150], "locked_until": until.isoformat()},
            context=AuditContext.from_request(request),
        )
    return _locked(until)


def _record_failure(
    request: HttpRequest, typed: str, *, reason: str, account: Account | None = None
) -> None:
    if account is None and reason not in {"ip_limited", "site_busy"}:
        account = selectors.account_by_login(typed)
    record_event(
        action=AuditAction.ACCOUNT_LOGIN_FAILED,
        account=account,
        target=account,
        outcome=AuditEvent.Outcome.FAILURE,
        new={"login_typed": _printable(typed)},
        reason=reason,
        context=AuditContext.from_request(request),
    )


def _printable(text: str) -> str:
    # What was typed goes into a JSON column: no NUL bytes, no lone surrogates, bounded length.
    return text[:150].encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def open_session(request: HttpRequest, account: Account, *, method: str = "password") -> None:
    """New session key (django.contrib.auth.login cycles it), start time for the absolute
    timeout, temporary password marked as used (password logins), audit row. ``method`` is
    "password" or the identity provider's name ("proconnect")."""
    now = timezone.now()
    with transaction.atomic():
        login(request, account)
        audit = AuditContext.from_request(request)
        request.session[SESSION_STARTED_AT] = now.timestamp()
        # Written with the rest by this response: the next request need not rewrite the session.
        request.session[LAST_SEEN] = now.timestamp()
        register_session(request=request, account=account)
        fields = ["last_login", "last_login_ip", "updated_at"]
        account.last_login = now
        account.last_login_ip = audit.ip_address
        if (
            method == "password"
            and account.must_change_password
            and account.temporary_password_used_at is None
        ):
            account.temporary_password_used_at = now
            fields.append("temporary_password_used_at")
        account.save(update_fields=fields)
        record_event(
            action=AuditAction.ACCOUNT_LOGIN,
            actor=account,
            account=account,
            target=account,
            new={"method": method},
            context=audit,
        )


def log_out(request: HttpRequest) -> None:
    """End the session (its data is flushed, the key cannot be reused) and audit it."""
    user = request.user
    if isinstance(user, Account):
        record_event(
            action=AuditAction.ACCOUNT_LOGOUT,
            actor=user,
            account=user,
            context=AuditContext.from_request(request),
        )
        forget_session(request.session.session_key)
    logout(request)
