from __future__ import annotations

import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, truncate_all
from .dataset import Dataset, build


@pytest.fixture(scope="module")
async def dataset(db: Database, subgraphs: SubgraphServer) -> Dataset:
    """The dataset of dataset.py, in an otherwise empty database, shared by a module's read-only tests."""
    await truncate_all(db)
    return build(subgraphs)
