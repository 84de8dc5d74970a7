"""The domains this deployment serves; the only module that knows them all."""

from __future__ import annotations

from sqlalchemy import MetaData
from strawberry.federation import Schema

from .agents import app as agents_app
from .agents import models as agents_models
from .collection import app as collection_app
from .collection import models as collection_models
from .exchange import models as exchange_models
from .exchange.schema import DWCA_IMPORT_MUTATIONS, DWCA_IMPORT_QUERIES, SAMPLESHEET_IMPORT, SEQUENCE_IMPORT
from .media import app as media_app
from .media import models as media_models
from .molecular import app as molecular_app
from .molecular import models as molecular_models
from .reports import app as reports_app
from .reports import models as reports_models
from .specify import app as specify_app
from .specify import models as specify_models
from .transactions import app as transactions_app
from .transactions import models as transactions_models

SCHEMAS: dict[str, Schema] = {
    agents_app.NAME: agents_app.schema,
    # Imports create records of several domains: exchange workflows, mounted where their core data lives.
    collection_app.NAME: collection_app.build(queries=[DWCA_IMPORT_QUERIES], mutations=[DWCA_IMPORT_MUTATIONS]),
    molecular_app.NAME: molecular_app.build(mutations=[SEQUENCE_IMPORT, SAMPLESHEET_IMPORT]),
    media_app.NAME: media_app.schema,
    transactions_app.NAME: transactions_app.schema,
    specify_app.NAME: specify_app.schema,  # the Specify 7 broker: Specify's records over its HTTP API
    reports_app.NAME: reports_app.schema,
}

# Extra HTTP routes a subgraph serves beside its GraphQL endpoint (given the app's settings and database).
ROUTES = {"media": media_app.routes}


def routes_for(names: list[str]) -> list:
    return [ROUTES[name] for name in names if name in ROUTES]


METADATA: dict[str, MetaData] = {
    "agents": agents_models.Base.metadata,
    "collection": collection_models.Base.metadata,
    "molecular": molecular_models.Base.metadata,
    "media": media_models.Base.metadata,
    "exchange": exchange_models.Base.metadata,
    "transactions": transactions_models.Base.metadata,
    "specify": specify_models.Base.metadata,
    "reports": reports_models.Base.metadata,
}
