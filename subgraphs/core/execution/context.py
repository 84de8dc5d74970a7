"""What every resolver gets as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from strawberry.types import Info as StrawberryInfo

from subgraphs.core.data.db import Database
from subgraphs.core.data.loaders import Loaders, Visibility
from subgraphs.core.execution.metrics import Metrics
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import ANONYMOUS, Principal
from subgraphs.core.security.permissions import visibility


@dataclass
class RequestContext:
    request: Request | None
    response: Any
    db: Database
    settings: Settings
    principal: Principal = ANONYMOUS
    request_id: str = "-"
    subgraph: str = ""  # the subgraph answering, as its metrics name it
    metrics: Metrics | None = None  # None: not counted (direct schema.execute calls)
    # What went wrong after a commit (the result stands): reported in the response's extensions.
    warnings: list[dict[str, str]] = field(default_factory=list)
    visible: Visibility = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.visible = visibility(self.principal, self.settings.public_read_groups)
        self.loaders = Loaders(self.db, self.visible)

    @property
    def actor(self) -> str:
        """Who writes, as the audit log records it."""
        return self.principal.subject or "anonymous"


Info = StrawberryInfo[RequestContext, None]
