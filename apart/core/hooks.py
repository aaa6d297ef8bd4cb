"""Hooks through which a lower app calls an app above it without importing it.

The apps that change what the fraud signals score (dap, claims, habilitations, registration, the
bank details of establishments) sit below ``fraud``, which reads their models. They reach the
fraud rules through ``fraud_checks()``: ``apart.fraud`` registers its implementation when Django
starts (``FraudConfig.ready``). The calls run where they always ran, inside the caller's
transaction: a refusal raised by ``check_approval`` rolls the decision back.

A missing registration is a configuration error, never a silent skip: ``fraud_checks()`` raises
``ImproperlyConfigured`` (an approval must not pass unchecked because an app was left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from apart.core.errors import UserError

if TYPE_CHECKING:  # a type only: accounts sit above core
    from apart.accounts.models import Account


class ApprovalRefused(UserError):
    """An approval refused by the fraud rules (signals to examine, confirmed, four eyes)."""


class FraudChecks(Protocol):
    """What the lower apps ask of the fraud rules (``apart.fraud.hooks`` implements it)."""

    def assess(self, *, subject: Model) -> None:
        """Compute again the signals of a habilitation request, a DAP or a DI."""

    def assess_establishment(self, *, establishment: Model, ibans: Iterable[str] = ()) -> None:
        """After a change of bank details: the open items of the establishment, and of those
        whose current IBAN is one of ``ibans``, are assessed again."""

    def check_approval(self, *, subject: Model, actor: Account | None) -> None:
        """Raise ``ApprovalRefused`` when the approval of ``subject`` by ``actor`` is refused."""

    def close_on_decision(self, *, subject: Model, approved: bool, actor: Account | None) -> None:
        """The signals still open are cleared by an approval, confirmed by a refusal."""


_registered: FraudChecks | None = None


def register_fraud_checks(checks: FraudChecks) -> None:
    global _registered
    _registered = checks


def fraud_checks() -> FraudChecks:
    """The registered fraud rules; ``ImproperlyConfigured`` when none is registered."""
    if _registered is None:
        raise ImproperlyConfigured(
            "No fraud checks registered: apart.fraud must be in INSTALLED_APPS "
            "(its AppConfig.ready registers them)."
        )
    return _registered
