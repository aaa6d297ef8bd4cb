"""WebAuthn ceremonies (py_webauthn): options for the browser, then verification of its answer.

The relying party is this site's host name as the request names it (Django has already checked it
against ALLOWED_HOSTS), unless APART_WEBAUTHN_RP_ID / APART_WEBAUTHN_ORIGINS fix them. The
browser signs the origin it really shows, so a look-alike site relaying our pages cannot use a
passkey made here (phishing resistance). The challenge lives in the session, used once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from apart.accounts.models import Account
from apart.mfa.models import Passkey

REGISTRATION_CHALLENGE = "apart_mfa_webauthn_registration"
AUTHENTICATION_CHALLENGE = "apart_mfa_webauthn_authentication"
TIMEOUT_MS = 120_000
MAX_RESPONSE_BYTES = 64 * 1024


class PasskeyError(Exception):
    """The browser's answer is not a valid WebAuthn response for this challenge and site."""


@dataclass(frozen=True)
class NewCredential:
    credential_id: bytes
    public_key: bytes
    sign_count: int
    transports: list[str]


def rp_id(request: HttpRequest) -> str:
    return settings.APART_WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")


def origins(request: HttpRequest) -> list[str]:
    return settings.APART_WEBAUTHN_ORIGINS or [f"{request.scheme}://{request.get_host()}"]


def _user_handle(account: Account) -> bytes:
    # Opaque and stable: neither the login nor the email goes to the authenticator as an id.
    return hashlib.sha256(f"apart-webauthn-user:{account.pk}".encode()).digest()


def _descriptors(passkeys: Sequence[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for passkey in passkeys:
        transports = []
        for name in passkey.transports:
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue
        descriptors.append(
            PublicKeyCredentialDescriptor(id=bytes(passkey.credential_id), transports=transports)
        )
    return descriptors


def registration_options(
    request: HttpRequest, *, account: Account, existing: Sequence[Passkey]
) -> str:
    """JSON options for navigator.credentials.create(); the challenge is kept in the session."""
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=settings.APART_MFA_ISSUER,
        user_id=_user_handle(account),
        user_name=account.login,
        user_display_name=account.full_name or account.login,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(existing),
    )
    request.session[REGISTRATION_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def authentication_options(request: HttpRequest, *, passkeys: Sequence[Passkey]) -> str:
    """JSON options for navigator.credentials.get(), limited to the account's passkeys."""
    options = generate_authentication_options(
        rp_id=rp_id(request),
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[AUTHENTICATION_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _take_challenge(request: HttpRequest, key: str) -> bytes:
    stored = request.session.pop(key, None)
    if not isinstance(stored, str):
        raise PasskeyError("no pending challenge")
    return base64url_to_bytes(stored)


def _parsed(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_RESPONSE_BYTES:
        raise PasskeyError("response too large")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise PasskeyError("response is not JSON") from exc
    if not isinstance(data, dict):
        raise PasskeyError("response is not an object")
    return data


def verify_registration(request: HttpRequest, raw_response: str) -> NewCredential:
    challenge = _take_challenge(request, REGISTRATION_CHALLENGE)
    data = _parsed(raw_response)
    try:
        verified = verify_registration_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origins(request),
        )
    except (
        InvalidRegistrationResponse,
        InvalidJSONStructure,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        raise PasskeyError(str(exc)) from exc
    transports = data.get("response", {}).get("transports") or []
    return NewCredential(
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t)[:32] for t in transports if isinstance(t, str)][:8],
    )


def credential_id_of(raw_response: str) -> bytes:
    """The credential id the browser says it used (to find the stored passkey)."""
    data = _parsed(raw_response)
    raw_id = data.get("rawId") or data.get("id")
    if not isinstance(raw_id, str) or len(raw_id) > 1400:
        raise PasskeyError("no credential id")
    try:
        return base64url_to_bytes(raw_id)
    except ValueError as exc:
        raise PasskeyError("bad credential id") from exc


def verify_authentication(request: HttpRequest, raw_response: str, *, passkey: Passkey) -> int:
    """Check the signature with the stored public key; returns the new signature counter."""
    challenge = _take_challenge(request, AUTHENTICATION_CHALLENGE)
    data = _parsed(raw_response)
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origins(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (
        InvalidAuthenticationResponse,
        InvalidJSONStructure,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        raise PasskeyError(str(exc)) from exc
    return int(verified.new_sign_count)
