"""Reads of the second factors."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from apart.accounts.models import Account
from apart.mfa.models import Passkey, RecoveryCode, TotpDevice


@dataclass(frozen=True)
class Factors:
    totp_devices: list[TotpDevice]
    passkeys: list[Passkey]
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        """Recovery codes alone are not a factor: they only stand in for a lost one."""
        return bool(self.totp_devices or self.passkeys)

    @property
    def count(self) -> int:
        return len(self.totp_devices) + len(self.passkeys)


def factors_of(account: Account) -> Factors:
    return Factors(
        totp_devices=list(TotpDevice.objects.filter(account=account)),
        passkeys=list(Passkey.objects.filter(account=account)),
        recovery_codes_left=unused_recovery_codes(account),
    )


def has_factor(account: Account) -> bool:
    # One statement (asked at every password login): either kind of factor.
    return (
        TotpDevice.objects.filter(account=account)
        .values("account_id")
        .union(Passkey.objects.filter(account=account).values("account_id"), all=True)
        .exists()
    )


def unused_recovery_codes(account: Account) -> int:
    return RecoveryCode.objects.filter(account=account, used_at__isnull=True).count()


def factor_required(account: Account) -> bool:
    """Agents must use a second factor; employers when the operator says so
    (APART_MFA_REQUIRED_FOR_EMPLOYERS)."""
    return account.is_agent or bool(settings.APART_MFA_REQUIRED_FOR_EMPLOYERS)
