"""The OpenID Connect client of ProConnect, on Authlib (requests) and joserfc.

- Discovery: ``{APART_PROCONNECT_ISSUER}/.well-known/openid-configuration``, whose ``issuer``
  must be the configured one; read once per process, the keys (JWKS) fetched again when an
  unknown key id shows up.
- Authorization code flow with PKCE (S256), a random ``state`` (single use, kept in the session
  by Authlib) and ``nonce``; the required assurance level is asked with ``acr_values``.
- The ID token: RS256/ES256 signature with the provider's keys, ``iss``, ``aud`` (and ``azp``),
  ``exp``, ``iat`` (not older than ``MAX_ID_TOKEN_AGE``), ``nonce``, then ``acr`` against
  APART_PROCONNECT_ACR (``acr.satisfies``).
- Userinfo: JSON or a signed JWT (ProConnect answers ``application/jwt``), whose ``sub`` must be
  the ID token's.
- Every call to the provider has the timeout APART_PROCONNECT_TIMEOUT.

Every failure is a ``ProConnectFailure`` whose ``reason`` goes into the audit row and whose
``message`` (French) is shown on the login page.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from apart.core.errors import UserError
from apart.proconnect import acr, messages

# An ID token issued longer ago than this is refused, even if its exp is later.
MAX_ID_TOKEN_AGE = 600
_ALGORITHMS = ["RS256", "ES256"]


class ProConnectFailure(UserError):
    """The sign-in through ProConnect failed; ``message`` for people, ``reason`` for the audit."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the provider vouches for, after every check."""

    issuer: str
    subject: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    phone: str
    acr: str
    id_token: str

    def as_session(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "subject": self.subject,
            "email": self.email,
            "given_name": self.given_name,
            "usual_name": self.usual_name,
            "siret": self.siret,
            "phone": self.phone,
            "acr": self.acr,
        }


def is_enabled() -> bool:
    """The button and the routes exist only when the issuer is configured."""
    return bool(settings.APART_PROCONNECT_ISSUER)


@cache
def _app(issuer: str, client_id: str, client_secret: str, timeout: int) -> DjangoOAuth2App:
    return DjangoOAuth2App(
        DjangoIntegration("proconnect"),
        name="proconnect",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.APART_PROCONNECT_SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
            "default_timeout": timeout,
        },
    )


def _client() -> DjangoOAuth2App:
    return _app(
        settings.APART_PROCONNECT_ISSUER,
        settings.APART_PROCONNECT_CLIENT_ID,
        settings.APART_PROCONNECT_CLIENT_SECRET,
        settings.APART_PROCONNECT_TIMEOUT,
    )


def _metadata() -> dict[str, Any]:
    app = _client()
    try:
        metadata: dict[str, Any] = app.load_server_metadata()
    except requests.Timeout:
        raise ProConnectFailure(gettext(messages.UNAVAILABLE), reason="provider_timeout") from None
    except (requests.RequestException, ValueError):
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="provider_unavailable"
        ) from None
    if metadata.get("issuer") != settings.APART_PROCONNECT_ISSUER:
        app.server_metadata.clear()  # read it again next time
        raise ProConnectFailure(gettext(messages.UNAVAILABLE), reason="discovery_issuer_mismatch")
    return metadata


def authorization_redirect(request: HttpRequest, *, redirect_uri: str) -> HttpResponseRedirect:
    """The redirect to the provider; state, nonce and PKCE verifier stay in the session."""
    _metadata()
    extra: dict[str, str] = {}
    if settings.APART_PROCONNECT_ACR:
        extra["acr_values"] = settings.APART_PROCONNECT_ACR
    try:
        response: HttpResponseRedirect = _client().authorize_redirect(
            request, redirect_uri, **extra
        )
    except (requests.RequestException, RuntimeError, ValueError):
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="provider_unavailable"
        ) from None
    return response


