"""Errors reach Sentry (SENTRY_DSN) with passwords, tokens, secret answers and IBANs scrubbed.

A real sentry-sdk in a separate process, configured by our settings from SENTRY_DSN, sends its
envelopes over HTTP to a small ingestion endpoint on loopback that records what it receives.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Jardinier7!Secret"
IBAN = "FR76 3000 6000 0112 3456 7890 189"
ANSWER = "Médor le chien"
TOKEN = "Zq3vUCACyv72rcTMOxkd9w2ov1B6os2kl6mdr6b3uD9E"

SCRIPT = f"""
import django
django.setup()
import sentry_sdk

def change_bank_details():
    password = {PASSWORD!r}
    secret_answer = {ANSWER!r}
    iban_typed = {IBAN!r}
    raise ValueError("IBAN refusé : " + iban_typed)

try:
    change_bank_details()
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.capture_event({{
    "message": "reset link failed",
    "request": {{
        "url": "https://apart.example/mot-de-passe/reinitialiser/{TOKEN}/",
        "query_string": "token={TOKEN}",
        "method": "POST",
        "data": {{"login": "ilmen.foplus", "new_password1": {PASSWORD!r},
                 "answer": {ANSWER!r}, "iban": {IBAN!r}}},
        "cookies": {{"sessionid": "abcdef0123456789"}},
    }},
}})
sentry_sdk.flush(10)
"""


class _Ingest(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        _Ingest.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_events_sent_to_sentry_carry_no_secret():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    try:
        subprocess.run(  # noqa: S603 - our own interpreter running our own script
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, check=True, timeout=60
        )
    finally:
        server.shutdown()

    sent = b"\n".join(_Ingest.received).decode()
    events = [json.loads(line) for line in sent.splitlines() if line.startswith('{"')]
    assert any(e.get("exception") for e in events), sent[:500]
    for secret in (PASSWORD, ANSWER, TOKEN, IBAN, IBAN.replace(" ", ""), "abcdef0123456789"):
        assert secret not in sent
    assert "[Filtered]" in sent
    assert "change_bank_details" in sent  # the stack trace stays readable
    assert "ilmen.foplus" in sent  # what is not secret is kept
