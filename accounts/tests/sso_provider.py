"""A real OpenID Connect provider for the tests, on 127.0.0.1 in a thread.

It serves discovery, a JWKS with an RSA key generated for the test run, an authorize endpoint that
signs in whoever the test says (``provider.email``) and redirects back with a code, and a token
endpoint that checks the client's secret and the PKCE verifier and answers an ID token signed with
joserfc. Tests break it on purpose through its attributes: ``claims_override``, ``sign_with`` (another
key), ``discovery_status``, ``issuer_claim`` and so on.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "support-exchange"
CLIENT_SECRET = "s3cret-from-the-identity-provider-0042"


class LocalProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
        self.sign_with: RSAKey | None = None  # another key: a bad signature
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.email = "staff@coventry.gov.uk"
        self.extra_claims: dict[str, Any] = {}
        self.claims_override: dict[str, Any] = {}
        self.remove_claims: list[str] = []
        self.discovery_status = 200
        self.discovery_override: dict[str, Any] = {}
        self.token_status = 200
        self.codes: dict[str, dict[str, str]] = {}
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- running ---

    def __enter__(self) -> "LocalProvider":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what the provider says ---

    def discovery(self) -> dict[str, Any]:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }
        document.update(self.discovery_override)
        return document

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "user-" + hashlib.sha256(self.email.encode()).hexdigest()[:12],
            "aud": self.client_id,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "email": self.email,
            "email_verified": True,
            "name": "Test Staff",
            **self.extra_claims,
        }
        claims.update(self.claims_override)
        for name in self.remove_claims:
            claims.pop(name, None)
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, key)

    def sign_in_at_provider(self, authorize_url: str) -> str:
        """What a browser does at the provider: follow the authorize URL and answer where the
        provider sends it back (the callback URL with code and state)."""
        response = requests.get(authorize_url, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # --- the HTTP side ---

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                provider.requests.append(parts.path)
                if parts.path == "/.well-known/openid-configuration":
                    if provider.discovery_status != 200:
                        self.send_response(provider.discovery_status)
                        self.send_header("Content-Type", "text/html")
                        self.end_headers()
                        self.wfile.write(b"<html>Down for maintenance</html>")
                        return
                    self._json(200, provider.discovery())
                elif parts.path == "/jwks":
                    self._json(200, KeySet([provider.key]).as_dict(private=False))
                elif parts.path == "/authorize":
                    self._authorize(parse_qs(parts.query))
                else:
                    self._json(404, {"error": "not_found"})

            def _authorize(self, query: dict[str, list[str]]) -> None:
                q = {k: v[0] for k, v in query.items()}
                if q.get("client_id") != provider.client_id or q.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                    return
                if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                    self._json(400, {"error": "invalid_request", "error_description": "PKCE required"})
                    return
                code = secrets.token_urlsafe(24)
                provider.codes[code] = {
                    "nonce": q.get("nonce", ""),
                    "challenge": q["code_challenge"],
                    "redirect_uri": q["redirect_uri"],
                    "scope": q.get("scope", ""),
                }
                self.send_response(302)
                self.send_header("Location", f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}")
                self.end_headers()

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                provider.requests.append(parts.path)
                if parts.path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                client_id, client_secret = form.get("client_id"), form.get("client_secret")
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
                if client_id != provider.client_id or client_secret != provider.client_secret:
                    self._json(401, {"error": "invalid_client"})
                    return
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
                    self._json(400, {"error": "invalid_grant"})
                    return
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if challenge != grant["challenge"]:
                    self._json(400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"})
                    return
                if provider.token_status != 200:
                    self._json(provider.token_status, {"error": "server_error"})
                    return
                self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(24),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(grant["nonce"]),
                    },
                )

        return Handler
