"""How every subgraph builds its federated schema."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionContext

from subgraphs.core.base.errors import ClientError, ErrorCode, ReportWarnings, log_errors, masked_errors
from subgraphs.core.execution.context import Info, RequestContext
from subgraphs.core.execution.executor import BatchedExecutionContext
from subgraphs.core.execution.metrics import MeasureOperations
from subgraphs.core.runtime.settings import get_settings
from subgraphs.core.security.limits import limit_extensions

ROUTER_SECRET_HEADER = "x-dina-router-secret"
FEDERATION_VERSION = "2.9"  # the newest @theguild/federation-composition accepts


@strawberry.type(name="_Service")
class Service:
    sdl: str


def may_read_sdl(context: RequestContext) -> bool:
    """In production the schema is the router's to read (it composes from the committed supergraph,
    so even it rarely asks): a caller with the configured shared secret, or from a configured address."""
    settings = context.settings
    if settings.dev:
        return True
    request = context.request
    if request is None:
        return False
    secret = request.headers.get(ROUTER_SECRET_HEADER, "")
    if settings.router_secret and hmac.compare_digest(secret.encode(), settings.router_secret.encode()):
        return True
    addresses = {a.strip() for a in settings.service_addresses.split(",") if a.strip()}
    return request.client is not None and request.client.host in addresses


def _service(info: Info) -> Service:
    if not may_read_sdl(info.context):
        raise ClientError(ErrorCode.FORBIDDEN, "`_service` answers only the federation router.")
    return Service(sdl=info.schema.as_str())


class FederatedSchema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        log_errors(errors, execution_context)

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        """Federation's `_entities`, after refusing representations that are not `{__typename, …}` of
        one of this subgraph's types (Strawberry's own would fail on them as an internal error)."""
        types = self.schema_converter.type_map
        for index, representation in enumerate(representations):
            if not isinstance(representation, dict) or representation.get("__typename") not in types:
                raise ClientError(ErrorCode.BAD_USER_INPUT, f"representations.{index} is not a representation "
                                  "of an entity of this subgraph ({__typename, id}).", f"representations.{index}")
        return super().entities_resolver(info, representations)


def federated_schema(
    query: type, mutation: type | None = None, types: Iterable[type] = ()
) -> FederatedSchema:
    settings = get_settings()
    # Federation's own `_service` answers anyone; a Query field of that name replaces it.
    query = strawberry.type(type(query.__name__, (query,), {"_service": strawberry.field(
        resolver=_service, name="_service")}))
    return FederatedSchema(
        query=query,
        mutation=mutation,
        types=list(types),
        extensions=[
            MeasureOperations,  # outermost: times the whole operation and sees the masked errors
            masked_errors,
            ReportWarnings,
            # Parse and validate (each cached: clients send the same few documents again and again),
            # refusing what exceeds the limits in between.
            *limit_extensions(settings),
            *([] if settings.introspection_enabled else [DisableIntrospection]),
        ],
        federation_version=FEDERATION_VERSION,
        execution_context_class=BatchedExecutionContext,
    )


def extend_type(base: type, *groups: dict[str, Any]) -> type:
    """``base`` (a Query or Mutation) with the fields of workflows the registry mounts on it."""
    fields: dict[str, Any] = {}
    for group in groups:
        fields |= group
    return strawberry.type(type(base.__name__, (base,), fields)) if fields else base
