"""The dev-mode signing key: `dina-graph token` mints with it and a dev `serve` trusts it.

Never trusted in production mode (DINA_DEV=false): there only the OIDC issuer's keys count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEV_ISSUER = "urn:dina-graph:dev"
DEV_KID = "dina-graph-dev"


def dev_private_key(data_dir: Path) -> rsa.RSAPrivateKey:
    """The key under the data dir, created on first use (mode 600)."""
    path = data_dir / "dev-signing-key.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)
    return key


def mint_token(key: Any, *, kid: str, issuer: str, audience: str, subject: str, groups: list[str],
               name: str | None = None, lifetime: dt.timedelta = dt.timedelta(hours=8),
               extra: dict[str, Any] | None = None) -> str:
    """A signed RS256 JWT in Keycloak's layout (`groups`: ["/group/role", …])."""
    now = dt.datetime.now(dt.UTC)
    claims = {"iss": issuer, "aud": audience, "sub": subject, "preferred_username": name or subject,
              "groups": groups, "iat": now, "nbf": now, "exp": now + lifetime} | (extra or {})
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
