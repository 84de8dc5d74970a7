"""The collection subgraph, assembled."""

from collections.abc import Sequence
from typing import Any

from strawberry.federation import Schema

from subgraphs.core.schema.factory import extend_type, federated_schema

from .schema import ENTITY_TYPES, Mutation, Query

NAME = "collection"


def build(*, queries: Sequence[dict[str, Any]] = (), mutations: Sequence[dict[str, Any]] = ()) -> Schema:
    """The schema, with fields of cross-domain workflows (exchange) added by the registry."""
    return federated_schema(extend_type(Query, *queries), extend_type(Mutation, *mutations), types=ENTITY_TYPES)
