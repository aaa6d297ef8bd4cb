"""Attachments of a DAP: PDF only, limited in size, opened with pypdf (not judged by the name or
the type the browser claims), stored under a random name.

The size is checked while the body arrives (``apart.core.uploads``: an upload stops being read
past the limit); what reaches ``check_pdf`` is then opened as a PDF: a file that pypdf cannot
read, that needs a password to open, or that has no page is refused with the field's message.
"""

import secrets
import unicodedata

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject

from apart.core.errors import UserError

PDF_MAGIC = b"%PDF-"
NOT_A_PDF = "Le fichier doit être au format PDF."
UNREADABLE = (
    "Le fichier PDF est illisible ou endommagé : enregistrez-le de nouveau au format PDF, "
    "puis joignez-le."
)
ENCRYPTED = (
    "Le fichier PDF est protégé par un mot de passe : joignez une version sans mot de passe."
)
NO_PAGE = "Le fichier PDF ne contient aucune page."
TOO_LARGE = "Le fichier dépasse la taille maximale autorisée ({size} Mo)."
EMPTY = "Le fichier est vide."
PAGE_TREE_NODES_READ = 64


class AttachmentError(UserError):
    """An attachment refused (its file, or the state of the DAP)."""


def max_megabytes() -> str:
    size = settings.APART_DAP_ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return f"{size:g}".replace(".", ",")


def display_name(raw: str) -> str:
    """The name given by the person, kept only to be shown: no path, no control characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return (name or "document.pdf")[:200]


def _opens_with_a_page(upload: UploadedFile) -> bool:
    """Whether pypdf opens ``upload`` without a password and finds a page in it; AttachmentError
    when it cannot open it. Only the first nodes of the page tree are read (a real PDF's first
    page is among them): walking the whole tree of a file of tens of thousands of pages would
    hold a worker for seconds."""
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            # Only a password opens it (a file restricted by an owner password alone opens
            # without one, as in any reader, and is accepted).
            raise AttachmentError(ENCRYPTED, field="file")
        pending: list[PdfObject] = [reader.root_object["/Pages"]]
        for _ in range(PAGE_TREE_NODES_READ):
            if not pending:
                return False
            node = pending.pop().get_object()
            if not isinstance(node, DictionaryObject):
                break
            # A node without its type is a page unless it has kids, as readers take it. (pypdf's
            # [] resolves an indirect object, its get does not.)
            implied = "/Pages" if "/Kids" in node else "/Page"
            kind = node["/Type"] if "/Type" in node else implied  # noqa: SIM401
            if kind == "/Page":
                return True
            kids = node["/Kids"] if "/Kids" in node else ArrayObject()
            if not isinstance(kids, ArrayObject):
                break
            pending.extend(reversed(kids))
    except AttachmentError:
        raise
    except Exception as error:  # a hostile or broken file may fail anywhere in the parser
        raise AttachmentError(UNREADABLE, field="file") from error
    finally:
        upload.seek(0)
    raise AttachmentError(UNREADABLE, field="file")  # no page among the first nodes, or junk


def check_pdf(upload: UploadedFile) -> str:
    """Raise AttachmentError unless ``upload`` is a non-empty PDF within the size limit that
    opens without a password and has pages; returns the name to show."""
    size = upload.size or 0
    if size == 0:
        raise AttachmentError(EMPTY, field="file")
    if size > settings.APART_DAP_ATTACHMENT_MAX_BYTES:
        raise AttachmentError(TOO_LARGE.format(size=max_megabytes()), field="file")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise AttachmentError(NOT_A_PDF, field="file")
    if not _opens_with_a_page(upload):
        raise AttachmentError(NO_PAGE, field="file")
    return display_name(upload.name or "")


def random_name() -> str:
    return f"{secrets.token_hex(16)}.pdf"
