"""No Docker engine runs here, so docker/ is checked for everything that can be checked without one:
the compose file against the Compose Specification's JSON schema, every build's Dockerfile, stage and
COPY source, the files it mounts, the settings each subgraph container gets (production mode must
accept them), and the Keycloak realm's signing key, used the way production uses Keycloak's."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import uvicorn
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jwt as jose_jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import KeySet, Role, TokenVerifier, jwks_document
from subgraphs.registry import SCHEMAS

from .conftest import REPO, free_port

DOCKER = REPO / "docker"
# The Compose Specification's schema, as the compose linter dclint (an npm devDependency) ships it.
COMPOSE_SCHEMA = REPO / "federation" / "node_modules" / "dclint" / "schemas" / "compose.schema.json"
REALM = DOCKER / "keycloak" / "dina-realm.json"
JOBS = {"migrate", "create-bucket"}  # run once and exit: no healthcheck
# The collector's image is distroless (nothing to run a check command with); its health_check
# extension answers on :13133 for an orchestrator that probes over HTTP (Kubernetes).
UNCHECKABLE = {"otel-collector"}


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def interpolated(value: str, env: dict[str, str] | None = None) -> str:
    """Compose's ``${NAME:-default}`` interpolation, with ``env`` (default: none set)."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: (env or {}).get(m.group(1), m.group(2)), value)


@pytest.mark.skipif(not COMPOSE_SCHEMA.exists(), reason="npm ci in federation/ installs the compose schema (dclint)")
def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    assert schema["title"] == "Compose Specification" and "include" in schema["properties"]  # a current one
    jsonschema.Draft7Validator(schema).validate(compose())
    broken = {**compose(), "services": {"router": {"image": "x", "ports": {"not": "a list"}}}}
    with pytest.raises(jsonschema.ValidationError):  # the schema does check services
        jsonschema.Draft7Validator(schema).validate(broken)


def test_compose_runs_every_subgraph_behind_the_router() -> None:
    services = compose()["services"]
    for name in SCHEMAS:
        assert services[name]["environment"]["SUBGRAPH"] == name
        url = services["router"]["environment"][f"DINA_SUBGRAPH_URL_{name.upper()}"]
        assert url == f"http://{name}:8000/{name}/graphql"
        assert services["router"]["depends_on"][name] == {"condition": "service_healthy"}
    assert {"postgres", "minio", "create-bucket", "keycloak", "otel-collector", "migrate", "router"} <= set(services)


