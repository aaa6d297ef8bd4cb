"""Changes of the second factors. Each runs in one transaction with its audit row and the email
that tells the holder (enrolment, removal, recovery codes, helpdesk reset)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.errors import UserError
from apart.mfa import crypto, recovery_codes, selectors, totp
from apart.mfa.models import Passkey, RecoveryCode, TotpDevice
from apart.mfa.passkeys import NewCredential
from apart.notifications.services import queue_email

EMAIL_TEMPLATE = "mfa/emails/security_change"


class MfaError(UserError):
    """A change of the second factors refused (French message, beside ``field`` when a form
    shows it)."""


WRONG_CODE = gettext_noop(
    "Code incorrect. Saisissez le code à 6 chiffres affiché par votre application."
)
ALREADY_REGISTERED = gettext_noop("Cette clé d'accès est déjà enregistrée.")
LAST_FACTOR = gettext_noop(
    "Vous ne pouvez pas supprimer votre dernier moyen de double authentification : ajoutez-en "
    "un autre avant de supprimer celui-ci."
)


def _notify(account: Account, *, headline: str, change: str) -> None:
    queue_email(
        to=account.email,
        template=EMAIL_TEMPLATE,
        context={"login": account.login, "headline": headline, "change": change},
        account=account,
    )


def _fresh_recovery_codes(account: Account) -> list[str]:
    """Replace the account's recovery codes by ten new ones; returns them readable, once."""
    codes = recovery_codes.generate()
    RecoveryCode.objects.filter(account=account).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(account=account, code_hash=make_password(code)) for code in codes]
    )
    return [recovery_codes.display(code) for code in codes]


def _codes_if_first_factor(account: Account) -> list[str]:
    if selectors.unused_recovery_codes(account):
        return []
    return _fresh_recovery_codes(account)


def add_totp_device(
    *, account: Account, name: str, secret: str, code: str, audit: AuditContext = SYSTEM
) -> list[str]:
    """Enrol an authenticator app once it has shown the right code for ``secret``.

    The step of that code counts as used, so it cannot open a session afterwards. Returns the
    new recovery codes when the account had none left (first factor), else an empty list.
    """
    step = totp.matching_step(secret, code)
    if step is None:
        raise MfaError(gettext(WRONG_CODE), field="code")
    now = timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.create(
            account=account,
            name=name,
            encrypted_secret=crypto.encrypt(secret),
            last_used_step=step,
            last_used_at=now,
        )
        codes = _codes_if_first_factor(account)
        record_event(
            action=AuditAction.MFA_TOTP_ADDED,
            actor=account,
            account=account,
            target=device,
            new={"name": name, "recovery_codes_generated": bool(codes)},
            context=audit,
        )
        _notify(
            account,
            headline="application d'authentification ajoutée",
            change=f"L'application d'authentification « {name} » a été ajoutée à votre compte.",
        )
    return codes


