"""What every resolver gets as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from strawberry.types import Info as StrawberryInfo

from .db import Database
from .loaders import Loaders
from .settings import Settings


@dataclass
class RequestContext:
    request: Request
    response: Any
    db: Database
    settings: Settings
    loaders: Loaders = field(init=False)
    actor: str = "anonymous"  # who writes: replaced by the authenticated user's name

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)


Info = StrawberryInfo[RequestContext, None]
