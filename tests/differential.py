"""The differential check: every query the test suite sends to a test server is replayed, in the same
request (so against the same data; up to twice more when a background job wrote in between), through the batched executor and through plain graphql-core
execution of the same schema, each with a fresh request context on a connection pool of its own (so
the SQL the tests count is untouched); their data and errors must agree.

Mutations are not replayed (they would write twice); their answers are completed by the same executor
code as queries' and are covered by the property tests in tests/test_executor.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from graphql import ExecutionResult, OperationType, execute, get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from subgraphs.core.data.db import Database
from subgraphs.core.execution.context import RequestContext
from subgraphs.core.execution.executor import BatchedExecutionContext
from subgraphs.registry import SCHEMAS

# Subgraphs whose answers come from another system's live API: a replay would send it every request
# again (the tests count them) and could see it change in between. Their executor equivalence is
# checked by the property tests of tests/test_executor.py instead.
UPSTREAM_BACKED = {"specify"}


def comparable(result: ExecutionResult) -> tuple[Any, list[tuple[str, Any, Any]]]:
    """Data, and errors in a stable order (sibling fields may fail in either order)."""
    errors = sorted(((e.message, e.path, e.extensions) for e in result.errors or ()), key=repr)
    return result.data, errors


def agree(batched: ExecutionResult, plain: ExecutionResult) -> bool:
    """The two answers are the same: data and errors. Where a non-null root field's error nulled the
    whole response, the spec leaves open which of the other root fields still ran and so which of
    their errors are reported (graphql-core stops at the first such error in its own order): there
    both must null the response and report errors."""
    if batched.data is None and plain.data is None and batched.errors and plain.errors:
        return True
    return comparable(batched) == comparable(plain)


async def both(schema: Any, document: Any, variables: dict | None, operation: str | None, root: Any,
               context: Any) -> tuple[ExecutionResult, ExecutionResult]:
    """The document executed by the batched executor, then by plain graphql-core, on ``context()``s."""
    answers = []
    for executor in (BatchedExecutionContext, StrawberryGraphQLCoreExecutionContext):
        result = execute(schema._schema, document, root, context(), variables, operation,  # noqa: SLF001
                         executor_class=executor)
        answers.append(await result if asyncio.iscoroutine(result) else result)
    return answers[0], answers[1]


@dataclass
class Differential:
    urls: dict[int, str] = field(default_factory=dict)  # id(server's Database) -> its URL
    pools: dict[tuple[int, str], Database] = field(default_factory=dict)  # per event loop and URL
    documents: set[str] = field(default_factory=set)
    replays: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    def watch(self, db: Database, url: str) -> None:
        self.urls[id(db)] = url

    def install(self) -> None:
        for name, schema in SCHEMAS.items():
            if name in UPSTREAM_BACKED:
                continue
            if Replay not in schema.extensions:
                schema.extensions = (*schema.extensions, Replay)

    def pool(self, url: str) -> Database:
        key = (id(asyncio.get_running_loop()), url)
        if key not in self.pools:
            self.pools[key] = Database(url, pool_size=2)
        return self.pools[key]

    async def replay(self, schema: Any, query: str, document: Any, variables: dict | None, operation: str | None,
                     root: Any, context: RequestContext) -> None:
        url = self.urls.get(id(context.db))
        if url is None:
            return
        db = self.pool(url)

        def fresh() -> RequestContext:
            return RequestContext(request=context.request, response=context.response, db=db,
                                  settings=context.settings, principal=context.principal,
                                  request_id=context.request_id)

        for _ in range(3):  # a background job may write between the two runs: a real difference persists
            batched, plain = await both(schema, document, variables, operation, root, fresh)
            if agree(batched, plain):
                break
        self.documents.add(query)
        self.replays += 1
        if not agree(batched, plain):
            self.mismatches.append({"query": query, "variables": variables, "operation": operation,
                                    "batched": comparable(batched), "graphql-core": comparable(plain)})

    def summary(self) -> str:
        lines = [f"differential check: {self.replays} query executions replayed ({len(self.documents)} distinct "
                 f"documents), batched executor vs graphql-core: {len(self.mismatches)} mismatches"]
        lines += [f"  MISMATCH {m}" for m in self.mismatches[:20]]
        return "\n".join(lines)


DIFFERENTIAL = Differential()


class Replay(SchemaExtension):
    """After Strawberry executed a query, replay it both ways (see the module docstring)."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        if document is None or not isinstance(context.context, RequestContext):
            return
        operation = get_operation_ast(document, context.operation_name)
        result = context.result
        if operation is None or operation.operation != OperationType.QUERY or result is None \
                or (result.errors and result.data is None and all(e.path is None for e in result.errors)):
            return  # not a query, or refused before execution (limits, variables)
        try:
            await DIFFERENTIAL.replay(context.schema, context.query or "", document, context.variables,
                                      context.operation_name, context.root_value, context.context)
        except Exception as error:  # noqa: BLE001 - a replay that cannot run is a mismatch, not a crash
            DIFFERENTIAL.mismatches.append({"query": context.query, "replay error": repr(error)})
