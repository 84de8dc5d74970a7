from __future__ import annotations

from subgraphs.core.data.loaders import AuditByRecordIdLoader, RowByIdLoader

from .repository import report_job, report_template, template_audit_log


class ReportTemplateByIdLoader(RowByIdLoader):
    table = report_template


class ReportsAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = template_audit_log


class ReportJobByIdLoader(RowByIdLoader):
    table = report_job
