"""Personal data: the helpdesk's export (audited) and the purge after the retention periods."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from apart.accounts.models import Account, NotMeLink
from apart.accounts.recovery.models import PasswordResetToken
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.core.models import RateLimitCounter
from apart.establishments.models import BankDetailsVersion, Invitation
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.privacy.export import personal_data_of
from apart.proconnect.models import ProConnectIdentity, ProConnectLinkToken
from apart.registration.models import RegistrationRequest, SiretClaim
from apart.space.models import EmailChangeRequest

ANONYMOUS_LOGIN_PREFIX = "anonyme-"
ANONYMOUS_EMAIL_DOMAIN = "anonyme.invalid"
REDACTED = "[anonymisé]"
# Keys of audit values that hold what a person typed or who they are.
PERSONAL_KEYS = {
    "email",
    "phone",
    "login",
    "login_typed",
    "saisie",
    "main_contact",
    "first_name",
    "last_name",
    "name",
    "typed",
}


def export_personal_data(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> dict[str, Any]:
    """The helpdesk exports what is held on ``account``; the export itself is audited (who,
    when, which checks of the requester's identity were made)."""
    with transaction.atomic():
        record_event(
            action=AuditAction.PRIVACY_PERSONAL_DATA_EXPORTED,
            actor=actor,
            account=account,
            target=account,
            reason=checks,
            context=audit,
        )
        return personal_data_of(account)


@dataclass
class PurgeReport:
    accounts_anonymised: int = 0
    registration_requests_deleted: int = 0
    emails_deleted: int = 0
    reset_tokens_deleted: int = 0
    # SIRET claims (what a visitor typed with an existing account's email) and pending email
    # changes: their links died within days; kept as long as the reset tokens.
    claim_links_deleted: int = 0
    invitations_deleted: int = 0
    rate_limit_counters_deleted: int = 0
    connection_data_cleared: int = 0

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


def _days(name: str) -> timedelta:
    return timedelta(days=int(getattr(settings, name)))


def _audit_update(queryset: models.QuerySet[AuditEvent], **changes: Any) -> int:
    """Audit rows are append-only (their queryset refuses update(); on PostgreSQL a trigger
    refuses UPDATE and DELETE); retention is the one exception, for personal fields only: the
    rows themselves stay. The trigger lets the purge through on a setting local to the purge's
    transaction (``apart.audit_purge``), gone at its commit or rollback."""
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("the audit purge runs inside the purge's transaction")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('apart.audit_purge', 'on', true)")
    return models.QuerySet.update(queryset, **changes)


def _redact(values: Any) -> Any:
    if not isinstance(values, dict):
        return values
    return {k: REDACTED if k in PERSONAL_KEYS and v else v for k, v in values.items()}


def _anonymise_account(account: Account) -> None:
    old_email = account.email
    Invitation.objects.filter(email__iexact=old_email).update(
        email=f"{ANONYMOUS_LOGIN_PREFIX}{account.pk}@{ANONYMOUS_EMAIL_DOMAIN}"
    )
    OutboundEmail.objects.filter(Q(account=account) | Q(to__iexact=old_email)).delete()
    PasswordResetToken.objects.filter(account=account).delete()
    # An anonymised account can no longer be reached through ProConnect either.
    ProConnectIdentity.objects.filter(account=account).delete()
    ProConnectLinkToken.objects.filter(account=account).delete()
    RegistrationRequest.objects.filter(account=account).delete()
    events = AuditEvent.objects.filter(Q(account=account) | Q(actor=account))
    for event in events.only("pk", "old_values", "new_values"):
        _audit_update(
            AuditEvent.objects.filter(pk=event.pk),
            old_values=_redact(event.old_values),
            new_values=_redact(event.new_values),
            ip_address=None,
            user_agent="",
        )
    account.login = f"{ANONYMOUS_LOGIN_PREFIX}{account.pk}"
    account.email = f"{ANONYMOUS_LOGIN_PREFIX}{account.pk}@{ANONYMOUS_EMAIL_DOMAIN}"
    account.first_name = ""
    account.last_name = "Anonyme"
    account.phone = ""
    account.secret_question = ""
    account.secret_answer_hash = ""
    account.last_login_ip = None
    account.is_active = False
    account.must_change_password = False
    account.temporary_password_expires_at = None
    account.set_unusable_password()
    account.save()
    end_sessions(account=account)
    NotMeLink.objects.filter(account=account).delete()
    record_event(action=AuditAction.PRIVACY_ACCOUNT_ANONYMISED, account=account, target=account)


def inactive_accounts(*, now: datetime) -> models.QuerySet[Account]:
    """Employers not seen for APART_RETENTION_INACTIVE_ACCOUNT_DAYS, without any live
    (pending or active) habilitation, not anonymised yet."""
    live = Habilitation.objects.filter(
        account=OuterRef("pk"), status__in=Habilitation.LIVE_STATUSES
    )
    return (
        Account.objects.filter(role=Account.Role.EMPLOYER)
        .exclude(login__startswith=ANONYMOUS_LOGIN_PREFIX)
        .annotate(seen=Coalesce("last_login", "created_at"), has_live=Exists(live))
        .filter(seen__lt=now - _days("APART_RETENTION_INACTIVE_ACCOUNT_DAYS"), has_live=False)
    )


def purge_personal_data(*, now: datetime) -> PurgeReport:
    """Anonymise or delete what is past its retention period (docs/rgpd.md). Idempotent: a
    second run finds nothing to do. Audit rows are kept, their personal fields anonymised."""
    report = PurgeReport()
    with transaction.atomic():
        for account in inactive_accounts(now=now).select_for_update():
            _anonymise_account(account)
            report.accounts_anonymised += 1

        request_cutoff = now - _days("APART_RETENTION_REGISTRATION_REQUEST_DAYS")
        report.registration_requests_deleted = (
            RegistrationRequest.objects.filter(created_at__lt=request_cutoff)
            .exclude(habilitation__status=Habilitation.Status.PENDING)
            .delete()[0]
        )
        report.invitations_deleted = (
            Invitation.objects.filter(created_at__lt=request_cutoff)
            .filter(~Q(status=Invitation.Status.PENDING) | Q(expires_at__lt=now))
            .delete()[0]
        )
        report.emails_deleted = OutboundEmail.objects.filter(
            created_at__lt=now - _days("APART_RETENTION_EMAIL_DAYS"),
            status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED],
        ).delete()[0]
        report.reset_tokens_deleted = PasswordResetToken.objects.filter(
            created_at__lt=now - _days("APART_RETENTION_TOKEN_DAYS")
        ).delete()[0]
        token_cutoff = now - _days("APART_RETENTION_TOKEN_DAYS")
        report.claim_links_deleted = (
            SiretClaim.objects.filter(created_at__lt=token_cutoff).delete()[0]
            + EmailChangeRequest.objects.filter(created_at__lt=token_cutoff).delete()[0]
        )
        report.rate_limit_counters_deleted = RateLimitCounter.objects.filter(
            expires_at__lt=now.timestamp()
        ).delete()[0]

        connection_cutoff = now - _days("APART_RETENTION_CONNECTION_DATA_DAYS")
        report.connection_data_cleared = (
            _audit_update(
                AuditEvent.objects.filter(created_at__lt=connection_cutoff).filter(
                    Q(ip_address__isnull=False) | ~Q(user_agent="")
                ),
                ip_address=None,
                user_agent="",
            )
            + Habilitation.objects.filter(
                requested_at__lt=connection_cutoff, requested_ip__isnull=False
            ).update(requested_ip=None)
            + Account.objects.filter(
                last_login__lt=connection_cutoff, last_login_ip__isnull=False
            ).update(last_login_ip=None)
            + RegistrationRequest.objects.filter(
                created_at__lt=connection_cutoff, ip_address__isnull=False
            ).update(ip_address=None)
            + BankDetailsVersion.objects.filter(
                created_at__lt=connection_cutoff, ip_address__isnull=False
            ).update(ip_address=None)
        )
        if report.total:
            record_event(action=AuditAction.PRIVACY_PURGE, new=asdict(report))
    return report
