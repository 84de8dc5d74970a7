"""Rules of the reports subgraph: templates are checked when saved; a render reads its records through
the federated graph as its requester, refuses more than the configured maximum, reports what it may not
print, typesets the PDF and stores it as a Media."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import strawberry
from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import Database, after_commit
from subgraphs.core.data.loaders import Visibility
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import Principal, Role
from subgraphs.core.security.permissions import require_role
from subgraphs.core.writes.crud import EntityRules, Values
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import add_record

from . import pdf, repository, templating
from .codes import ReportsErrorCode
from .graph import Graph
from .layout import layout_from
from .models import ReportJob, ReportTemplate

log = logging.getLogger("dina.reports")


Code = ReportsErrorCode
LABEL_KINDS = frozenset({"MATERIAL_SAMPLE_LABEL", "STORAGE_UNIT_LABEL", "DETERMINATION_SLIP"})
KINDS = LABEL_KINDS | {"REPORT"}
PAGE_SIZE = 100  # records per request of a paged template query


def _variables(kind: str) -> frozenset[str]:
    return templating.LABEL_VARIABLES if kind in LABEL_KINDS else templating.REPORT_VARIABLES


def _template_error(problem: templating.TemplateProblem, field: str) -> ClientError:
    where = f" (line {problem.line}, column {problem.column})" if problem.column else ""
    return ClientError(problem.code, f"{problem.message}{where}", field)


def _operation(document: str) -> OperationDefinitionNode | None:
    operations = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    return operations[0] if len(operations) == 1 and operations[0].operation.value == "query" else None


def _declared(document: str) -> set[str]:
    operation = _operation(document)
    return {v.variable.name.value for v in operation.variable_definitions or ()} if operation else set()


def _query_errors(document: str, kind: str) -> list[ClientError]:
    """The template's GraphQL document must parse; a label template's must take ``$filter`` (the records)."""
    try:
        operation = _operation(document)
    except GraphQLSyntaxError as error:
        (location,) = error.locations or [None]
        where = f" (line {location.line}, column {location.column})" if location else ""
        return [ClientError(Code.QUERY_SYNTAX_ERROR, f"The query does not parse: {error.message}{where}", "query")]
    if operation is None:
        return [ClientError(Code.QUERY_SYNTAX_ERROR, "The document must hold exactly one query operation.", "query")]
    if kind in LABEL_KINDS and "filter" not in _declared(document):
        return [ClientError(Code.QUERY_SYNTAX_ERROR, "A label template's query must declare `$filter` (which "
                            "records to print) and pass it to its root field.", "query")]
    return []


def _layout_values(value: Any) -> dict[str, Any]:
    """A layout input as plain values (a dict as stored, or the GraphQL input object)."""
    if isinstance(value, dict):
        return value
    return {k: v for k, v in vars(value).items() if v is not strawberry.UNSET}


async def prepare_template(session: AsyncSession, values: Values, current: ReportTemplate | None) -> Values:
    """Refuse a template that could not render: unknown kind, bad Jinja2 (with line and column),
    names it may not use, a query that does not parse, a layout that does not fit its page."""
    errors: list[ClientError] = []
    kind = values.get("kind", current.kind if current else None)
    if kind not in KINDS:
        errors.append(ClientError(ErrorCode.BAD_USER_INPUT, f"Unknown kind {kind!r}.", "kind"))
        raise InvalidInput(errors)
    if "name" in values or "group" in values:
        name = values.get("name", current.name if current else "")
        if not (name or "").strip():
            errors.append(ClientError(ErrorCode.BAD_USER_INPUT, "A template needs a name.", "name"))
        elif await repository.name_taken(session, values.get("group", current.group if current else ""), name,
                                         current.id if current else None):
            errors.append(ClientError(Code.DUPLICATE_NAME, f"This group already has a template named {name!r}.",
                                      "name"))
    if "body" in values or "kind" in values:
        try:
            templating.check(values.get("body", current.body if current else ""), _variables(kind))
        except templating.TemplateProblem as problem:
            errors.append(_template_error(problem, "body"))
    if "query" in values or "kind" in values:
        errors += _query_errors(values.get("query", current.query if current else ""), kind)
    if values.get("layout") is not None:
        try:
            values["layout"] = layout_from(_layout_values(values["layout"])).as_json()
        except ClientError as error:
            errors.append(error)
    if errors:
        raise InvalidInput(errors)
    return values


TEMPLATE = EntityRules(ReportTemplate, prepare=prepare_template)


@dataclass(frozen=True)
class Rendered:
    """A stored PDF and what is in it."""

    media_id: str
    sha256: str
    size: int
    labels: int
    pages: int
    unreadable: list[str]  # requested ids the graph did not return: unknown, or not readable by the requester


def records(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The records a label query gives, with its page info: its first root field's connection nodes, or its list."""
    value = next(iter(data.values()), None)
    if isinstance(value, dict) and "edges" in value:
        return [edge["node"] for edge in value["edges"]], value.get("pageInfo")
    if isinstance(value, list):
        return value, None
    raise ClientError(Code.TEMPLATE_RENDER_ERROR, "The template's query must return a connection (edges "
                      "{ node }) or a list as its first field.", "template.query")


