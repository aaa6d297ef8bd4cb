"""A small OpenID Connect provider for the tests, served on loopback in a thread.

It speaks the parts of OpenID Connect that ProConnect uses: discovery, the authorization code
flow with PKCE (S256), ``client_secret_post``, ID tokens signed with its own RSA key (RS256),
the userinfo endpoint answering a signed JWT (``application/jwt``, as ProConnect does), the JWKS
and RP-initiated logout. Codes are single-use and bound to the client, the redirect URI and
the PKCE challenge.

The person "logged in" at the provider is ``provider.user`` (claims); the authorization
endpoint redirects straight back, as ProConnect does for a person already signed in there.
Faults are switched on by the test: ``delay`` (seconds before answering the token endpoint),
``sign_with_rogue_key``, ``nonce_override``, ``expired``, ``acr``, ``sub`` reuse...
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "apart-test-client"
CLIENT_SECRET = "apart-test-secret-0123456789"  # a test provider's secret, not a real one


@functools.cache
def _keys() -> tuple[RSAKey, RSAKey]:
    """The provider's key and a rogue one with the same key id (generated once per process)."""
    return (
        RSAKey.generate_key(2048, {"kid": "test-key"}),
        RSAKey.generate_key(2048, {"kid": "test-key"}),
    )


@dataclass
class PendingCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    claims: dict[str, Any]
    used: bool = False


@dataclass
class TestProvider:
    """The provider's state; the HTTP handler reads and writes it under ``lock``."""

    key: RSAKey = field(default_factory=lambda: _keys()[0])
    # Same key id, another key: a token signed with it has a bad signature.
    rogue_key: RSAKey = field(default_factory=lambda: _keys()[1])
    user: dict[str, Any] = field(default_factory=dict)
    acr: str = "eidas1"
    delay: float = 0.0
    sign_with_rogue_key: bool = False
    nonce_override: str | None = None
    expired: bool = False
    audience_override: str | None = None
    # The token endpoint answers an HTML error page (a proxy in front of the provider).
    token_garbage: bool = False
    issuer_override: str | None = None
    codes: dict[str, PendingCode] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    logouts: list[dict[str, str]] = field(default_factory=list)
    token_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def metadata(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "given_name", "usual_name", "siret", "phone"],
            "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
            "claims_parameter_supported": True,
        }

    def sign(self, claims: dict[str, Any]) -> str:
        key = self.rogue_key if self.sign_with_rogue_key else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)

    def start(self) -> TestProvider:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # -- the test's side: walk the browser's part of the flow with plain HTTP ---------------

    def authorize(self, authorization_url: str) -> str:
        """What the browser does at the provider: the URL it is sent back to (with the code)."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorization_url).query).items()}
        status, headers, _ = self._authorize(query)
        assert status == 302, status
        return headers["Location"]

    # -- endpoints ---------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        redirect_uri = query.get("redirect_uri", "")
        if (
            query.get("client_id") != CLIENT_ID
            or query.get("response_type") != "code"
            or "openid" not in query.get("scope", "").split()
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
            or not redirect_uri
        ):
            return 400, {}, b"invalid_request"
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = PendingCode(
                client_id=CLIENT_ID,
                redirect_uri=redirect_uri,
                code_challenge=query["code_challenge"],
                nonce=query.get("nonce", ""),
                claims=dict(self.user),
            )
        back = f"{redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": back}, b""

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.token_requests += 1
            delay = self.delay
        if delay:
            time.sleep(delay)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        with self.lock:
            pending = self.codes.get(form.get("code", ""))
            if pending is None or pending.used:
                return 400, {"error": "invalid_grant", "error_description": "code reused"}
            pending.used = True
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != pending.code_challenge or form.get("redirect_uri") != pending.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "PKCE or redirect_uri"}
        now = int(time.time())
        issued = now - 7200 if self.expired else now
        claims = {
            "iss": self.issuer_override or self.issuer,
            "aud": self.audience_override or CLIENT_ID,
            "sub": pending.claims["sub"],
            "iat": issued,
            "exp": issued + 60,
            "auth_time": issued,
            "nonce": self.nonce_override if self.nonce_override is not None else pending.nonce,
            "acr": self.acr,
            "amr": ["pwd"],
        }
        access_token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[access_token] = pending.claims
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": self.sign(claims),
            "scope": "openid email given_name usual_name siret phone",
        }

    def _userinfo(self, authorization: str) -> tuple[int, str, bytes]:
        token = authorization.removeprefix("Bearer ").strip()
        with self.lock:
            claims = self.tokens.get(token)
        if claims is None:
            return 401, "application/json", b'{"error": "invalid_token"}'
        body = {"iss": self.issuer, "aud": CLIENT_ID, **claims}
        return 200, "application/jwt", self.sign(body).encode()


def _handler(provider: TestProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(
            self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: dict[str, Any]) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                status, headers, body = provider._authorize(query)
                self._send(status, body, "text/plain", headers)
            elif url.path == "/userinfo":
                status, content_type, body = provider._userinfo(
                    self.headers.get("Authorization", "")
                )
                self._send(status, body, content_type)
            elif url.path == "/session/end":
                with provider.lock:
                    provider.logouts.append(query)
                target = query.get("post_logout_redirect_uri", "")
                if target:
                    back = f"{target}?{urlencode({'state': query.get('state', '')})}"
                    self._send(302, b"", "text/plain", {"Location": back})
                else:
                    self._send(200, b"logged out", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token" and provider.token_garbage:
                self._send(502, b"<html>Bad Gateway</html>", "text/html")
            elif urlsplit(self.path).path == "/token":
                status, data = provider._token(form)
                # The client may have given up waiting (timeout test).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._json(status, data)
            else:
                self._send(404, b"not found", "text/plain")

    return Handler
