"""One log configuration for every command: plain lines (no colours, so files and CI logs stay
readable) or JSON lines (``DINA_LOG_JSON``), each line of a request carrying its request id."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

import orjson

from subgraphs.core.runtime.settings import Settings

# Set by core.http.guard.Guard for the request being served; "-" outside any request.
request_id: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(request)s: %(message)s"
CHATTY = ("httpx", "pgserver", "weasyprint", "alembic.runtime.plugins")  # per-request, per-command and per-stylesheet lines that say nothing new


class _WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.request = "" if record.request_id == "-" else f" [{record.request_id}]"
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id when in a
    request, exception (the traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        if getattr(record, "request_id", "-") != "-":
            line["request_id"] = record.request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line).decode()


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_WithRequestId())
    handler.setFormatter(JsonLines() if settings.log_json else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    for chatty in CHATTY:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if not settings.access_log:
        logging.getLogger("dina.access").setLevel(logging.WARNING)
