from .root import Mutation, Query
from .types import Person, Sequence, SpecifyCollectionObject

__all__ = ["Mutation", "Person", "Query", "Sequence", "SpecifyCollectionObject"]
