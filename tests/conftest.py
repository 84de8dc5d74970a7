"""Real parts for every test: a fresh PostgreSQL database, the subgraphs over HTTP, the real router."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select, text
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from subgraphs.core.data.db import Database
from subgraphs.core.http.app import subgraphs_app
from subgraphs.core.runtime import migrate
from subgraphs.core.runtime.federation import start_router, url_overrides
from subgraphs.core.runtime.processes import stop, wait_until_ready
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import jwks_document
from subgraphs.core.security.devkeys import mint_token
from subgraphs.registry import METADATA, SCHEMAS, routes_for

from .differential import DIFFERENTIAL

DIFFERENTIAL.install()
# The schemas are built (tests/__init__.py turned their introspection on); every Settings() from here
# on, the routers' included, sees the defaults again.
os.environ.pop("DINA_INTROSPECTION", None)

ADMIN_URL = os.environ.get("DINA_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REPO = Path(__file__).resolve().parents[1]
PEER_DIR = Path(os.environ.get("DINA_PEER_DIR", REPO / ".cache" / "peer"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def create_database(name: str) -> str:
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(name: str) -> None:
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A database of its own for this run, migrated to head, dropped at the end."""
    name = f"dina_test_{uuid.uuid4().hex[:10]}"
    url = await create_database(name)
    await asyncio.to_thread(migrate.upgrade, url)
    yield url
    await drop_database(name)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(DIFFERENTIAL.summary())


def pytest_sessionfinish(session: pytest.Session) -> None:
    if DIFFERENTIAL.mismatches:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    """The tests' own connection, for seeding and checking what is stored."""
    database = Database(database_url, pool_size=2)
    yield database
    await database.dispose()


async def table_counts(db: Database) -> dict[str, int]:
    """Rows in every table of every subgraph schema, by "schema.table": what "nothing written" compares."""
    tables = [t for m in METADATA.values() for t in m.sorted_tables]
    async with db.engine.connect() as conn:
        return {f"{t.schema}.{t.name}": await conn.scalar(select(func.count()).select_from(t)) for t in tables}


async def truncate_all(db: Database) -> None:
    tables = ", ".join(f"{t.schema}.{t.name}" for m in METADATA.values() for t in m.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture
async def clean_db(db: Database) -> Database:
    """An empty database for tests that look at whole lists."""
    await truncate_all(db)
    return db


class Issuer:
    """A test OIDC issuer: an RSA key whose JWKS a real local HTTP server publishes."""

    name = "https://issuer.test/realms/dina"
    audience = "dina-graph"
    kid = "test-key-1"

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.port = free_port()
        self.document = jwks_document({self.kid: self.key.public_key()})
        self.fetches = 0

        async def jwks(_: object) -> JSONResponse:
            self.fetches += 1
            return JSONResponse(self.document)

        app = Starlette(routes=[Route("/jwks.json", jwks)])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        wait_until_ready(self.jwks_url, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/jwks.json"

    def token(self, *groups: str, subject: str = "test-user", **options: object) -> str:
        """A signed token; ``groups`` like "herpetology/user"."""
        return mint_token(self.key, kid=self.kid, issuer=self.name, audience=self.audience,
                          subject=subject, groups=[f"/{g}" for g in groups], **options)

    def settings(self, **overrides: object) -> Settings:
        return Settings(**{"dev": False, "oidc_issuer": self.name, "oidc_jwks_url": self.jwks_url,
                           "oidc_audience": self.audience, **overrides})


ISSUER = Issuer()
# Tests write as an admin of the groups their data lives in, unless they say otherwise.
ADMIN_GROUPS = ("test/admin", "herpetology/admin", "g/admin", "demo/admin", "botany/admin")
DEFAULT = object()


@pytest.fixture(scope="session", autouse=True)
def issuer() -> Iterator[Issuer]:
    ISSUER.start()
    yield ISSUER
    ISSUER.stop()


class SubgraphServer:
    """All four subgraphs in one uvicorn, in a thread of the test process (so SQL can be counted).
    Every query it runs is replayed by the differential check (tests/differential.py)."""

    def __init__(self, database_url: str, port: int, settings: Settings | None = None) -> None:
        self.port = port
        self.db = Database(database_url, pool_size=5)
        DIFFERENTIAL.watch(self.db, database_url)
        self.settings = settings = settings or ISSUER.settings(subgraph_port=port)
        app = subgraphs_app(SCHEMAS, self.db, settings, extra_routes=routes_for(list(SCHEMAS)))
        self.views = app.state.views
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port,
            log_level="warning", access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}/graphql"

    @property
    def statements(self) -> int:
        return self.db.statements.count

    def __enter__(self) -> SubgraphServer:
        self.thread.start()
        wait_until_ready(f"http://127.0.0.1:{self.port}/healthz", timeout=30)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def subgraphs(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubgraphServer]:
    port = free_port()
    # Production mode, configured as a deployment would be: the built-in report templates and a
    # `public` group readable by anyone, the router's loopback address allowed to read `_service`
    # (the reference gateway composes from it), and web apps of any origin (without credentials).
    settings = ISSUER.settings(subgraph_port=port, data_dir=tmp_path_factory.mktemp("data"),
                               public_groups="builtin,public", service_addresses="127.0.0.1", cors_origins="*")
    with SubgraphServer(database_url, port, settings) as server:
        yield server


@contextmanager
def started_router(subgraphs: SubgraphServer, settings: Settings,
                   extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The real router serving the committed supergraph, pointed at the test subgraphs (``extra_env``:
    other settings, e.g. a subgraph elsewhere): its URL and process."""
    port = free_port()
    env = url_overrides(list(SCHEMAS), "127.0.0.1", subgraphs.port) | settings.router_env() | (extra_env or {})
    process = start_router("127.0.0.1", port, env)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/readiness", process, timeout=120)
        yield f"http://127.0.0.1:{port}/graphql", process
    finally:
        stop(process)


@contextmanager
def running_router(subgraphs: SubgraphServer, settings: Settings) -> Iterator[str]:
    with started_router(subgraphs, settings) as (url, _):
        yield url


@pytest.fixture(scope="session")
def router(subgraphs: SubgraphServer) -> Iterator[str]:
    """The router as `serve` runs it in dev mode (GraphiQL and introspection on)."""
    with running_router(subgraphs, Settings(dev=True)) as url:
        yield url


def mutate(url: str, query: str, **input: object) -> dict:
    """Run a one-field mutation with ``input``; returns its payload's object, failing on any error."""
    body = graphql(url, query, {"input": input})
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert payload["errors"] == [], payload["errors"]
    return next(v for k, v in payload.items() if k != "errors")


def graphql(url: str, query: str, variables: dict | None = None, token: object = DEFAULT, **headers: str) -> dict:
    """POST a GraphQL request the way a client does (with an admin token unless ``token`` says
    otherwise; None: anonymous); returns the decoded body."""
    if token is DEFAULT:
        token = ISSUER.token(*ADMIN_GROUPS)
    auth = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        url, json={"query": query, "variables": variables or {}},
        headers={"accept": "application/graphql-response+json, application/json", **auth, **headers},
        timeout=30,
    )
    assert response.headers["content-type"].startswith("application/"), response.text
    return response.json()
