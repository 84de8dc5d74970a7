"""The transactions subgraph, assembled."""

from subgraphs.core.schema.factory import federated_schema

from .schema import ENTITY_TYPES, Mutation, Query

NAME = "transactions"
schema = federated_schema(Query, Mutation, types=ENTITY_TYPES)
