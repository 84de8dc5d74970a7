"""Specify for the broker's tests: the stand-in over HTTP, or a real Specify 7 when DINA_SPECIFY_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ..conftest import free_port
from .standin import SpecifyStandIn, running

REAL_SPECIFY = os.environ.get("DINA_SPECIFY_URL")


@pytest.fixture(scope="session")
def standin() -> Iterator[SpecifyStandIn]:
    """One stand-in for the session, with the recorded data set plus 120 generated objects
    (the broker tests read ids 1-6 as recorded and page through the rest)."""
    yield from running(free_port())


@pytest.fixture
def fresh_standin() -> Iterator[SpecifyStandIn]:
    """A stand-in in the recorded start state, for tests that replay or change it."""
    yield from running(free_port())


@pytest.fixture
def specify_url(fresh_standin: SpecifyStandIn) -> str:
    """Where the contract tests send the recorded requests: a real Specify 7 when configured."""
    return REAL_SPECIFY.rstrip("/") if REAL_SPECIFY else fresh_standin.url
