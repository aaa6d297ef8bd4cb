"""The accessibility statement is generated from the RGAA self-audit (docs/accessibility.md)."""

import html

import pytest

from apart.core.accessibility import current_audit, parse_audit

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
    assert (
        f"Ce taux porte sur les {len(audit.criteria)} critères examinés ; "
        f"les {106 - len(audit.criteria)} autres critères du RGAA n'ont pas encore été examinés"
    ) in page
    assert f"est {audit.level} avec le référentiel" in page
    for criterion in audit.non_conforming:
        assert f"Critère {criterion.number}" in page
    assert "Défenseur des droits" in page
    assert f"Accessibilité : {audit.level}" in page  # the footer's link
