"""The reports domain's own error codes (beside the shared ones in core.errors)."""

from __future__ import annotations

from enum import StrEnum


class ReportsErrorCode(StrEnum):
    TEMPLATE_SYNTAX_ERROR = "TEMPLATE_SYNTAX_ERROR"
    TEMPLATE_UNKNOWN_VARIABLE = "TEMPLATE_UNKNOWN_VARIABLE"
    TEMPLATE_FORBIDDEN = "TEMPLATE_FORBIDDEN"
    TEMPLATE_RENDER_ERROR = "TEMPLATE_RENDER_ERROR"
    QUERY_SYNTAX_ERROR = "QUERY_SYNTAX_ERROR"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    WRONG_TEMPLATE_KIND = "WRONG_TEMPLATE_KIND"
    TOO_MANY_LABELS = "TOO_MANY_LABELS"
    NOTHING_TO_PRINT = "NOTHING_TO_PRINT"
    GRAPH_QUERY_FAILED = "GRAPH_QUERY_FAILED"  # the federated graph or the object store did not do its part
