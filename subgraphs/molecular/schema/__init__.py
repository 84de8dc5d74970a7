"""The molecular subgraph's GraphQL schema: types, inputs, root fields."""

from .root import MUTATIONS, Query
from .types import ENTITY_TYPES

__all__ = ["ENTITY_TYPES", "MUTATIONS", "Query"]
