"""Specify for the broker's tests: the stand-in over HTTP, or a real Specify 7 when DINA_SPECIFY_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from subgraphs.core.runtime.settings import Settings

from ..conftest import ISSUER, SubgraphServer, free_port, running_router
from .standin import SpecifyStandIn, running

REAL_SPECIFY = os.environ.get("DINA_SPECIFY_URL")


@pytest.fixture(scope="session")
def standin() -> Iterator[SpecifyStandIn]:
    """One stand-in for the session, with the recorded data set plus 120 generated objects
    (the broker tests read ids 1-6 as recorded and page through the rest)."""
    for standin in running(free_port()):
        standin.add_collection_objects(120)
        yield standin


def broker_settings(standin: SpecifyStandIn, port: int, **overrides: object) -> Settings:
    """Subgraph settings whose broker logs in to ``standin`` as the recorded service account."""
    return ISSUER.settings(**{"subgraph_port": port, "specify_url": standin.url, "specify_user": standin.username,
                              "specify_password": standin.password, "specify_collection": "Invertebrate Paleontology",
                              "specify_group": "test", **overrides})


@pytest.fixture(scope="session")
def broker_subgraphs(database_url: str, standin: SpecifyStandIn,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubgraphServer]:
    """All subgraphs, the broker pointed at the stand-in."""
    port = free_port()
    settings = broker_settings(standin, port, data_dir=tmp_path_factory.mktemp("specify-data"))
    with SubgraphServer(database_url, port, settings) as server:
        yield server


@pytest.fixture(scope="session")
def broker_router(broker_subgraphs: SubgraphServer) -> Iterator[str]:
    with running_router(broker_subgraphs, Settings(dev=True)) as url:
        yield url


@pytest.fixture
def fresh_standin() -> Iterator[SpecifyStandIn]:
    """A stand-in in the recorded start state, for tests that replay or change it."""
    yield from running(free_port())


@pytest.fixture
def specify_url(fresh_standin: SpecifyStandIn) -> str:
    """Where the contract tests send the recorded requests: a real Specify 7 when configured."""
    return REAL_SPECIFY.rstrip("/") if REAL_SPECIFY else fresh_standin.url
