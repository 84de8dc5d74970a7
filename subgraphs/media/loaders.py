from __future__ import annotations

from subgraphs.core.data.loaders import AuditByRecordIdLoader, RowByIdLoader

from .models import audit_log, media


class MediaByIdLoader(RowByIdLoader):
    table = media


class MediaAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = audit_log
