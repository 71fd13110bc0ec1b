"""The OpenID Connect protocol for a council's identity provider: discovery, the authorization code
request with PKCE, state and nonce, the token exchange and ID token validation.

The protocol pieces are Authlib's (``OAuth2Session`` builds the request and the PKCE challenge and
exchanges the code) and joserfc's (the ID token's signature is checked against the provider's JWKS;
``CodeIDToken`` checks iss, aud, exp, iat, nonce, azp and at_hash). Nothing here is Django: the
services module keeps the state in the session and decides who may sign in.

Every failure is a ``SignOnProblem`` with a code the pages and the audit trail use; nothing the
provider sends can raise anything else.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT_SECONDS = 10
SCOPE = "openid email profile"
# Seconds of clock difference allowed between this service and the provider when checking exp and iat.
LEEWAY_SECONDS = 60
# Asymmetric signatures only: an ID token signed with the client secret (HS256) or unsigned is refused.
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


class SignOnProblem(Exception):
    """Why a sign-in through an identity provider did not work.

    ``code`` is one of: provider_unavailable, bad_discovery, refused_by_provider, token_exchange_failed,
    bad_token, state_mismatch, expired.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    token_auth_methods: tuple[str, ...]
    signing_algorithms: tuple[str, ...]
    scopes: tuple[str, ...]

    @property
    def token_auth_method(self) -> str:
        # client_secret_basic is the default (OpenID Connect Discovery 1.0, section 3).
        if not self.token_auth_methods or "client_secret_basic" in self.token_auth_methods:
            return "client_secret_basic"
        if "client_secret_post" in self.token_auth_methods:
            return "client_secret_post"
        return "client_secret_basic"


def http_allowed() -> bool:
    """Only https, unless SSO_ALLOW_HTTP is set (the tests' local provider on 127.0.0.1)."""
    return bool(getattr(settings, "SSO_ALLOW_HTTP", False))


def check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    schemes = {"https", "http"} if http_allowed() else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise SignOnProblem("bad_discovery", f"The {what} must be an https address, not {url!r}")


def discovery_url(issuer_url: str) -> str:
    return issuer_url.rstrip("/") + "/.well-known/openid-configuration"


def _get_json(url: str, what: str) -> dict[str, Any]:
    check_url(url, what)
    try:
        # No redirects: the provider's documents must be where its discovery says they are.
        response = requests.get(
            url, timeout=TIMEOUT_SECONDS, allow_redirects=False, headers={"Accept": "application/json"}
        )
    except requests.RequestException as error:
        raise SignOnProblem("provider_unavailable", f"Could not reach {url}: {type(error).__name__}") from error
    if response.status_code != 200:
        code = "provider_unavailable" if response.status_code >= 500 else "bad_discovery"
        raise SignOnProblem(code, f"{url} answered {response.status_code}")
    try:
        document = response.json()
    except ValueError as error:
        raise SignOnProblem("bad_discovery", f"{url} did not answer with JSON") from error
    if not isinstance(document, dict):
        raise SignOnProblem("bad_discovery", f"{url} did not answer with a JSON object")
    return document


def discover(issuer_url: str) -> ProviderMetadata:
    """Read and check the provider's discovery document (OpenID Connect Discovery 1.0)."""
    document = _get_json(discovery_url(issuer_url), "issuer URL")
    missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(k)]
    if missing:
        raise SignOnProblem("bad_discovery", "The discovery document has no " + ", ".join(missing))
    # The issuer the provider names must be the one configured, exactly (Discovery 1.0, section 4.3).
    if document["issuer"].rstrip("/") != issuer_url.rstrip("/"):
        raise SignOnProblem("bad_discovery", f"The provider calls itself {document['issuer']!r}, not {issuer_url!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document[key], str):
            raise SignOnProblem("bad_discovery", f"The discovery document's {key} is not an address")
        check_url(document[key], key.replace("_", " "))

    def strings(key: str) -> tuple[str, ...]:
        value = document.get(key) or []
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    return ProviderMetadata(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=document.get("userinfo_endpoint") or "",
        token_auth_methods=strings("token_endpoint_auth_methods_supported"),
        signing_algorithms=strings("id_token_signing_alg_values_supported"),
        scopes=strings("scopes_supported"),
    )


def fetch_key_set(metadata: ProviderMetadata) -> KeySet:
    document = _get_json(metadata.jwks_uri, "key set address")
    try:
        return KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise SignOnProblem("bad_discovery", "The provider's key set could not be read") from error


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_request(
    metadata: ProviderMetadata, *, client_id: str, redirect_uri: str, login_hint: str = ""
) -> AuthorizationRequest:
    """Where to send the user: the provider's authorize endpoint with a fresh state, nonce and PKCE
    challenge (S256). The state, nonce and verifier must be kept (in the session) for the return."""
    state, nonce, code_verifier = generate_token(32), generate_token(32), generate_token(64)
    session = OAuth2Session(client_id=client_id, redirect_uri=redirect_uri, scope=SCOPE, code_challenge_method="S256")
    extra = {"login_hint": login_hint} if login_hint else {}
    url, _ = session.create_authorization_url(
        metadata.authorization_endpoint, state=state, nonce=nonce, code_verifier=code_verifier, **extra
    )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def exchange_code(
    metadata: ProviderMetadata,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
) -> dict[str, Any]:
    """Swap the authorization code for tokens at the provider's token endpoint."""
    session = OAuth2Session(
        client_id=client_id,
        client_secret=client_secret,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method=metadata.token_auth_method,
    )
    try:
        token = session.fetch_token(
            metadata.token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except AuthlibBaseError as error:
        raise SignOnProblem("token_exchange_failed", f"The provider refused the code: {error.error}") from error
    except requests.RequestException as error:
        raise SignOnProblem(
            "provider_unavailable", f"Could not reach the token endpoint: {type(error).__name__}"
        ) from error
    except ValueError as error:  # not JSON
        raise SignOnProblem("token_exchange_failed", "The token endpoint did not answer with JSON") from error
    finally:
        session.close()
    if not isinstance(token, dict) or not isinstance(token.get("id_token"), str):
        raise SignOnProblem("token_exchange_failed", "The provider sent no ID token")
    return dict(token)


def validate_id_token(
    metadata: ProviderMetadata, key_set: KeySet, *, id_token: str, client_id: str, nonce: str, access_token: str = ""
) -> dict[str, Any]:
    """The ID token's claims, once joserfc has checked its signature against the provider's keys and
    Authlib's CodeIDToken its issuer, audience, expiry, issue time, nonce, azp and at_hash."""
    algorithms = [a for a in (metadata.signing_algorithms or SIGNING_ALGORITHMS) if a in SIGNING_ALGORITHMS]
    try:
        token = jwt.decode(id_token, key_set, algorithms=algorithms or SIGNING_ALGORITHMS)
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": metadata.issuer},
                "aud": {"essential": True, "value": client_id},
                "exp": {"essential": True},
                "sub": {"essential": True},
            },
            params={"nonce": nonce, "client_id": client_id, "access_token": access_token or None},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as error:
        raise SignOnProblem("bad_token", f"The ID token was refused: {error.error}") from error
    except (ValueError, TypeError, KeyError) as error:
        raise SignOnProblem("bad_token", "The ID token could not be read") from error
    return dict(claims)


__all__ = [
    "AuthorizationRequest",
    "ProviderMetadata",
    "SignOnProblem",
    "authorization_request",
    "discover",
    "discovery_url",
    "exchange_code",
    "fetch_key_set",
    "validate_id_token",
]
