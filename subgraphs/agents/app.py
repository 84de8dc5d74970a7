"""The agents subgraph, assembled."""

from subgraphs.core.schema.factory import federated_schema

from .schema import Mutation, Organization, Person, Query

NAME = "agents"
schema = federated_schema(Query, Mutation, types=[Person, Organization])
