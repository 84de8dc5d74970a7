from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, get_type_hints

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.core.data.filters import FilterField, IDFilter, StringFilter, filter_input, operators
from subgraphs.core.data.lean import Reads
from subgraphs.core.data.ordering import order_input
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import by_id_field, connection_field, entity_resolver, history_field
from subgraphs.core.writes.crud import EntityApi, crud_mutations, mutation_type
from subgraphs.core.writes.mutations import from_record, run_mutation, user_error_type

from . import models, repository, service
from .graph import Graph
from .layout import Layout
from .loaders import ReportJobByIdLoader, ReportsAuditByRecordIdLoader, ReportTemplateByIdLoader

ReportsUserError = user_error_type("Reports", service.ReportsErrorCode)


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Media:
    id: strawberry.ID


@strawberry.enum(description="What a template prints: one label per record, or one report document.")
class ReportKind(Enum):
    MATERIAL_SAMPLE_LABEL = "MATERIAL_SAMPLE_LABEL"
    STORAGE_UNIT_LABEL = "STORAGE_UNIT_LABEL"
    DETERMINATION_SLIP = "DETERMINATION_SLIP"
    REPORT = "REPORT"


# The sheet's GraphQL output and input types have the fields of layout.Layout, in its order.
_LAYOUT_FIELDS = get_type_hints(Layout)
ReportLayout = strawberry.type(type("ReportLayout", (), {"__annotations__": dict(_LAYOUT_FIELDS)}), description=(
    "Sheet geometry in millimetres; one label per page (label printers) is 1 × 1 on a page of the label's size."))
ReportLayoutInput = strawberry.input(type("ReportLayoutInput", (), {
    "__annotations__": {name: kind | None for name, kind in _LAYOUT_FIELDS.items()},
    **dict.fromkeys(_LAYOUT_FIELDS, strawberry.UNSET)}))


@strawberry.federation.type(keys=["id"], description="A printable layout: a GraphQL query, a sandboxed Jinja2 "
                            "HTML template with its CSS, and a sheet layout.")
class ReportTemplate:
    id: strawberry.ID
    name: str
    kind: str = strawberry.field(description="MATERIAL_SAMPLE_LABEL, STORAGE_UNIT_LABEL, DETERMINATION_SLIP or REPORT.")
    description: str | None
    query: str = strawberry.field(description="Run through the router with the requester's own token; label "
                                  "templates take `$filter` and `$first` (and `$after`: read a page at a time).")
    body: str = strawberry.field(description="Jinja2 HTML of one label (`item`, `index`) or of the report (`data`).")
    stylesheet: str
    group: str
    created_on: dt.datetime
    version: int
    layout_json: strawberry.Private[dict[str, Any]]
    __columns__ = {"layout_json": "layout"}

    resolve_reference = entity_resolver(ReportTemplateByIdLoader)
    history = history_field(ReportsAuditByRecordIdLoader)

    @strawberry.field(description="The sheet; none for a report that sets its own @page rules.",
                      extensions=[Reads("layout_json")])
    def layout(self) -> ReportLayout | None:
        return ReportLayout(**{**Layout().as_json(), **self.layout_json}) if self.layout_json else None


@strawberry.input
class ReportTemplateFields:
    name: str | None = strawberry.UNSET
    kind: ReportKind | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    query: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    stylesheet: str | None = strawberry.UNSET
    layout: ReportLayoutInput | None = strawberry.UNSET


@strawberry.input
class CreateReportTemplateInput(ReportTemplateFields):
    name: str
    kind: ReportKind
    query: str
    body: str
    group: str


@strawberry.input
class UpdateReportTemplateInput(ReportTemplateFields):
    id: strawberry.ID
    version: int


t = repository.report_template.c
ReportTemplateFilter = filter_input("ReportTemplateFilter", {
    "id": FilterField(IDFilter, operators(t.id)),
    "name": FilterField(StringFilter, operators(t.name)),
    "kind": FilterField(StringFilter, operators(t.kind)),
    "group": FilterField(StringFilter, operators(t.group)),
}, "Conditions on report templates.")
ReportTemplateOrder = order_input("ReportTemplateOrder", {"name": t.name, "created_on": t.created_on})


@strawberry.type(description="A PDF made from a template, stored as a Media (application/pdf).")
class RenderedPdf:
    media: Media = strawberry.field(description="Select `url` (signed, expiring), `sha256`… from the media subgraph.")
    sha256: str
    size_bytes: int
    label_count: int
    page_count: int
    unreadable: list[strawberry.ID] = strawberry.field(
        description="Requested ids not printed: unknown, or not readable by you.")


