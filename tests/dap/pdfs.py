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


def handmade_pdf(*objects: bytes) -> bytes:
    """A PDF of these objects (numbered from 1, the first one the catalogue) and their
    cross-reference table, as a hostile file may be written."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content), strict=True)


def text_of(content: bytes) -> str:
    """The text of every page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in read_pdf(content).pages)


def words(text: str) -> str:
    """``text`` with every run of spaces and line breaks made one space."""
    return " ".join(text.split())
