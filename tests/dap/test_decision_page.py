"""The decision's accessible version (RGAA 13.3, 13.4): an HTML page with the PDF's whole
content, in its order, linked next to each download, open to whoever may download the PDF."""

import html
from html.parser import HTMLParser

import pytest

from apart.dap import services
from apart.dap.document import decision_pdf
from apart.dap.models import Decision
from tests.dap.factories import employer_with_complete_fiche, make_accepted, make_submitted
from tests.dap.pdfs import text_of, words
from tests.habilitations.factories import make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

REASON = "Baisse d’activité de 40 %.\nCarnet de commandes vide."


class _Article(HTMLParser):
    """The text of the page's <article> (the decision), its headings apart."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.text, self.headings, self._tag = False, [], [], ""

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == "article"
        self._tag = tag

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "article"
        self._tag = ""

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)
            if self._tag in ("h1", "h2"):
                self.headings.append((self._tag, data))


def _article(response):
    parser = _Article()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def decision():
    account, establishment = employer_with_complete_fiche()
    decision = make_accepted(account, establishment)
    Decision.objects.filter(pk=decision.pk).update(reason=REASON)
    return Decision.objects.select_related("request__establishment").get(pk=decision.pk)


def test_the_page_says_all_the_pdf_says_in_its_order(client, decision):
    log_in(client, decision.request.created_by)

    page = _article(client.get(f"/espace/decisions/{decision.pk}/"))

    pdf = words(text_of(decision_pdf(decision)))
    # The PDF adds only the bloc-marque (the page's header shows it) and its page footer.
    bloc_marque = "RÉPUBLIQUE FRANÇAISE Liberté Égalité Fraternité "
    footer = f" Décision {decision.reference} — page 1 / 1"
    assert pdf == bloc_marque + words(" ".join(page.text)) + footer


def test_the_pdf_title_and_sections_are_the_page_headings(client, decision):
    log_in(client, decision.request.created_by)

    page = _article(client.get(f"/espace/decisions/{decision.pk}/"))

    assert page.headings == [
        ("h1", "Décision d'autorisation de placement en activité partielle"),
        ("h2", "Établissement"),
        ("h2", "Décision"),
        ("h2", "Motivation"),
    ]


def test_each_pdf_download_has_the_accessible_version_beside_it(client, decision):
    log_in(client, decision.request.created_by)
    page_url = f"/espace/decisions/{decision.pk}/"

    for listing in ("/espace/decisions/", f"/espace/demandes-autorisation/{decision.request_id}/"):
        text = html.unescape(client.get(listing).content.decode())
        pdf_link = text.index(f"/espace/decisions/{decision.pk}/decision.pdf")
        assert f'href="{page_url}"' in text[pdf_link : pdf_link + 600]
    client.force_login(make_agent())
    agent_page = html.unescape(
        client.get(f"/gestion/autorisations/{decision.request_id}/").content.decode()
    )
    assert f'href="/gestion/autorisations/decisions/{decision.pk}/"' in agent_page


def test_an_agent_reads_it_too(client, decision):
    client.force_login(make_agent())

    page = _article(client.get(f"/gestion/autorisations/decisions/{decision.pk}/"))

    assert "Carnet de commandes vide." in " ".join(page.text)


def test_an_employer_cannot_reach_the_agents_address(client, decision):
    log_in(client, decision.request.created_by)

    response = client.get(f"/gestion/autorisations/decisions/{decision.pk}/")

    assert response.status_code in (302, 403, 404)
    assert "Carnet de commandes vide." not in response.content.decode()


def test_a_refusal_page_says_so(client):
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    refusal = services.decide_dap(dap=dap, actor=make_agent(), accept=False, reason="Non établi.")
    log_in(client, account)

    page = _article(client.get(f"/espace/decisions/{refusal.pk}/"))

    assert page.headings[0] == ("h1", "Décision de refus de placement en activité partielle")
    assert "n'est pas autorisé" in html.unescape(" ".join(page.text))


def test_the_employers_menu_shows_it_under_the_decisions(client, decision):
    log_in(client, decision.request.created_by)

    text = html.unescape(client.get(f"/espace/decisions/{decision.pk}/").content.decode())

    current = text[: text.index('aria-current="page"')]
    assert current.rstrip().endswith('href="/espace/decisions/"')
