from .root import Mutation, Query
from .types import ENTITY_TYPES

__all__ = ["ENTITY_TYPES", "Mutation", "Query"]
