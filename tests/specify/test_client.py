"""The Specify client on its own: what a login Specify refuses, or no Specify at all, becomes."""

from __future__ import annotations

import pytest

from subgraphs.specify.client import SpecifyError, SpecifyUnavailable, client_for
from subgraphs.specify.service import typed

from ..conftest import free_port
from .conftest import REAL_SPECIFY, broker_settings
from .standin import SpecifyStandIn

pytestmark = pytest.mark.skipif(bool(REAL_SPECIFY), reason="drives the stand-in")


async def test_a_refused_login_is_upstream_unavailable(fresh_standin: SpecifyStandIn) -> None:
    client = client_for(broker_settings(fresh_standin, 0, specify_password="wrong"))

    with pytest.raises(SpecifyUnavailable, match=r"refused the service account's login \(403\)") as raised:
        await client.page("collectionobject", {"limit": "1"})

    assert typed(raised.value).code == "UPSTREAM_UNAVAILABLE"


async def test_an_unknown_collection_is_named(fresh_standin: SpecifyStandIn) -> None:
    client = client_for(broker_settings(fresh_standin, 0, specify_collection="Herpetology"))

    with pytest.raises(SpecifyUnavailable, match="no collection 'Herpetology'"):
        await client.collection_id()


async def test_no_server_is_upstream_unavailable() -> None:
    settings = broker_settings(SpecifyStandIn(free_port()), 0)  # never started: nothing listens there

    with pytest.raises(SpecifyUnavailable, match="cannot be reached"):
        await client_for(settings).record("collectionobject", 1)


async def test_errors_keep_specifys_words(fresh_standin: SpecifyStandIn) -> None:
    client = client_for(broker_settings(fresh_standin, 0))

    with pytest.raises(SpecifyError) as missing:
        await client.record("collectionobject", 99999)
    with pytest.raises(SpecifyError) as unversioned:
        await client.update("collectionobject", 1, {"remarks": "x"})

    assert (missing.value.status, missing.value.message) == (404, "No Collectionobject matches the given query.")
    assert typed(missing.value).code == "NOT_FOUND"
    error = typed(unversioned.value)
    assert (error.code, error.message) == ("BAD_USER_INPUT",
                                           "Specify: Collectionobject object cannot be updated without version info")
