"""The accessibility statement is generated from the RGAA self-audit (docs/accessibility.md)."""

import html

import pytest

from apart.core.accessibility import NON_CONFORMITIES, current_audit, parse_audit
from apart.core.rgaa import CRITERIA

pytestmark = pytest.mark.django_db

TABLE = """
| Critère | Intitulé | Statut | Test |
|---|---|---|---|
| 1.1 | Images | C | axe |
| 3.2 | Contraste | C | axe |
| 8.1 | Doctype | C | axe |
| 13.3 | Documents | NC | revue : PDF non balisé |
| 4.1 | Médias | NA | aucun |
"""


def test_the_rate_is_computed_as_rgaa_does():
    audit = parse_audit(TABLE)

    assert audit.rate == 75  # 3 conforming / (3 + 1); the non-applicable one is left out
    assert audit.level == "partiellement conforme"
    assert [c.number for c in audit.non_conforming] == ["13.3"]


@pytest.mark.parametrize(
    ("statuses", "level"),
    [
        ("C C", "totalement conforme"),
        ("C NC", "partiellement conforme"),
        ("C NC NC", "non conforme"),
    ],
)
def test_the_level_follows_the_rate(statuses, level):
    rows = "\n".join(f"| {n}.1 | x | {s} | y |" for n, s in enumerate(statuses.split(), 1))

    assert parse_audit(rows).level == level


def test_the_statement_page_shows_the_measured_rate_and_what_is_missing(client):
    audit = current_audit()

    page = html.unescape(client.get("/accessibilite/").content.decode())

    assert len(audit.criteria) > 40
    assert f"{audit.rate} % des critères RGAA applicables sont respectés" in page
    if audit.not_examined:
        assert (
            f"Ce taux porte sur les {len(audit.criteria)} critères examinés ; "
            f"les {106 - len(audit.criteria)} autres critères du RGAA n'ont pas encore été examinés"
        ) in page
    else:  # every criterion examined: the rate is the rate of the whole RGAA
        assert "n'ont pas encore été examinés" not in page
    assert f"est {audit.level} avec le référentiel" in page
    for criterion in audit.non_conforming:
        assert f"Critère {criterion.number}" in page
    assert "Défenseur des droits" in page
    assert f"Accessibilité : {audit.level}" in page  # the footer's link


def test_the_audit_examines_every_criterion_of_rgaa_4_1_under_its_title():
    audit = current_audit()

    assert len(CRITERIA) == 106
    assert [c.number for c in audit.criteria] == list(CRITERIA)  # each once, in RGAA's order
    assert {c.number: c.title for c in audit.criteria} == {n: str(t) for n, t in CRITERIA.items()}
    assert audit.not_examined == 0


def test_every_non_conformity_is_explained_on_the_statement():
    assert {c.number for c in current_audit().non_conforming} == set(NON_CONFORMITIES)


def test_the_statement_follows_the_language_switch(client):
    audit = current_audit()
    client.get("/accessibilite/")
    client.post("/i18n/setlang/", {"language": "en", "next": "/accessibilite/"})

    page = html.unescape(client.get("/accessibilite/").content.decode())

    assert '<html lang="en"' in page
    assert f"{audit.rate} % of the applicable RGAA criteria are met" in page
    assert "Non-compliances" in page
    for criterion in audit.non_conforming:
        assert f"Criterion {criterion.number} ({CRITERIA[criterion.number]}" in page
    if not audit.non_conforming:
        assert "<li>None.</li>" in page
    assert "Critère" not in page and "Non-conformités" not in page


def test_the_site_map_links_every_space_from_every_page_footer(client):
    page = client.get("/plan-du-site/").content.decode()

    for path in ("/creer-mon-espace/", "/espace/", "/espace/mon-compte/", "/accessibilite/"):
        assert f'href="{path}"' in page
    assert "/gestion/" not in page  # the agents' pages, for agents only
    assert 'href="/plan-du-site/"' in client.get("/").content.decode()
