"""A very small PDF writer: text lines on A4 pages, Helvetica (regular and bold), WinAnsi.

Enough for a decision letter; no dependency. Characters outside Windows-1252 are replaced by
"?" (the standard fonts carry no others).
"""

import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56


@dataclass(frozen=True)
class Line:
    text: str
    size: int = 11
    bold: bool = False
    space_before: int = 0


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(line: Line) -> list[Line]:
    # Helvetica averages about half an em per character: wrap to the text width.
    width = int((PAGE_WIDTH - 2 * MARGIN) / (line.size * 0.5))
    parts = textwrap.wrap(line.text, width=width) or [""]
    return [
        Line(part, line.size, line.bold, line.space_before if i == 0 else 0)
        for i, part in enumerate(parts)
    ]


def _pages(lines: list[Line]) -> list[bytes]:
    pages: list[bytes] = []
    content: list[bytes] = []
    y = PAGE_HEIGHT - MARGIN
    for line in (piece for given in lines for piece in _wrap(given)):
        step = line.space_before + int(line.size * 1.4)
        if y - step < MARGIN and content:
            pages.append(b"\n".join(content))
            content, y = [], PAGE_HEIGHT - MARGIN
        y -= step
        font = b"/F2" if line.bold else b"/F1"
        content.append(
            b"BT "
            + font
            + b" %d Tf %d %d Td (" % (line.size, MARGIN, y)
            + _escape(line.text)
            + b") Tj ET"
        )
    pages.append(b"\n".join(content))
    return pages


def render(lines: list[Line], *, title: str = "") -> bytes:
    """The PDF file's bytes."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled once the pages object is known
    pages_id = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R >> >>" % (regular, bold)
    page_ids = []
    for stream in _pages(lines):
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources %s "
                b"/Contents %d 0 R >>" % (pages_id, PAGE_WIDTH, PAGE_HEIGHT, resources, content)
            )
        )
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    info = add(b"<< /Title (" + _escape(title) + b") /Producer (apart) >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        catalog,
        info,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
