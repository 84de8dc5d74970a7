"""The collection subgraph, assembled."""

from subgraphs.core.schema import federated_schema

from .schema import CollectingEvent, MaterialSample, Media, Person, Query

NAME = "collection"
schema = federated_schema(Query, types=[MaterialSample, CollectingEvent, Person, Media])
