"""How every subgraph builds its federated schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.extensions import DisableIntrospection

from .errors import ReportWarnings, masked_errors
from .limits import limit_extensions
from .settings import get_settings

FEDERATION_VERSION = "2.9"  # the newest @theguild/federation-composition accepts


def federated_schema(
    query: type, mutation: type | None = None, types: Iterable[type] = ()
) -> strawberry.federation.Schema:
    settings = get_settings()
    return strawberry.federation.Schema(
        query=query,
        mutation=mutation,
        types=list(types),
        extensions=[
            masked_errors,
            ReportWarnings,
            # Parse and validate (each cached: clients send the same few documents again and again),
            # refusing what exceeds the limits in between.
            *limit_extensions(settings),
            *([] if settings.introspection_enabled else [DisableIntrospection]),
        ],
        federation_version=FEDERATION_VERSION,
    )


def extend_type(base: type, *groups: dict[str, Any]) -> type:
    """``base`` (a Query or Mutation) with the fields of workflows the registry mounts on it."""
    fields: dict[str, Any] = {}
    for group in groups:
        fields |= group
    return strawberry.type(type(base.__name__, (base,), fields)) if fields else base
