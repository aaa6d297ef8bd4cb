"""Second factors for tests, stored as the enrolment stores them (encrypted seed)."""

from __future__ import annotations

import pyotp
from django.utils import timezone

from apart.accounts.models import Account
from apart.mfa import crypto, totp
from apart.mfa.models import TotpDevice

# A fixed seed, so that a test (or a browser test typing into the page) can compute the code.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_totp(
    account: Account, *, secret: str = TEST_TOTP_SECRET, name: str = "Téléphone"
) -> TotpDevice:
    """An authenticator app for ``account``, as if enrolled (no code used yet)."""
    return TotpDevice.objects.create(
        account=account, name=name, encrypted_secret=crypto.encrypt(secret)
    )


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    return totp.code_at(secret, timezone.now())


def code_for_step(step: int, secret: str = TEST_TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def unused_code(account: Account, secret: str = TEST_TOTP_SECRET) -> str:
    """A code the account's app would accept now: the current step's, or the next one's when the
    current step was already used (two logins within 30 seconds)."""
    step = int(timezone.now().timestamp()) // totp.STEP_SECONDS
    used = (
        TotpDevice.objects.filter(account=account)
        .exclude(last_used_step=None)
        .values_list("last_used_step", flat=True)
        .first()
    )
    if used is not None and used >= step:
        step = used + 1
    return code_for_step(step, secret)
