"""Two processes of one subgraph behind the real router (federation/replicas.mjs): requests go to both
in turn, and reads and writes through the router stay correct while one is stopped and started again.
Stopping is graceful (uvicorn finishes what it is answering), so no request in flight fails either."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from subgraphs.core.runtime.settings import Settings

from .conftest import ISSUER, SubgraphServer, free_port, graphql, started_router

CREATE = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } errors { code } } }"""
COUNT = """query($group: String!) { people(filter: {group: {eq: $group}}) { totalCount } }"""


def answered(server: SubgraphServer) -> float:
    """Operations the replica's agents subgraph answered (its own /metrics)."""
    text = httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=10).text
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "dina_graphql_operations_total" and s.labels["subgraph"] == "agents")


class Replica:
    """One agents replica on a fixed port, stopped and started again as a deployment restarts a pod."""

    def __init__(self, database_url: str, settings: Settings) -> None:
        self.database_url, self.settings = database_url, settings
        self.port = settings.subgraph_port
        self.server: SubgraphServer | None = None

    def start(self) -> SubgraphServer:
        self.server = SubgraphServer(self.database_url, self.port, self.settings).__enter__()
        return self.server

    def stop(self) -> None:
        assert self.server is not None
        self.server.__exit__()
        self.server = None


@pytest.fixture
def replicas(database_url: str, subgraphs: SubgraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Replica, Replica]]:
    """The router, with the agents subgraph on two replicas of its own (the rest on the session's subgraphs)."""
    pair = []
    for _ in range(2):
        port = free_port()
        pair.append(Replica(database_url, ISSUER.settings(subgraph_port=port, data_dir=tmp_path_factory.mktemp("replica"))))
    for replica in pair:
        replica.start()
    agents = {"DINA_SUBGRAPH_URL_AGENTS": ",".join(f"http://127.0.0.1:{r.port}/agents/graphql" for r in pair)}
    try:
        with started_router(subgraphs, Settings(dev=False), extra_env=agents) as (url, _):
            yield url, pair[0], pair[1]
    finally:
        for replica in pair:
            if replica.server is not None:
                replica.stop()


def test_reads_and_writes_stay_correct_while_a_replica_restarts(replicas: tuple[str, Replica, Replica]) -> None:
    router, first, second = replicas
    group = f"replicas-{uuid.uuid4().hex[:8]}"
    token = ISSUER.token(f"{group}/admin")
    created: list[str] = []
    failures: list[object] = []

    def write(name: str) -> None:
        body = graphql(router, CREATE, {"input": {"group": group, "displayName": name}}, token=token)
        payload = (body.get("data") or {}).get("createPerson")
        if payload is None or payload["errors"]:
            failures.append(body)
        else:
            created.append(payload["person"]["id"])

    def count() -> int:
        body = graphql(router, COUNT, {"group": group}, token=token)
        assert "errors" not in body, body
        return body["data"]["people"]["totalCount"]

    before = (answered(first.server), answered(second.server))
    for i in range(6):
        write(f"both up {i}")
    assert answered(first.server) > before[0] and answered(second.server) > before[1]  # taken in turn

    # Writes keep coming from other threads while the second replica stops and starts again.
    stop = threading.Event()

    def keep_writing(worker: int) -> None:
        i = 0
        while not stop.is_set():
            write(f"worker {worker} #{i}")
            i += 1

    workers = [threading.Thread(target=keep_writing, args=(n,)) for n in range(3)]
    for thread in workers:
        thread.start()
    try:
        second.stop()
        during = [count() for _ in range(5)]
        second.start()
        after_restart = answered(second.server)
        # A replica that refused a connection is left out for 2 s (federation/replicas.mjs), then back in turn.
        deadline, i = time.monotonic() + 15, 0
        while answered(second.server) <= after_restart and time.monotonic() < deadline:
            write(f"restarted {i}")
            i += 1
    finally:
        stop.set()
        for thread in workers:
            thread.join(30)

    assert failures == []
    assert during == sorted(during)  # reads see every committed write, never fewer
    assert count() == len(created) == len(set(created))  # each write landed once
    assert answered(second.server) > after_restart  # back in turn once it answers again