def test_every_long_running_service_has_a_healthcheck() -> None:
    for name, service in compose()["services"].items():
        if name in JOBS:
            assert service["restart"] == "no"
        elif name not in UNCHECKABLE:
            assert "test" in service["healthcheck"], name
    for name in SCHEMAS:  # a subgraph is healthy when it is ready: database and object store answer
        assert "/ready" in " ".join(compose()["services"][name]["healthcheck"]["test"])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_subgraph_gets_complete_production_settings(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a container's `dina-graph subgraphs` reads: production mode, media in MinIO, accepted by the
    same check the CLI runs before it serves."""
    for key in list(os.environ):
        if key.startswith(("DINA_", "OTEL_")) or key == "DATABASE_URL":
            monkeypatch.delenv(key)
    for key, value in compose()["services"][name]["environment"].items():
        monkeypatch.setenv(key, interpolated(str(value)))
    settings = Settings(_env_file=None)
    settings.check_serving()
    assert not settings.dev and settings.storage == "s3" and settings.s3_endpoint_url == "http://minio:9000"
    assert settings.otlp_endpoint == "http://otel-collector:4318"


def test_public_urls_come_from_one_setting() -> None:
    """Every name a client uses (issuer, presigned media URLs, Keycloak's own) follows DINA_PUBLIC_HOST."""
    services = compose()["services"]
    public = {"DINA_OIDC_ISSUER": services["media"]["environment"]["DINA_OIDC_ISSUER"],
              "DINA_S3_PUBLIC_ENDPOINT_URL": services["media"]["environment"]["DINA_S3_PUBLIC_ENDPOINT_URL"],
              "KC_HOSTNAME": services["keycloak"]["environment"]["KC_HOSTNAME"]}
    moved = {key: interpolated(value, {"DINA_PUBLIC_HOST": "graph.example.org"}) for key, value in public.items()}
    assert moved == {"DINA_OIDC_ISSUER": "http://graph.example.org:8080/realms/dina",
                     "DINA_S3_PUBLIC_ENDPOINT_URL": "http://graph.example.org:9000",
                     "KC_HOSTNAME": "http://graph.example.org:8080"}
    text = (DOCKER / "compose.yaml").read_text()
    assert "localhost" not in re.sub(r"\$\{DINA_PUBLIC_HOST:-localhost\}", "", text.split("\nname:", 1)[1])
    assert "0.0.0.0" not in json.dumps(services["media"]["environment"])


def stages(dockerfile: Path) -> dict[str, str]:
    """Each ``FROM … AS name`` stage's text (an unnamed last stage is "")."""
    found, name = {}, None
    for line in dockerfile.read_text().splitlines():
        if match := re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line):
            name = match.group(1) or ""
            found[name] = ""
        elif name is not None:
            found[name] += line + "\n"
    return found


def test_every_build_points_at_a_dockerfile_stage_whose_sources_exist() -> None:
    for name, service in compose()["services"].items():
        if "build" not in service:
            continue
        context = (DOCKER / service["build"]["context"]).resolve()
        dockerfile = context / service["build"]["dockerfile"]
        assert dockerfile.is_file(), dockerfile
        if "target" in service["build"]:
            assert service["build"]["target"] in stages(dockerfile), name
        for line in dockerfile.read_text().splitlines():
            if (match := re.match(r"COPY\s+(.+)\s+\S+$", line)) and "--from" not in line:
                for source in match.group(1).split():
                    assert (context / source).exists(), f"{dockerfile.name}: {source} is missing"
    for service in compose()["services"].values():
        for volume in service.get("volumes", []):
            if volume.startswith("./"):
                assert (DOCKER / volume.split(":")[0]).is_file(), volume


def test_the_subgraph_image_runs_without_the_test_tools() -> None:
    build = compose()["services"]["agents"]["build"]
    runtime = stages(DOCKER / "subgraph.Dockerfile")[build["target"]]
    assert "-c requirements.lock -e ." in runtime  # the lock as constraints on the runtime dependencies
    assert "[test]" not in runtime and "tests" not in runtime.split("COPY")[-1]
    assert "[test]" in stages(DOCKER / "subgraph.Dockerfile")["test"]
    assert "--omit=dev" in (DOCKER / "router.Dockerfile").read_text()
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", "federation/node_modules", ".git"} <= set(ignored)


def realm() -> dict:
    return json.loads(REALM.read_text())


def test_keycloak_realm_matches_what_the_subgraphs_expect() -> None:
    env = compose()["services"]["agents"]["environment"]
    assert interpolated(env["DINA_OIDC_ISSUER"]).endswith(f"/realms/{realm()['realm']}")
    assert env["DINA_OIDC_JWKS_URL"] == f"http://keycloak:8080/realms/{realm()['realm']}/protocol/openid-connect/certs"
    (client,) = [c for c in realm()["clients"] if c["clientId"] == env["DINA_OIDC_AUDIENCE"]]
    mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
    assert mappers["oidc-group-membership-mapper"]["claim.name"] == "groups"
    assert mappers["oidc-group-membership-mapper"]["full.path"] == "true"
    assert mappers["oidc-audience-mapper"]["included.client.audience"] == env["DINA_OIDC_AUDIENCE"]
    roles = {role.name.lower().replace("_", "-") for role in Role}  # the roles auth.py knows
    assert all({g["name"] for g in group["subGroups"]} == roles for group in realm()["groups"])
    (user,) = realm()["users"]
    known = {f"/{g['name']}/{s['name']}" for g in realm()["groups"] for s in g["subGroups"]}
    assert user["groups"] and set(user["groups"]) <= known
    mounted = compose()["services"]["keycloak"]["volumes"][0].split(":")[0]
    assert (DOCKER / mounted).resolve() == REALM.resolve()


def realm_signing_key() -> tuple[str, str, x509.Certificate]:
    """The realm's RSA key provider as Keycloak reads it: a base64 PKCS#8 key and a base64 X.509
    certificate; the key id Keycloak publishes is the base64url SHA-256 of the public key's encoding."""
    (provider,) = realm()["components"]["org.keycloak.keys.KeyProvider"]
    assert provider["providerId"] == "rsa" and provider["config"]["algorithm"] == ["RS256"]
    (private,) = provider["config"]["privateKey"]
    (certificate,) = provider["config"]["certificate"]
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(private[i:i + 64] for i in range(0, len(private), 64)) \
        + "\n-----END PRIVATE KEY-----\n"
    cert = x509.load_der_x509_certificate(base64.b64decode(certificate))
    der = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    return pem, kid, cert


@pytest.fixture
def realm_jwks() -> Iterator[str]:
    """The realm's certs endpoint as Keycloak serves it, on loopback."""
    _, kid, cert = realm_signing_key()
    document = jwks_document({kid: cert.public_key()})
    app = Starlette(routes=[Route("/certs", lambda _: JSONResponse(document))])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/certs"
    server.should_exit = True
    thread.join(10)


async def test_a_token_signed_with_the_realm_key_is_verified_as_production_does(realm_jwks: str) -> None:
    pem, kid, cert = realm_signing_key()
    key = RSAKey.import_key(pem)
    assert key.as_dict(private=False)["n"] == RSAKey.import_key(cert.public_key()).as_dict()["n"]  # a pair
    env = compose()["services"]["agents"]["environment"]
    issuer, audience = interpolated(env["DINA_OIDC_ISSUER"]), env["DINA_OIDC_AUDIENCE"]
    (user,) = realm()["users"]
    now = int(time.time())
    claims = {"iss": issuer, "aud": [audience, "account"], "sub": "0f1c2d3e-demo", "typ": "Bearer", "azp": audience,
              "preferred_username": user["username"], "groups": user["groups"], "iat": now, "exp": now + 300}
    token = jose_jwt.encode({"alg": "RS256", "kid": kid, "typ": "JWT"}, claims, key)
    verifier = TokenVerifier(KeySet(url=realm_jwks), issuer, audience)  # what guard.token_verifier builds
    principal = await verifier.principal(f"Bearer {token}")
    assert principal.subject == "0f1c2d3e-demo"
    assert principal.roles == {"herpetology": Role.USER, "botany": Role.READ_ONLY}
    forged = jose_jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.generate_key(2048))
    with pytest.raises(Exception, match="(?i)signature"):
        await verifier.principal(f"Bearer {forged}")
