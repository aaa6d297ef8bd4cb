"""PDF documents written with fpdf2: A4, a header in the State's bloc-marque style, text lines
that wrap to the page, a page footer and the document's metadata.

The font is Fira Sans (SIL Open Font License), embedded from the ``fontpkg-fira-sans`` package
(subset to the characters used): Latin with its extensions (Œ, €, ’, —...), Greek and Cyrillic.
A character outside it (CJK, Arabic...) is left out of the page and logged by fpdf2.
"""

import re
from dataclasses import dataclass

import fontpkg
from fpdf import FPDF, ViewerPreferences
from fpdf.enums import Align, XPos, YPos

FAMILY = "Fira Sans"
MARGIN = 56  # points (about 2 cm)
LEADING = 1.4  # line height, as a multiple of the font size
FOOTER_SIZE = 8
# Control characters would print as boxes: line breaks are kept, tabs become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Line:
    text: str
    size: int = 11
    bold: bool = False
    space_before: int = 0


@dataclass(frozen=True)
class Letterhead:
    """The header of the first page: « RÉPUBLIQUE FRANÇAISE » and the devise (the bloc-marque),
    then the ministry and the service."""

    ministry: str
    service: str


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str
    lang: str = "fr-FR"


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="pt", format="A4")
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.add_font(FAMILY, "", fontpkg.path(FAMILY, 400))
        self.add_font(FAMILY, "B", fontpkg.path(FAMILY, 700))
        self.add_font(FAMILY, "I", fontpkg.path(FAMILY, 400, "italic"))

    def footer(self) -> None:
        self.set_y(-MARGIN + FOOTER_SIZE)
        self.set_font(FAMILY, "", FOOTER_SIZE)
        self.set_text_color(96)
        self.cell(0, FOOTER_SIZE * LEADING, f"{self.footer_text} — page {self.page_no()} / {{nb}}")
        self.set_text_color(0)

    def paragraph(self, text: str, size: float, style: str = "", leading: float = LEADING) -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(
            w=0,
            h=size * leading,
            text=clean(text),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def letterhead(self, head: Letterhead) -> None:
        # The bloc-marque: the official name in bold capitals on two lines, the devise in
        # italics below it, set apart from the rest of the page.
        self.paragraph("RÉPUBLIQUE\nFRANÇAISE", 12, "B", leading=1.15)
        self.ln(5)
        self.paragraph("Liberté\nÉgalité\nFraternité", 8, "I", leading=1.2)
        self.ln(18)
        self.paragraph(head.ministry, 11, "B")
        self.paragraph(head.service, 10)
        self.ln(6)


def render(lines: list[Line], *, letterhead: Letterhead, metadata: Metadata) -> bytes:
    """The PDF file's bytes: the letterhead on the first page, then ``lines``."""
    pdf = _Document(footer_text=metadata.title)
    pdf.set_title(metadata.title)
    pdf.set_subject(metadata.subject)
    pdf.set_author(metadata.author)
    pdf.set_creator(letterhead.service)
    pdf.set_lang(metadata.lang)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.add_page()
    pdf.letterhead(letterhead)
    for line in lines:
        if line.space_before:
            pdf.ln(line.space_before)
        pdf.paragraph(line.text, line.size, "B" if line.bold else "")
    return bytes(pdf.output())
