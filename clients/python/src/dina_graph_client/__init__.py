"""DINA Graph for notebooks: records as pandas DataFrames with Darwin Core columns, logins, uploads."""

from .auth import OIDCLogin, StaticToken, TokenSource, dev_token, keycloak_issuer
from .client import Client
from .errors import (
    AuthenticationError,
    DinaError,
    FilterError,
    PermissionDenied,
    QueryError,
    TransportError,
    UserError,
)

__all__ = [
    "AuthenticationError", "Client", "DinaError", "FilterError", "OIDCLogin", "PermissionDenied", "QueryError",
    "StaticToken", "TokenSource", "TransportError", "UserError", "dev_token", "keycloak_issuer",
]
__version__ = "0.1.0"
