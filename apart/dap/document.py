"""The decision document the employer downloads from « Mes Décisions d'Autorisation »: the PDF,
and its accessible version, an HTML page built from the same lines (RGAA 13.3 and 13.4: the PDF
is not tagged, so the page offers the same information, in the same order)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from apart.dap.models import Decision
from apart.dap.pdf import Letterhead, Line, Metadata, render
from apart.habilitations.dates import french_date


def french_number(value: Decimal) -> str:
    """1234.50 -> "1 234,50" (French typography, as in the pages)."""
    text = f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",")


def decision_lines(decision: Decision) -> list[Line]:
    dap = decision.request
    establishment = dap.establishment
    address = " ".join(
        part
        for part in (
            establishment.street_number,
            establishment.street_number_extension,
            establishment.street_type,
            establishment.street_name,
        )
        if part
    )
    title = decision_title(decision)
    if decision.accepted:
        verdict = (
            "Le placement des salariés en activité partielle est autorisé pour la période et "
            "dans la limite des heures indiquées ci-dessous."
        )
    else:
        verdict = "Le placement des salariés en activité partielle n'est pas autorisé."
    if decision.implicit:
        verdict += " Décision implicite d'acceptation (article R5122-4 du Code du travail)."
    return [
        Line(title, 15, bold=True, space_before=12),
        Line(f"Référence : {decision.reference} (demande {dap.reference})", 10, space_before=4),
        Line("Établissement", 12, bold=True, space_before=14),
        Line(f"{establishment.denomination} — SIRET {establishment.siret}"),
        Line(address),
        Line(f"{establishment.postal_code} {establishment.city}"),
        Line("Décision", 12, bold=True, space_before=14),
        Line(verdict),
        Line(f"Date de la décision : {french_date(decision.decision_date)}", space_before=4),
        Line(f"Motif de la demande : {dap.get_reason_display()}"),
        Line(f"Nature : {dap.get_kind_display()}"),
        Line(
            f"Période : du {french_date(decision.start_date)} au {french_date(decision.end_date)}"
        ),
        Line(f"Salariés concernés : {dap.employees}"),
        Line(f"Heures demandées : {french_number(dap.hours_requested)}"),
        Line(f"Heures autorisées : {french_number(decision.hours_authorised)}"),
        Line("Motivation", 12, bold=True, space_before=14),
        Line(decision.reason),
        Line(
            "Les demandes d'indemnisation se déposent chaque mois sur l'extranet Activité "
            f"Partielle, dans un délai de {settings.APART_CLAIM_DEADLINE_MONTHS} mois à compter "
            "de la fin de la période autorisée.",
            9,
            space_before=20,
        ),
    ]


def decision_title(decision: Decision) -> str:
    if decision.accepted:
        return "Décision d'autorisation de placement en activité partielle"
    return "Décision de refus de placement en activité partielle"


def letterhead() -> Letterhead:
    return Letterhead(
        ministry=settings.APART_DECISION_MINISTRY, service=settings.APART_SERVICE_NAME
    )


@dataclass(frozen=True)
class Block:
    """One block of the decision's HTML version: a heading (level 1 or 2) or a paragraph."""

    text: str
    level: int = 0  # 0: a paragraph
    small: bool = False


def decision_blocks(decision: Decision) -> list[Block]:
    """The PDF's lines, each one block, in the PDF's order: its title is the page's heading, its
    bold section titles (« Établissement », « Décision », « Motivation ») are subheadings."""
    blocks: list[Block] = []
    for line in decision_lines(decision):
        if line.bold:
            blocks.append(Block(line.text, level=1 if not blocks else 2))
        else:
            blocks.append(Block(line.text, small=line.size < Line.size))
    return blocks


def decision_pdf(decision: Decision) -> bytes:
    return render(
        decision_lines(decision),
        letterhead=letterhead(),
        metadata=Metadata(
            title=f"Décision {decision.reference}",
            subject=f"{decision_title(decision)} (demande {decision.request.reference})",
            author=settings.APART_DECISION_MINISTRY,
        ),
    )