async def fetch_records(graph: Graph, document: str, where: dict[str, Any] | None, wanted: int) -> list[dict[str, Any]]:
    """Up to ``wanted`` records of the template's query. A query that declares ``$after`` is read a page at a
    time (each request then stays within the graph's cost limit, however many labels are printed)."""
    paged = "after" in _declared(document)
    found: list[dict[str, Any]] = []
    after = None
    while True:
        first = min(wanted - len(found), PAGE_SIZE) if paged else wanted
        batch, page_info = records(await graph.query(
            document, {"filter": where, "first": first, **({"after": after} if paged else {})}))
        found += batch
        if not paged or len(found) >= wanted:
            return found
        if page_info is None:
            raise ClientError(Code.TEMPLATE_RENDER_ERROR, "The template's query declares `$after` but selects no "
                              "`pageInfo { hasNextPage endCursor }`.", "template.query")
        if not page_info["hasNextPage"]:
            return found
        after = page_info["endCursor"]


def identifiers(settings: Settings) -> templating.Identifiers:
    return templating.Identifiers(settings.report_identifier_base_url)


def _render(work: Any) -> Any:
    """``work()``, a template's failure turned into a typed error about the stored template's body."""
    try:
        return work()
    except templating.TemplateProblem as problem:
        raise _template_error(problem, "template.body") from None


def label_pdf(template: ReportTemplate, items: list[dict[str, Any]], stable_id: templating.Identifiers,
              progress: list[int] | None = None) -> bytes:
    """The label sheets of ``items``, one label each, in order (also what benchmarks/labels.py times);
    ``progress[0]`` counts the labels typeset so far (a background job reports it)."""
    layout = layout_from(template.layout)

    def labels() -> Iterator[str]:
        compiled = templating.compiled(template.body, templating.LABEL_VARIABLES)
        for index, item in enumerate(items):
            yield templating.render(compiled, item=item, index=index, layout=layout, stable_id=stable_id)
            if progress is not None:
                progress[0] = index + 1

    return _render(lambda: pdf.label_sheets(labels(), layout, template.stylesheet))


def report_pdf(template: ReportTemplate, data: dict[str, Any], stable_id: templating.Identifiers) -> bytes:
    layout = layout_from(template.layout) if template.layout else None
    return _render(lambda: pdf.report(templating.render(
        templating.compiled(template.body, templating.REPORT_VARIABLES), data=data, layout=layout,
        stable_id=stable_id), template.stylesheet, layout))


async def _template(session: AsyncSession, key: str, visible: Visibility, kinds: frozenset[str]) -> ReportTemplate:
    template = await repository.find_template(session, key, visible)
    if template is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No report template {key!r} you may read.", "template")
    if template.kind not in kinds:
        raise ClientError(Code.WRONG_TEMPLATE_KIND, f"Template {template.name!r} is a {template.kind}, not one of "
                          f"{', '.join(sorted(kinds))}.", "template")
    return template


def _check_storable(principal: Principal | None, group: str) -> None:
    require_role(principal, group, Role.USER, "store reports in")


async def _stored(graph: Graph, content: bytes, group: str, filename: str) -> tuple[str, str]:
    media_id = await graph.store(content, group=group, filename=filename)
    return media_id, hashlib.sha256(content).hexdigest()


