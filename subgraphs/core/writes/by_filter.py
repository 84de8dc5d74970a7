"""`update{Xs}ByFilter`: one change to every record a filter selects (that the caller can see), as a bulk
update of those records at the versions read — or, as a dry run, the same work rolled back, answering how
many records it would change and a sample of them as they would be."""

# No `from __future__ import annotations`: Strawberry reads the generated types' annotations as objects.
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.db import RecordMixin
from subgraphs.core.data.filters import filter_clause
from subgraphs.core.execution.context import Info
from subgraphs.core.writes.batch import bulk_error_type, run_bulk
from subgraphs.core.writes.crud import EntityApi, EntityRules, input_values, plural_of, snake_case, update
from subgraphs.core.writes.mutations import from_record
from subgraphs.core.writes.service import hold


def update_by_filter_mutation(name: str, rules: EntityRules, api: EntityApi, filter_type: type, changes: type, *,
                              plural: str | None = None) -> dict[str, Any]:
    """`update{plural}ByFilter(input: { filter, set, dryRun, sampleSize })`; ``changes`` is the input of the
    entity's changeable fields (its update input without id and version)."""
    plural = plural or plural_of(name)
    input_type = strawberry.input(type(f"Update{plural}ByFilterInput", (), {
        "__annotations__": {"filter": filter_type, "set": changes, "dry_run": bool, "sample_size": int},
        "filter": strawberry.field(description=f"The {plural} to change, as in the `filter:` of their connection."),
        "set": strawberry.field(description="The change; fields left out stay as they are."),
        "dry_run": strawberry.field(default=False, description="Check everything, write nothing."),
        "sample_size": strawberry.field(default=10, description="How many changed records to return."),
    }), description=f"One change to every {name} a filter selects.")
    payload = strawberry.type(type(f"Update{plural}ByFilterPayload", (), {"__annotations__": {
        "count": int, "dry_run": bool, "sample": list[api.node], "errors": list[bulk_error_type(api.user_error)]},
        "count": strawberry.field(description="Records changed (or that a dry run would change); 0 with errors."),
        "sample": strawberry.field(description="The first records changed, by id, as they are (would be) after."),
    }), description=f"What update{plural}ByFilter changed or would change, or why nothing.")
    table = rules.model.__table__

    async def resolve(info: Info, input: input_type) -> payload:  # type: ignore[valid-type]
        values = input_values(input.set)

        async def selected(session: AsyncSession) -> list[RecordMixin]:
            """The records, locked and held in the session (so the updates do not read them again); one more
            than the limit at most, which is enough to refuse."""
            statement = select(rules.model).where(info.context.visible(table), filter_clause(input.filter)).order_by(
                table.c.id).limit(info.context.settings.max_bulk_items + 1).with_for_update()
            records = list((await session.scalars(statement)).all())
            hold(session, records)
            return records

        async def write(session: AsyncSession, record: RecordMixin) -> RecordMixin:
            return await update(session, rules, record.id, record.version, dict(values), info.context.actor,
                                info.context.principal)

        shown = max(0, input.sample_size)
        sample: list[Any] = []

        def present(record: RecordMixin) -> None:
            if len(sample) < shown:
                sample.append(from_record(api.node, record))

        written, errors = await run_bulk(info, selected, write, present, dry_run=input.dry_run)
        return payload(count=len(written), dry_run=input.dry_run, sample=sample if written else [], errors=errors)

    return {f"update_{snake_case(plural)}_by_filter": strawberry.mutation(
        resolver=resolve, description=f"Apply one change to every {name} a filter selects, all or nothing; "
                                      "a dry run says how many and shows a sample.")}
