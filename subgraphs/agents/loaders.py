from __future__ import annotations

from subgraphs.core.data.loaders import AuditByRecordIdLoader, RowByIdLoader

from .models import audit_log, organization, person


class PersonByIdLoader(RowByIdLoader):
    table = person


class OrganizationByIdLoader(RowByIdLoader):
    table = organization


class AgentsAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = audit_log
