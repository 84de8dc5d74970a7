"""The molecular (SeqDB) subgraph, assembled."""

from collections.abc import Sequence
from typing import Any

from strawberry.federation import Schema

from subgraphs.core.schema.factory import extend_type, federated_schema
from subgraphs.core.writes.crud import mutation_type

from .schema import ENTITY_TYPES, MUTATIONS, Query

NAME = "molecular"


def build(*, queries: Sequence[dict[str, Any]] = (), mutations: Sequence[dict[str, Any]] = ()) -> Schema:
    """The schema, with fields of cross-domain workflows (exchange) added by the registry."""
    return federated_schema(extend_type(Query, *queries), mutation_type(*MUTATIONS, *mutations), types=ENTITY_TYPES)