async def render_labels(
    session: AsyncSession, settings: Settings, graph: Graph, *, principal: Principal | None, visible: Visibility,
    db: Database, actor: str, template_key: str, ids: list[str] | None, filter: dict[str, Any] | None, group: str,
    filename: str | None,
) -> Rendered | ReportJob:
    """Labels of the records ``ids`` (in that order) or those matching ``filter``, stored as a PDF Media;
    more than ``report_sync_labels`` of them render in the background, and the job is returned at once."""
    _check_storable(principal, group)
    template = await _template(session, template_key, visible, LABEL_KINDS)
    if (ids is None) == (filter is None):
        raise ClientError(ErrorCode.BAD_USER_INPUT, "Give either `ids` or `filter`.", "ids")
    limit = settings.report_max_labels
    if ids is not None and len(ids) > limit:
        raise ClientError(Code.TOO_MANY_LABELS, f"{len(ids):,} labels asked for; one request prints at most "
                          f"{limit:,} (DINA_REPORT_MAX_LABELS).", "ids")
    where = {"id": {"in": ids}} if ids is not None else filter
    found = await fetch_records(graph, template.query, where, len(ids) if ids is not None else limit + 1)
    if len(found) > limit:
        raise ClientError(Code.TOO_MANY_LABELS, f"The filter matches more than {limit:,} records; one request "
                          f"prints at most {limit:,} (DINA_REPORT_MAX_LABELS).", "filter")
    unreadable: list[str] = []
    if ids is not None:
        by_id = {str(item.get("id")): item for item in found}
        unreadable = [i for i in ids if i not in by_id]
        found = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    if not found:
        raise ClientError(Code.NOTHING_TO_PRINT, "None of the records asked for exist or may be read by you"
                          + (f": {', '.join(unreadable)}." if unreadable else "."), "ids" if ids else "filter")
    print_labels = _Labels(graph, template, found, unreadable, group, filename or f"{template.name}.pdf",
                           identifiers(settings))
    if len(found) <= settings.report_sync_labels:
        return await print_labels([0])
    job = await add_record(session, ReportJob, actor=actor, group=group, template_id=template.id, status="queued",
                           total=len(found))

    async def launch() -> None:
        task = asyncio.create_task(run_job(db, job.id, print_labels))
        _running.add(task)
        task.add_done_callback(_running.discard)

    after_commit(session, launch, "The render job was queued but could not be started; it stays queued.")
    return job


@dataclass(frozen=True)
class _Labels:
    """A render whose records are read: typeset and store it (at once, or in a job)."""

    graph: Graph
    template: ReportTemplate
    found: list[dict[str, Any]]
    unreadable: list[str]
    group: str
    filename: str
    stable_id: templating.Identifiers

    async def __call__(self, progress: list[int]) -> Rendered:
        content = await asyncio.to_thread(label_pdf, self.template, self.found, self.stable_id, progress)
        media_id, sha256 = await _stored(self.graph, content, self.group, self.filename)
        pages = sum(1 for _ in layout_from(self.template.layout).pages(len(self.found)))
        return Rendered(media_id, sha256, len(content), len(self.found), pages, self.unreadable)


# Jobs running in this process; asyncio keeps only weak references to tasks.
_running: set[asyncio.Task[None]] = set()
PROGRESS_EVERY_SECONDS = 0.5


async def run_job(db: Database, job_id: uuid.UUID, work: _Labels) -> None:
    """Run a queued render, recording its progress while it typesets and its outcome when done."""
    progress = [0]
    await repository.set_job(db, job_id, status="running")

    async def report_progress() -> None:
        while True:
            await asyncio.sleep(PROGRESS_EVERY_SECONDS)
            await repository.set_job(db, job_id, done=progress[0])

    reporting = asyncio.create_task(report_progress())
    try:
        rendered = await work(progress)
    except ClientError as error:
        outcome: dict[str, Any] = {"status": "failed", "error": error.message}
    except Exception:
        log.exception("report job %s failed", job_id)
        outcome = {"status": "failed", "error": f"An unexpected error, logged with job id {job_id}."}
    else:
        outcome = {"status": "succeeded", "done": rendered.labels, "result": asdict(rendered)}
    finally:
        reporting.cancel()
    await repository.set_job(db, job_id, finished_on=dt.datetime.now(dt.UTC), **outcome)


async def render_report(
    session: AsyncSession, settings: Settings, graph: Graph, *, principal: Principal | None, visible: Visibility,
    template_key: str, variables: dict[str, Any], group: str, filename: str | None,
) -> Rendered:
    """A report of what the template's query gives for ``variables``, stored as a PDF Media."""
    _check_storable(principal, group)
    template = await _template(session, template_key, visible, frozenset({"REPORT"}))
    data = await graph.query(template.query, variables)
    content = await asyncio.to_thread(report_pdf, template, data, identifiers(settings))
    media_id, sha256 = await _stored(graph, content, group, filename or f"{template.name}.pdf")
    return Rendered(media_id, sha256, len(content), 0, pdf.page_count(content), [])
