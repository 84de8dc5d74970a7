"""Authentication: real tokens signed by a test key whose JWKS a real local HTTP server serves."""

from __future__ import annotations

import base64
import datetime as dt
import json

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from subgraphs.core.base.errors import ClientError
from subgraphs.core.security.auth import KeySet, TokenVerifier, jwks_document
from subgraphs.core.security.devkeys import mint_token

from ..conftest import ISSUER, Issuer, SubgraphServer

QUERY = {"query": "{ people(first: 1) { totalCount } }"}


def post(subgraphs: SubgraphServer, authorization: str | None) -> httpx.Response:
    headers = {"authorization": authorization} if authorization is not None else {}
    return httpx.post(subgraphs.url("agents"), json=QUERY, headers=headers, timeout=10)


def forged(**claims: object) -> str:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return mint_token(other_key, kid=ISSUER.kid, issuer=ISSUER.name, audience=ISSUER.audience,
                      subject="mallory", groups=["/herpetology/admin"])


def alg_none() -> str:
    claims = {"iss": ISSUER.name, "aud": ISSUER.audience, "sub": "mallory", "groups": ["/herpetology/admin"],
              "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)}
    return jwt.encode(claims, key=None, algorithm="none", headers={"kid": ISSUER.kid})


def ec_signed(algorithm: str) -> str:
    """A token signed with an EC key but naming the issuer's (RSA) key id."""
    curve = ec.SECP256R1() if algorithm == "ES256" else ec.SECP384R1()
    claims = {"iss": ISSUER.name, "aud": ISSUER.audience, "sub": "mallory",
              "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)}
    return jwt.encode(claims, ec.generate_private_key(curve), algorithm=algorithm, headers={"kid": ISSUER.kid})


def with_header(**header: object) -> str:
    """A token whose header PyJWT would not write (its signature is not checked before the header is)."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'RS256', 'typ': 'JWT', **header})}.{part({'sub': 'x'})}.c2ln"


@pytest.mark.parametrize(("authorization", "reason"), [
    (lambda: f"Bearer {ISSUER.token('herpetology/user', lifetime=dt.timedelta(seconds=-120))}", "Signature has expired"),
    (lambda: f"Bearer {forged()}", "Signature verification failed"),
    (lambda: f"Bearer {mint_token(ISSUER.key, kid=ISSUER.kid, issuer=ISSUER.name, audience='another-api', subject='x', groups=[])}",
     "Audience doesn't match"),
    (lambda: f"Bearer {mint_token(ISSUER.key, kid=ISSUER.kid, issuer='https://evil.test', audience=ISSUER.audience, subject='x', groups=[])}",
     "Invalid issuer"),
    (lambda: f"Bearer {alg_none()}", "algorithm 'none' is not accepted"),
    (lambda: f"Bearer {mint_token(ISSUER.key, kid='unknown-kid', issuer=ISSUER.name, audience=ISSUER.audience, subject='x', groups=[])}",
     "unknown signing key 'unknown-kid'"),
    (lambda: "Bearer not.a.jwt", "Invalid token"),
    # Before: PyJWT's TypeError for an EC algorithm with the RSA key was a 500.
    (lambda: f"Bearer {ec_signed('ES256')}", "algorithm 'ES256' does not match the signing key"),
    (lambda: f"Bearer {ec_signed('ES384')}", "algorithm 'ES384' does not match the signing key"),
    (lambda: f"Bearer {with_header(kid=['a'])}", "Key ID header parameter must be a string"),
    (lambda: "Basic dXNlcjpwYXNz", "Use `Authorization: Bearer <token>`."),
])
def test_bad_tokens_get_401(subgraphs: SubgraphServer, authorization, reason: str) -> None:  # noqa: ANN001
    response = post(subgraphs, authorization())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and reason in error["message"], error


def test_valid_token_and_no_token_are_both_served(subgraphs: SubgraphServer) -> None:
    assert post(subgraphs, f"Bearer {ISSUER.token('herpetology/read-only')}").status_code == 200
    assert post(subgraphs, None).status_code == 200  # anonymous: public records only


def test_request_id_is_echoed_or_made(subgraphs: SubgraphServer) -> None:
    given = httpx.post(subgraphs.url("agents"), json=QUERY, headers={"x-request-id": "abc-123"})
    made = post(subgraphs, None)
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32


async def test_rotated_key_is_fetched_once_seen() -> None:
    """A new key id triggers one JWKS fetch; the new key's tokens are accepted, the retired key's not."""
    rotating = Issuer()
    rotating.start()
    try:
        verifier = TokenVerifier(KeySet(url=rotating.jwks_url, refresh_interval=0), rotating.name, rotating.audience)
        fetched_before = rotating.fetches
        old = rotating.token("g/user", subject="a")
        assert (await verifier.principal(f"Bearer {old}")).roles == {"g": 2}
        new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        rotating.document = jwks_document({"new": new_key.public_key()})
        rotated = mint_token(new_key, kid="new", issuer=rotating.name, audience=rotating.audience, subject="b",
                             groups=["/g/admin"])
        assert (await verifier.principal(f"Bearer {rotated}")).subject == "b"
        assert rotating.fetches - fetched_before == 2
        with pytest.raises(ClientError, match=f"unknown signing key '{rotating.kid}'"):
            await verifier.principal(f"Bearer {old}")
    finally:
        rotating.stop()
