"""The Specify broker subgraph, assembled. It is always served: without DINA_SPECIFY_URL its fields
answer UPSTREAM_UNAVAILABLE, so the supergraph is the same in every deployment."""

from subgraphs.core.schema.factory import federated_schema

from .schema import Mutation, Person, Query, Sequence, SpecifyCollectionObject

NAME = "specify"
schema = federated_schema(Query, Mutation, types=[SpecifyCollectionObject, Person, Sequence])