def add_passkey(
    *,
    account: Account,
    name: str,
    credential: NewCredential,
    audit: AuditContext = SYSTEM,
) -> list[str]:
    """Enrol a passkey or security key already verified by apart.mfa.passkeys."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                passkey = Passkey.objects.create(
                    account=account,
                    name=name,
                    credential_id=credential.credential_id,
                    public_key=credential.public_key,
                    sign_count=credential.sign_count,
                    transports=credential.transports,
                )
        except IntegrityError:
            raise MfaError(gettext(ALREADY_REGISTERED), field="name") from None
        codes = _codes_if_first_factor(account)
        record_event(
            action=AuditAction.MFA_PASSKEY_ADDED,
            actor=account,
            account=account,
            target=passkey,
            new={"name": name, "recovery_codes_generated": bool(codes)},
            context=audit,
        )
        _notify(
            account,
            headline="clé d'accès ajoutée",
            change=f"La clé d'accès « {name} » a été ajoutée à votre compte.",
        )
    return codes


def remove_factor(
    *, account: Account, factor: TotpDevice | Passkey, audit: AuditContext = SYSTEM
) -> None:
    """Remove one of the account's factors. The last one cannot go when a factor is required
    (agents; employers when APART_MFA_REQUIRED_FOR_EMPLOYERS); when an employer removes the last
    one, the recovery codes go with it (there is nothing left for them to stand in for)."""
    if factor.account_id != account.pk:
        raise MfaError(gettext("Ce moyen de double authentification n'existe pas."))
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=account.pk).first()  # serialise removals
        remaining = selectors.factors_of(account).count - 1
        if remaining < 1 and selectors.factor_required(account):
            raise MfaError(gettext(LAST_FACTOR))
        kind = "passkey" if isinstance(factor, Passkey) else "totp"
        name = factor.name
        factor.delete()
        if remaining < 1:
            RecoveryCode.objects.filter(account=account).delete()
        record_event(
            action=AuditAction.MFA_FACTOR_REMOVED,
            actor=account,
            account=account,
            old={"kind": kind, "name": name},
            new={"factors_left": remaining},
            context=audit,
        )
        what = "La clé d'accès" if kind == "passkey" else "L'application d'authentification"
        _notify(
            account,
            headline="moyen de double authentification supprimé",
            change=f"{what} « {name} » a été supprimée de votre compte.",
        )


def regenerate_recovery_codes(*, account: Account, audit: AuditContext = SYSTEM) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not selectors.has_factor(account):
        raise MfaError(
            gettext("Ajoutez d'abord une clé d'accès ou une application d'authentification.")
        )
    with transaction.atomic():
        codes = _fresh_recovery_codes(account)
        record_event(
            action=AuditAction.MFA_RECOVERY_CODES_GENERATED,
            actor=account,
            account=account,
            context=audit,
        )
        _notify(
            account,
            headline="nouveaux codes de secours",
            change=(
                "De nouveaux codes de secours ont été générés pour votre compte ; les anciens "
                "ne fonctionnent plus."
            ),
        )
    return codes


def verify_totp(*, account: Account, code: str) -> TotpDevice | None:
    """The account's app that shows ``code`` now (±1 step), if that step was not used yet.

    The step is recorded with a conditional update: two requests with the same code cannot
    both succeed (replay refused, ASVS 6.5.1)."""
    now = timezone.now()
    for device in TotpDevice.objects.filter(account=account):
        step = totp.matching_step(crypto.decrypt(device.encrypted_secret), code, at=now)
        if step is None:
            continue
        fresh = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
        if TotpDevice.objects.filter(fresh, pk=device.pk).update(
            last_used_step=step, last_used_at=now
        ):
            return device
    return None


def use_recovery_code(*, account: Account, code: str, audit: AuditContext = SYSTEM) -> bool:
    """Spend one recovery code (single use, even under concurrent requests); the holder is told
    by email how many are left."""
    if not recovery_codes.plausible(code):
        return False
    typed = recovery_codes.normalize(code)
    for candidate in RecoveryCode.objects.filter(account=account, used_at__isnull=True):
        if not check_password(typed, candidate.code_hash):
            continue
        with transaction.atomic():
            now = timezone.now()
            spent = RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                used_at=now
            )
            if not spent:
                return False
            left = selectors.unused_recovery_codes(account)
            record_event(
                action=AuditAction.MFA_RECOVERY_CODE_USED,
                actor=account,
                account=account,
                new={"recovery_codes_left": left},
                context=audit,
            )
            _notify(
                account,
                headline="code de secours utilisé",
                change=(
                    "Un code de secours a été utilisé pour vous connecter. Il vous en reste "
                    f"{left}. Générez-en de nouveaux depuis « Double authentification » s'il "
                    "vous en reste peu."
                ),
            )
        return True
    check_password(typed, _decoy_hash())  # same cost whether or not codes exist
    return False


@functools.cache
def _decoy_hash() -> str:
    return make_password("decoy-recovery-code-never-valid")


def record_passkey_use(*, passkey: Passkey, sign_count: int) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count, last_used_at=timezone.now())


def reset_factors(
    *,
    account: Account,
    actor: Account,
    questions: Sequence[str],
    matched: Sequence[str],
    notes: str,
    audit: AuditContext = SYSTEM,
) -> None:
    """Helpdesk: remove every factor and recovery code of an account after an identity check.

    The audit row keeps which questions were asked and which answers matched (ASVS 6.4.4); the
    holder is emailed. Sessions are ended by the caller's end_sessions (see backoffice)."""
    if not questions or set(matched) != set(questions):
        raise MfaError(
            gettext(
                "Toutes les vérifications d'identité doivent concorder avant la réinitialisation."
            )
        )
    with transaction.atomic():
        factors = selectors.factors_of(account)
        TotpDevice.objects.filter(account=account).delete()
        Passkey.objects.filter(account=account).delete()
        RecoveryCode.objects.filter(account=account).delete()
        record_event(
            action=AuditAction.MFA_FACTORS_RESET,
            actor=actor,
            account=account,
            target=account,
            old={
                "totp_devices": [d.name for d in factors.totp_devices],
                "passkeys": [p.name for p in factors.passkeys],
                "recovery_codes_left": factors.recovery_codes_left,
            },
            new={"questions": list(questions), "matched": list(matched)},
            reason=notes.strip(),
            context=audit,
        )
        _notify(
            account,
            headline="double authentification réinitialisée",
            change=(
                "À votre demande, l'assistance a supprimé les moyens de double authentification "
                "de votre compte après avoir vérifié votre identité. Toutes vos sessions ont été "
                "fermées. "
                + (
                    "À votre prochaine connexion, vous enregistrerez un nouveau moyen de double "
                    "authentification."
                    if selectors.factor_required(account)
                    else "Vous pouvez en enregistrer un nouveau depuis « Mon compte »."
                )
            ),
        )
