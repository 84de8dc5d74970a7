"""The molecular (SeqDB) subgraph, assembled."""

from subgraphs.core.schema import federated_schema

from .schema import ENTITY_TYPES, Mutation, Query

NAME = "molecular"
schema = federated_schema(Query, Mutation, types=ENTITY_TYPES)
