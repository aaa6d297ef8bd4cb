"""PDF joined to a DAP draft, or removed from it (audited; the file goes with its row)."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.dap.files import AttachmentError, check_pdf, random_name
from apart.dap.models import Attachment, AuthorisationRequest

NOT_A_DRAFT = gettext_noop("Les pièces jointes se modifient avant la transmission.")


def add_attachment(
    *,
    dap: AuthorisationRequest,
    upload: UploadedFile,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> Attachment:
    """Join a PDF to a draft (checked by size and by its first bytes, stored under a random
    name; the name given by the person is only shown)."""
    original_name = check_pdf(upload)
    stored = ""
    try:
        with transaction.atomic():
            locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
            if locked.status != AuthorisationRequest.Status.DRAFT:
                raise AttachmentError(gettext(NOT_A_DRAFT), field="file")
            if locked.attachments.count() >= settings.APART_DAP_MAX_ATTACHMENTS:
                raise AttachmentError(
                    gettext("Une demande comporte au plus {count} pièces jointes.").format(
                        count=settings.APART_DAP_MAX_ATTACHMENTS
                    ),
                    field="file",
                )
            upload.seek(0)
            attachment = Attachment(
                request=locked,
                original_name=original_name,
                size=upload.size or 0,
                uploaded_by=actor,
            )
            attachment.file.save(random_name(), upload, save=False)
            stored = attachment.file.name or ""
            attachment.save()
            record_event(
                action=AuditAction.DAP_ATTACHMENT_ADDED,
                actor=actor,
                account=actor,
                target=locked,
                new={"attachment": attachment.pk, "name": original_name, "size": attachment.size},
                context=audit,
            )
    except BaseException:
        if stored:  # the row was rolled back: no file without its row
            attachment.file.storage.delete(stored)
        raise
    return attachment


def remove_attachment(
    *, attachment: Attachment, actor: Account, audit: AuditContext = SYSTEM
) -> None:
    """Remove a PDF from a draft (the file goes once the transaction has committed)."""
    with transaction.atomic():
        locked = AuthorisationRequest.objects.select_for_update().get(pk=attachment.request_id)
        if locked.status != AuthorisationRequest.Status.DRAFT:
            raise AttachmentError(gettext(NOT_A_DRAFT))
        storage, name = attachment.file.storage, attachment.file.name
        record_event(
            action=AuditAction.DAP_ATTACHMENT_REMOVED,
            actor=actor,
            account=actor,
            target=locked,
            old={"attachment": attachment.pk, "name": attachment.original_name},
            context=audit,
        )
        attachment.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
