"""Real PDF files for upload tests, written with pypdf, and the text of a PDF read back."""

import io

from pypdf import PdfReader, PdfWriter


def blank_pdf(pages: int = 1, *, password: str | None = None, owner: str = "") -> bytes:
    """A PDF of ``pages`` blank A4 pages; with ``password``, encrypted (AES-256) so that it
    opens only with it (an empty one: restricted by the owner password alone)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=owner or None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content), strict=True)


def text_of(content: bytes) -> str:
    """The text of every page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in read_pdf(content).pages)


def words(text: str) -> str:
    """``text`` with every run of spaces and line breaks made one space."""
    return " ".join(text.split())
