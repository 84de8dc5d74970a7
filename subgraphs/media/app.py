"""The media (object store) subgraph, assembled."""

from subgraphs.core.schema import federated_schema

from .schema import Media, Person, Query

NAME = "media"
schema = federated_schema(Query, types=[Media, Person])