def complete(request: HttpRequest) -> VerifiedIdentity:
    """Check the provider's answer on the callback and return the verified identity."""
    if request.GET.get("error"):
        reason = "provider_error:" + request.GET["error"][:40]
        raise ProConnectFailure(gettext(messages.CANCELLED), reason=reason)
    state = request.GET.get("state", "")
    code = request.GET.get("code", "")
    app = _client()
    state_data = app.framework.get_state_data(request.session, state) if state else None
    if state:
        app.framework.clear_state_data(request.session, state)  # single use
    if not state_data or not code:
        raise ProConnectFailure(gettext(messages.EXPIRED_ATTEMPT), reason="state_mismatch")
    _metadata()
    try:
        token = app.fetch_access_token(
            redirect_uri=state_data["redirect_uri"],
            code=code,
            code_verifier=state_data["code_verifier"],
        )
    except requests.Timeout:
        raise ProConnectFailure(gettext(messages.UNAVAILABLE), reason="provider_timeout") from None
    except requests.RequestException:
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="provider_unavailable"
        ) from None
    except MismatchingStateError:
        raise ProConnectFailure(
            gettext(messages.EXPIRED_ATTEMPT), reason="state_mismatch"
        ) from None
    except OAuthError as error:
        raise ProConnectFailure(
            gettext(messages.FAILED), reason=f"token_refused:{error.error}"[:60]
        ) from None
    except (ValueError, RuntimeError, KeyError):  # not a token response (JSON, fields)
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="token_invalid_response"
        ) from None
    claims = _verified_id_token(token, nonce=state_data["nonce"])
    if not acr.satisfies(str(claims.get("acr", "")), settings.APART_PROCONNECT_ACR):
        raise ProConnectFailure(gettext(messages.ACR_TOO_LOW), reason="acr_too_low")
    userinfo = _userinfo(token, subject=str(claims["sub"]))
    return VerifiedIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=_text(userinfo.get("email")).lower(),
        given_name=_text(userinfo.get("given_name")),
        usual_name=_text(userinfo.get("usual_name") or userinfo.get("family_name")),
        siret=_text(userinfo.get("siret")).replace(" ", ""),
        phone=_text(userinfo.get("phone") or userinfo.get("phone_number")),
        acr=str(claims.get("acr", "")),
        id_token=str(token["id_token"]),
    )


def _text(value: object) -> str:
    return value.strip()[:254] if isinstance(value, str) else ""


def _verified_id_token(token: dict[str, Any], *, nonce: str) -> dict[str, Any]:
    if "id_token" not in token:
        raise ProConnectFailure(gettext(messages.FAILED), reason="id_token_missing")
    try:
        userinfo = _client().parse_id_token(
            token,
            nonce=nonce,
            claims_options={
                "iss": {"essential": True, "value": settings.APART_PROCONNECT_ISSUER},
                "aud": {"essential": True, "value": settings.APART_PROCONNECT_CLIENT_ID},
            },
            leeway=30,
        )
    except requests.RequestException:
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="provider_unavailable"
        ) from None
    except BadSignatureError:
        raise ProConnectFailure(gettext(messages.FAILED), reason="id_token_bad_signature") from None
    except ExpiredTokenError:
        raise ProConnectFailure(
            gettext(messages.EXPIRED_ATTEMPT), reason="id_token_expired"
        ) from None
    except InvalidClaimError as error:
        claim = getattr(error, "claim", "") or str(error)
        raise ProConnectFailure(
            gettext(messages.FAILED), reason=f"id_token_invalid_claim:{claim}"[:60]
        ) from None
    except (ClaimError, JoseError, ValueError):
        raise ProConnectFailure(gettext(messages.FAILED), reason="id_token_invalid") from None
    claims: dict[str, Any] = dict(userinfo)
    issued_at = claims.get("iat")
    if not isinstance(issued_at, int | float) or issued_at < time.time() - MAX_ID_TOKEN_AGE:
        raise ProConnectFailure(gettext(messages.EXPIRED_ATTEMPT), reason="id_token_expired")
    return claims


def _userinfo(token: dict[str, Any], *, subject: str) -> dict[str, Any]:
    app = _client()
    endpoint = app.load_server_metadata().get("userinfo_endpoint")
    if not endpoint:
        return {}
    try:
        # A plain bearer request: ProConnect's access tokens live 60 seconds, which Authlib's
        # session would already count as expired (its 60-second leeway).
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {token.get('access_token', '')}"},
            timeout=settings.APART_PROCONNECT_TIMEOUT,
            allow_redirects=False,
        )
        response.raise_for_status()
    except requests.Timeout:
        raise ProConnectFailure(gettext(messages.UNAVAILABLE), reason="provider_timeout") from None
    except requests.RequestException:
        raise ProConnectFailure(
            gettext(messages.UNAVAILABLE), reason="userinfo_unavailable"
        ) from None
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    try:
        if content_type == "application/jwt":
            keys = KeySet.import_key_set(app.fetch_jwk_set())
            data = dict(
                jwt.decode(
                    response.text.strip(), keys, registry=JWSRegistry(algorithms=_ALGORITHMS)
                ).claims
            )
        else:
            data = response.json()
    except (JoseError, ValueError):
        raise ProConnectFailure(gettext(messages.FAILED), reason="userinfo_invalid") from None
    if not isinstance(data, dict) or str(data.get("sub", "")) != subject:
        raise ProConnectFailure(gettext(messages.FAILED), reason="userinfo_subject_mismatch")
    return data


def end_session_url(*, id_token: str, post_logout_redirect_uri: str, state: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None if it has none."""
    try:
        result = _client().create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token, state=state
        )
    except (RuntimeError, requests.RequestException):
        return None
    url = result.get("url")
    return str(url) if url else None


def new_state() -> str:
    return secrets.token_urlsafe(16)
