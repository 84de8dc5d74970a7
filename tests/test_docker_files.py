"""No Docker engine runs here, so the docker/ files are checked for what can be checked without one."""

from __future__ import annotations

import json
import re

import yaml

from subgraphs.registry import SCHEMAS

from .conftest import REPO

DOCKER = REPO / "docker"


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def test_compose_runs_every_subgraph_behind_the_router() -> None:
    services = compose()["services"]
    for name in SCHEMAS:
        assert services[name]["environment"]["SUBGRAPH"] == name
        url = services["router"]["environment"][f"DINA_SUBGRAPH_URL_{name.upper()}"]
        assert url == f"http://{name}:8000/{name}/graphql"
    assert {"postgres", "minio", "migrate", "router"} <= set(services)


def test_every_build_points_at_a_dockerfile_whose_sources_exist() -> None:
    for service in compose()["services"].values():
        if "build" not in service:
            continue
        dockerfile = (DOCKER / service["build"]["context"] / service["build"]["dockerfile"]).resolve()
        assert dockerfile.is_file(), dockerfile
        for line in dockerfile.read_text().splitlines():
            if match := re.match(r"COPY\s+(.+)\s+\S+$", line):
                for source in match.group(1).split():
                    assert (REPO / source).exists(), f"{dockerfile.name}: {source} is missing"


def test_keycloak_realm_matches_what_the_subgraphs_expect() -> None:
    services = compose()["services"]
    realm = json.loads((DOCKER / "keycloak" / "dina-realm.json").read_text())
    env = services["agents"]["environment"]
    assert env["DINA_OIDC_ISSUER"] == f"http://keycloak:8080/realms/{realm['realm']}"
    (client,) = [c for c in realm["clients"] if c["clientId"] == env["DINA_OIDC_AUDIENCE"]]
    mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
    assert mappers["oidc-group-membership-mapper"]["claim.name"] == "groups"
    assert mappers["oidc-audience-mapper"]["included.client.audience"] == env["DINA_OIDC_AUDIENCE"]
    roles = {"read-only", "user", "super-user", "admin"}
    assert all({g["name"] for g in group["subGroups"]} == roles for group in realm["groups"])
    mounted = services["keycloak"]["volumes"][0].split(":")[0]
    assert (DOCKER / mounted).resolve() == (DOCKER / "keycloak" / "dina-realm.json").resolve()
