"""The molecular (SeqDB) subgraph, assembled."""

from typing import Any

from strawberry.federation import Schema

from subgraphs.core.crud import mutation_type
from subgraphs.core.schema import federated_schema

from .schema import ENTITY_TYPES, MUTATIONS, Query

NAME = "molecular"


def build(*extra_mutations: dict[str, Any]) -> Schema:
    """The schema, with mutations of cross-domain workflows (exchange) added by the registry."""
    return federated_schema(Query, mutation_type(*MUTATIONS, *extra_mutations), types=ENTITY_TYPES)
