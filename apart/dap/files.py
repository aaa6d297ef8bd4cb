"""Attachments of a DAP: PDF only, checked by their first bytes (not by the name or the type
the browser claims), limited in size, stored under a random name."""

import secrets
import unicodedata

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

PDF_MAGIC = b"%PDF-"
NOT_A_PDF = "Le fichier doit être au format PDF."
TOO_LARGE = "Le fichier dépasse la taille maximale autorisée ({size} Mo)."
EMPTY = "Le fichier est vide."


class AttachmentError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_megabytes() -> str:
    size = settings.APART_DAP_ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return f"{size:g}".replace(".", ",")


def display_name(raw: str) -> str:
    """The name given by the person, kept only to be shown: no path, no control characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return (name or "document.pdf")[:200]


def check_pdf(upload: UploadedFile) -> str:
    """Raise AttachmentError unless ``upload`` is a non-empty PDF within the size limit;
    returns the name to show."""
    size = upload.size or 0
    if size == 0:
        raise AttachmentError(EMPTY)
    if size > settings.APART_DAP_ATTACHMENT_MAX_BYTES:
        raise AttachmentError(TOO_LARGE.format(size=max_megabytes()))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise AttachmentError(NOT_A_PDF)
    return display_name(upload.name or "")


def random_name() -> str:
    return f"{secrets.token_hex(16)}.pdf"
