import socket

import pytest

from apart.directory.lookup import LookupStatus, SireneEstablishment
from apart.directory.sirene_api import SireneApiClient, SireneUnavailable


@pytest.fixture
def client(sirene_api):
    return SireneApiClient.from_settings()


def test_the_request_carries_the_integration_key_on_the_siret_path(sirene_api, client):
    sirene_api.answer("90123456700013", 200, "siret_90123456700013.json")

    client.lookup("90123456700013")

    request = sirene_api.requests[0]
    assert request["path"] == "/api-sirene/3.11/siret/90123456700013"
    assert request["headers"]["X-INSEE-Api-Key-Integration"] == "test-integration-key"


def test_a_diffusible_open_establishment_is_mapped_from_the_json(sirene_api, client):
    sirene_api.answer("90123456700013", 200, "siret_90123456700013.json")

    result = client.lookup("90123456700013")

    assert result.status == LookupStatus.FOUND
    assert result.establishment == SireneEstablishment(
        siret="90123456700013",
        siren="901234567",
        denomination="ATELIERS DU VIEUX PORT",
        street_number="14",
        street_number_extension="bis",
        street_type="Quai",
        street_name="DU PORT",
        address_complement="QUAI NORD",
        postal_code="13002",
        city="MARSEILLE 2E ARRONDISSEMENT",
        is_head_office=True,
        naf_code="33.15Z",
        workforce_bracket="03",
        diffusible=True,
        active=True,
    )


def test_a_closed_establishment_uses_the_current_period(sirene_api, client):
    sirene_api.answer("90234567700014", 200, "siret_90234567700014.json")

    result = client.lookup("90234567700014")

    assert result.status == LookupStatus.CLOSED
    assert result.establishment.denomination == "ALICE LEROY"
    assert result.establishment.street_type == "Chemin"
    assert result.establishment.postal_code == "97232"
    assert result.establishment.naf_code == "96.02A"


def test_a_partially_diffusible_establishment_shows_only_siret_postal_code_and_commune(
    sirene_api, client
):
    sirene_api.answer("90345678800012", 200, "siret_90345678800012.json")

    result = client.lookup("90345678800012")

    assert result.status == LookupStatus.NON_DIFFUSIBLE
    assert result.establishment == SireneEstablishment(
        siret="90345678800012", postal_code="33000", city="BORDEAUX", diffusible=False
    )


def test_404_means_unknown(sirene_api, client):
    sirene_api.answer("90456789800013", 404, "not_found.json")

    assert client.lookup("90456789800013").status == LookupStatus.UNKNOWN


def test_403_means_non_diffusible_with_the_siret_alone(sirene_api, client):
    sirene_api.answer("90456789800021", 403, "forbidden.json")

    result = client.lookup("90456789800021")

    assert result.status == LookupStatus.NON_DIFFUSIBLE
    assert result.establishment == SireneEstablishment(siret="90456789800021", diffusible=False)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (429, None),
        (500, b"Internal Server Error"),
        (401, b'{"header": {"statut": 401, "message": "Invalid credentials"}}'),
        (200, b"<html>not json</html>"),
        (200, b'{"header": {"statut": 200}}'),
    ],
)
def test_other_answers_raise_sirene_unavailable(sirene_api, client, status, body):
    if body is None:
        sirene_api.answer("90123456700013", status, "too_many_requests.json")
    else:
        sirene_api.answer("90123456700013", status, body=body)

    with pytest.raises(SireneUnavailable):
        client.lookup("90123456700013")


def test_an_answer_about_another_siret_is_refused(sirene_api, client):
    sirene_api.answer("90123456700021", 200, "siret_90123456700013.json")

    with pytest.raises(SireneUnavailable):
        client.lookup("90123456700021")


def test_a_slow_api_times_out(sirene_api):
    sirene_api.answer("90123456700013", 200, "siret_90123456700013.json")
    sirene_api.delay = 2
    client = SireneApiClient(base_url=sirene_api.url, api_key="k", timeout=0.2)

    with pytest.raises(SireneUnavailable):
        client.lookup("90123456700013")


def test_an_unreachable_api_raises_sirene_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SireneApiClient(base_url=f"http://127.0.0.1:{port}/api", api_key="k", timeout=1)

    with pytest.raises(SireneUnavailable):
        client.lookup("90123456700013")


def test_a_non_http_url_is_refused():
    client = SireneApiClient(base_url="file:///etc/passwd", api_key="k")

    with pytest.raises(SireneUnavailable):
        client.lookup("90123456700013")
