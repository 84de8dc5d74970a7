"""The reports subgraph, assembled."""

from subgraphs.core.schema.factory import federated_schema

from .schema import Media, Mutation, Query, ReportTemplate

NAME = "reports"
schema = federated_schema(Query, Mutation, types=[ReportTemplate, Media])
