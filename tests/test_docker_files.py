"""No Docker engine runs here, so the docker/ files are checked for what can be checked without one."""

from __future__ import annotations

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
