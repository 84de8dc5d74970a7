"""The molecular (SeqDB) subgraph, assembled."""

from subgraphs.core.schema import federated_schema

from .schema import MaterialSample, Query, Sequence

NAME = "molecular"
schema = federated_schema(Query, types=[Sequence, MaterialSample])
