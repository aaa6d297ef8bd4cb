"""The decision document (PDF, fpdf2), read back with pypdf: the bloc-marque header, the content
of the decision with any character of the names (outside Windows-1252 too), the metadata, text
that wraps to the page and flows onto a second one."""

import logging
from decimal import Decimal

import fontpkg
import pytest
from fontTools.ttLib import TTFont

from apart.dap import services
from apart.dap.document import decision_pdf
from apart.dap.models import Decision
from apart.establishments.models import Establishment
from tests.dap.factories import employer_with_complete_fiche, make_accepted, make_submitted
from tests.dap.pdfs import read_pdf, text_of, words
from tests.habilitations.factories import make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

# Œ, ’, — and € are outside Latin-1, the Cyrillic and Greek names outside Windows-1252: the
# former writer printed "?" for the last two.
DENOMINATION = "Œuvres d’Été — Ателье Дмитрий & Σωκράτης"
REASON = "Baisse d’activité de 40 % — perte de 12 000 € de commandes (Œnologie Ђорђе)."


@pytest.fixture
def decision(settings):
    settings.APART_DECISION_MINISTRY = "Ministère du Travail et des Solidarités"
    account, establishment = employer_with_complete_fiche()
    Establishment.objects.filter(pk=establishment.pk).update(
        denomination=DENOMINATION, city="Saint-Étienne"
    )
    decision = make_accepted(account, establishment, hours=Decimal("480"))
    Decision.objects.filter(pk=decision.pk).update(reason=REASON)
    return Decision.objects.select_related("request__establishment").get(pk=decision.pk)


def test_the_header_is_the_bloc_marque_then_the_ministry_then_the_title(decision):
    text = words(text_of(decision_pdf(decision)))

    assert text.startswith(
        "RÉPUBLIQUE FRANÇAISE Liberté Égalité Fraternité "
        "Ministère du Travail et des Solidarités Activité Partielle "
        "Décision d'autorisation de placement en activité partielle"
    )


def test_the_content_keeps_every_character_of_the_names(decision):
    text = words(text_of(decision_pdf(decision)))
    dap = decision.request

    for expected in (
        f"Référence : {decision.reference} (demande {dap.reference})",
        f"{DENOMINATION} — SIRET {dap.establishment.siret}",
        f"{dap.establishment.postal_code} Saint-Étienne",
        "Le placement des salariés en activité partielle est autorisé",
        f"Motif de la demande : {dap.get_reason_display()}",
        f"Nature : {dap.get_kind_display()}",
        f"Salariés concernés : {dap.employees}",
        "Heures demandées : 600,00",
        "Heures autorisées : 480,00",
        f"Motivation {REASON}",
        "dans un délai de 6 mois à compter de la fin de la période autorisée.",
        f"Décision {decision.reference} — page 1 / 1",
    ):
        assert expected in text
    assert "?" not in text


def test_the_metadata_name_the_decision_in_french(decision):
    reader = read_pdf(decision_pdf(decision))

    assert reader.metadata is not None
    assert reader.metadata.title == f"Décision {decision.reference}"
    assert reader.metadata.subject == (
        "Décision d'autorisation de placement en activité partielle "
        f"(demande {decision.request.reference})"
    )
    assert reader.metadata.author == "Ministère du Travail et des Solidarités"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert len(reader.pages) == 1


def test_a_refusal_says_so():
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    refusal = services.decide_dap(
        dap=dap, actor=make_agent(), accept=False, reason="Motif économique non établi."
    )

    text = words(text_of(decision_pdf(refusal)))

    assert "Décision de refus de placement en activité partielle" in text
    assert "n'est pas autorisé." in text
    assert "Motivation Motif économique non établi." in text
    assert read_pdf(decision_pdf(refusal)).metadata.subject.startswith("Décision de refus")


def test_a_long_motivation_wraps_within_the_page_and_flows_onto_a_second_page(decision):
    sentence = "L’activité a baissé de 40 % depuis le début du trimestre, selon les comptes. "
    unbroken = "Ж" * 300  # a word wider than the page is cut, not pushed past the margin
    reason = sentence * 60 + "\n" + unbroken
    Decision.objects.filter(pk=decision.pk).update(reason=reason)
    decision.refresh_from_db()

    content = decision_pdf(decision)
    pages = [page.extract_text().splitlines() for page in read_pdf(content).pages]
    footers = [page.pop() for page in pages]
    text = "\n".join(line for page in pages for line in page)

    assert len(pages) == 2
    assert footers == [f"Décision {decision.reference} — page {n} / 2" for n in (1, 2)]
    assert words(sentence * 60) in words(text)
    assert "".join(text.split()).count("Ж") == 300
    motivation = [line for line in text.splitlines() if "activité a" in line or "Ж" in line]
    assert len(motivation) > 40
    widest = max(_width(line, size=11) for line in motivation)
    assert 440 < widest <= 595 - 2 * 56  # A4 less the margins, in points


def _width(text: str, *, size: float) -> float:
    """The width of ``text`` set in Fira Sans Regular, from the font's own advance widths."""
    font = TTFont(fontpkg.path("Fira Sans", 400))
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = sum(metrics[cmap[ord(char)]][0] for char in text)
    return units * size / font["head"].unitsPerEm


def test_the_employer_downloads_it_and_the_agent_too(client, decision):
    log_in(client, decision.request.created_by)

    document = client.get(f"/espace/decisions/{decision.pk}/decision.pdf")

    assert document["Content-Type"] == "application/pdf"
    assert read_pdf(document.content).metadata.title == f"Décision {decision.reference}"
    client.force_login(make_agent())
    by_agent = client.get(f"/gestion/autorisations/decisions/{decision.pk}/decision.pdf")
    assert DENOMINATION in words(text_of(by_agent.content))


def test_the_font_subsetting_does_not_fill_the_logs():
    assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