@strawberry.enum(description="Where a background render is.")
class ReportJobStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def _rendered_pdf(rendered: service.Rendered) -> RenderedPdf:
    return RenderedPdf(media=Media(id=rendered.media_id), sha256=rendered.sha256, size_bytes=rendered.size,
                       label_count=rendered.labels, page_count=rendered.pages, unreadable=rendered.unreadable)


@strawberry.type(description="A render of more labels than are printed at once (DINA_REPORT_SYNC_LABELS), "
                 "running in the background; poll `reportJob(id:)` until it succeeded or failed.")
class ReportJob:
    id: strawberry.ID
    total: int = strawberry.field(description="Labels to print.")
    done: int = strawberry.field(description="Labels typeset so far.")
    error: str | None
    group: str
    created_on: dt.datetime
    finished_on: dt.datetime | None
    status_value: strawberry.Private[str]
    result: strawberry.Private[dict[str, Any] | None]
    __columns__ = {"status_value": "status"}

    @strawberry.field(extensions=[Reads("status_value")])
    def status(self) -> ReportJobStatus:
        return ReportJobStatus(self.status_value)

    @strawberry.field(description="The PDF, once the job succeeded.",
                      extensions=[Reads("result")])
    def pdf(self) -> RenderedPdf | None:
        return None if self.result is None else _rendered_pdf(service.Rendered(**self.result))


@strawberry.type
class RenderPayload:
    pdf: RenderedPdf | None = strawberry.field(description="The PDF, when it was rendered at once.")
    job: ReportJob | None = strawberry.field(description="The background job, for larger renders.")
    errors: list[ReportsUserError]


@strawberry.input(description="Print labels of the records given by id (in that order) or matched by a filter.")
class RenderLabelsInput:
    template: str = strawberry.field(description="The template's id or name, e.g. specimen-qr.")
    group: str = strawberry.field(description="Owning group of the stored PDF (you need the user role in it).")
    ids: list[strawberry.ID] | None = None
    filter: JSON | None = strawberry.field(default=None, description="The filter input of the template's query, "
                                           "e.g. a MaterialSampleFilter: {\"catalogNumber\": {\"eq\": \"RuHF-TBB-01-4\"}}.")
    filename: str | None = None


@strawberry.input
class RenderReportInput:
    template: str
    group: str
    variables: JSON | None = strawberry.field(default=None, description="The variables of the template's query.")
    filename: str | None = None


@strawberry.type
class Query:
    report_template = by_id_field(ReportTemplate, ReportTemplateByIdLoader, "A report template by id.")
    report_job = by_id_field(ReportJob, ReportJobByIdLoader, "A background render by id.")
    report_templates = connection_field(ReportTemplate, repository.report_template, "Report templates.",
                                        ReportTemplateFilter, ReportTemplateOrder)


def _graph(info: Info) -> Graph:
    request = info.context.request
    return Graph(info.context.settings.federated_graph_url, request.headers.get("authorization") if request else None)


def _reply(rendered: service.Rendered | models.ReportJob | None, errors: list[ReportsUserError]) -> RenderPayload:
    if isinstance(rendered, models.ReportJob):
        return RenderPayload(pdf=None, job=from_record(ReportJob, rendered), errors=[])
    return RenderPayload(pdf=rendered and _rendered_pdf(rendered), job=None, errors=errors)


async def render_labels(info: Info, input: RenderLabelsInput) -> RenderPayload:
    ctx = info.context
    return _reply(*await run_mutation(info, lambda s: service.render_labels(
        s, ctx.settings, _graph(info), principal=ctx.principal, visible=ctx.visible, db=ctx.db, actor=ctx.actor,
        template_key=input.template, ids=None if input.ids is None else [str(i) for i in input.ids],
        filter=input.filter, group=input.group, filename=input.filename)))


async def render_report(info: Info, input: RenderReportInput) -> RenderPayload:
    ctx = info.context
    return _reply(*await run_mutation(info, lambda s: service.render_report(
        s, ctx.settings, _graph(info), principal=ctx.principal, visible=ctx.visible, template_key=input.template,
        variables=input.variables or {}, group=input.group, filename=input.filename)))


Mutation = mutation_type(
    crud_mutations("ReportTemplate", service.TEMPLATE,
                   EntityApi(ReportTemplate, CreateReportTemplateInput, UpdateReportTemplateInput, ReportsUserError)),
    {
        "render_labels": strawberry.mutation(resolver=render_labels, description=(
            "Print labels: reads the records through the router with your token, typesets them on the "
            "template's sheets and stores the PDF as a Media.")),
        "render_report": strawberry.mutation(resolver=render_report, description=(
            "Print a report: the template's query for the variables given, typeset and stored as a PDF Media.")),
    },
)
