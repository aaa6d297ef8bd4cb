"""Fixtures of the directory tests: stock files written on the fly, a local INSEE API."""

import csv
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from apart.directory.demo.generate import ESTABLISHMENT_HEADER, LEGAL_UNIT_HEADER

RECORDED = Path(__file__).resolve().parent / "recorded"
API_BASE_PATH = "/api-sirene/3.11"

ESTABLISHMENT_DEFAULTS = {
    "siren": "901234567",
    "nic": "00013",
    "siret": "90123456700013",
    "statutDiffusionEtablissement": "O",
    "etablissementSiege": "true",
    "numeroVoieEtablissement": "14",
    "indiceRepetitionEtablissement": "B",
    "typeVoieEtablissement": "QUAI",
    "libelleVoieEtablissement": "DU PORT",
    "codePostalEtablissement": "13002",
    "libelleCommuneEtablissement": "MARSEILLE 2E ARRONDISSEMENT",
    "etatAdministratifEtablissement": "A",
    "activitePrincipaleEtablissement": "33.15Z",
    "trancheEffectifsEtablissement": "03",
}


def establishment_row(**values: str) -> list[str]:
    """A StockEtablissement row (official column order) with sensible defaults."""
    merged = {**ESTABLISHMENT_DEFAULTS, **values}
    return [merged.get(column, "") for column in ESTABLISHMENT_HEADER]


def legal_unit_row(**values: str) -> list[str]:
    merged = {
        "siren": "901234567",
        "statutDiffusionUniteLegale": "O",
        "etatAdministratifUniteLegale": "A",
        "categorieJuridiqueUniteLegale": "5710",
        **values,
    }
    return [merged.get(column, "") for column in LEGAL_UNIT_HEADER]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@dataclass
class FakeSireneApi:
    """A local HTTP server answering like the INSEE API Sirene from recorded responses."""

    url: str
    responses: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0

    def answer(
        self, siret: str, status: int, recorded: str | None = None, body: bytes = b""
    ) -> None:
        if recorded is not None:
            body = (RECORDED / recorded).read_bytes()
        self.responses[f"{API_BASE_PATH}/siret/{siret}"] = (status, body)


@pytest.fixture
def sirene_api(settings: Any) -> Iterator[FakeSireneApi]:
    api = FakeSireneApi(url="")
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            api.requests.append({"path": self.path, "headers": self.headers})  # case-insensitive
            if api.delay:
                stop.wait(api.delay)
            status, body = api.responses.get(
                self.path, (404, (RECORDED / "not_found.json").read_bytes())
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}{API_BASE_PATH}"
    settings.APART_SIRENE_API_URL = api.url
    settings.APART_SIRENE_API_KEY = "test-integration-key"
    settings.APART_SIRENE_API_TIMEOUT = 2
    yield api
    stop.set()
    server.shutdown()
    server.server_close()
    thread.join()


def recorded_json(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / name).read_text())
