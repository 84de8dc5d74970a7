"""Who is calling: bearer JWTs verified against the issuer's JWKS, mapped to groups and roles.

Keycloak's layout is the default: a `groups` claim listing `/<group>/<role>` paths (e.g.
`/herpetology/user`). Keys are fetched from the JWKS URL, cached, and fetched again when a
token names a key id not seen yet (key rotation), at most once per `refresh_interval`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import PyJWK

from subgraphs.core.base.errors import ClientError, ErrorCode


class Role(IntEnum):
    """DINA's roles within one group, weakest first."""

    READ_ONLY = 1
    USER = 2
    SUPER_USER = 3
    ADMIN = 4

    @classmethod
    def parse(cls, name: str) -> Role | None:
        return cls.__members__.get(name.strip().upper().replace("-", "_"))


@dataclass(frozen=True)
class Principal:
    """The authenticated caller (or the anonymous one): a role per group."""

    subject: str | None = None
    name: str = "anonymous"
    roles: dict[str, Role] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return self.subject is not None

    def role_in(self, group: str) -> Role | None:
        return self.roles.get(group)


ANONYMOUS = Principal()


def roles_from_claims(claims: dict[str, Any], groups_claim: str) -> dict[str, Role]:
    """`/group/role` (or `group/role`) entries of the groups claim; the strongest role wins."""
    roles: dict[str, Role] = {}
    for entry in claims.get(groups_claim) or []:
        parts = [p for p in str(entry).split("/") if p]
        if len(parts) < 2 or (role := Role.parse(parts[-1])) is None:
            continue
        group = "/".join(parts[:-1])
        roles[group] = max(role, roles.get(group, role))
    return roles


class KeySet:
    """A JWKS: from a URL (refreshed on unknown key ids) or fixed (the dev key)."""

    def __init__(self, url: str | None = None, keys: dict[str, Any] | None = None,
                 refresh_interval: float = 60) -> None:
        self.url = url
        self.keys: dict[str, Any] = dict(keys or {})
        self.refresh_interval = refresh_interval
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    @staticmethod
    def parse(jwks: dict[str, Any]) -> dict[str, Any]:
        return {k["kid"]: PyJWK(k).key for k in jwks.get("keys", []) if "kid" in k}

    async def key(self, kid: str | None) -> Any:
        if kid in self.keys:
            return self.keys[kid]
        if self.url is not None:
            async with self._lock:
                if kid not in self.keys and time.monotonic() - self._fetched_at > self.refresh_interval:
                    async with httpx.AsyncClient(timeout=5) as client:
                        response = await client.get(self.url)
                        response.raise_for_status()
                    self.keys = self.parse(response.json())
                    self._fetched_at = time.monotonic()
        if kid not in self.keys:
            raise jwt.InvalidTokenError(f"unknown signing key {kid!r}")
        return self.keys[kid]


ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


def _algorithms_for(key: Any) -> list[str]:
    """The accepted algorithms this key can verify: a token naming ES256 for an RSA key is refused
    as invalid (PyJWT itself raises a TypeError for the mismatch)."""
    family = "ES" if isinstance(key, ec.EllipticCurvePublicKey) else "RS" if isinstance(key, rsa.RSAPublicKey) else ""
    return [a for a in ALGORITHMS if a.startswith(family) or (family == "RS" and a.startswith("PS"))] if family else []


class TokenVerifier:
    def __init__(self, keys: KeySet, issuer: str, audience: str, groups_claim: str = "groups",
                 leeway: float = 30) -> None:
        self.keys, self.issuer, self.audience = keys, issuer, audience
        self.groups_claim, self.leeway = groups_claim, leeway

    async def principal(self, authorization: str | None) -> Principal:
        """The caller of a request with this Authorization header; anonymous without one."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ClientError(ErrorCode.UNAUTHENTICATED, "Use `Authorization: Bearer <token>`.")
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALGORITHMS:
                raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")
            key = await self.keys.key(header.get("kid"))
            if header["alg"] not in _algorithms_for(key):
                raise jwt.InvalidAlgorithmError(f"algorithm {header['alg']!r} does not match the signing key")
            claims = jwt.decode(
                token, key, algorithms=_algorithms_for(key),
                audience=self.audience, issuer=self.issuer, leeway=self.leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.InvalidTokenError, httpx.HTTPError) as error:
            raise ClientError(ErrorCode.UNAUTHENTICATED, f"Invalid token: {error}.") from None
        return Principal(
            subject=claims["sub"], name=claims.get("preferred_username") or claims.get("name") or claims["sub"],
            roles=roles_from_claims(claims, self.groups_claim),
        )


def jwks_document(public_keys: dict[str, Any]) -> dict[str, Any]:
    """A JWKS JSON document of ``{kid: public_key}``."""
    keys = []
    for kid, key in public_keys.items():
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
        keys.append(jwk | {"kid": kid, "use": "sig", "alg": "RS256"})
    return {"keys": keys}
