"""Reads run straight on asyncpg give what SQLAlchemy's own execution gives, or leave it to it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Numeric, cast, func, literal, select
from sqlalchemy.sql import Executable

from subgraphs.collection.models import collecting_event, material_sample
from subgraphs.core.data.db import Database
from subgraphs.core.data.loaders import Visibility, one_of
from subgraphs.core.security.auth import Principal, Role
from subgraphs.core.security.permissions import visibility
from subgraphs.media.models import media
from subgraphs.molecular.models import sequence

from .seed import seed_samples


async def through_sqlalchemy(db: Database, statement: Executable) -> list[dict[str, Any]]:
    async with db.engine.connect() as conn:
        return [dict(row._mapping) for row in await conn.execute(statement)]


async def test_rows_match_sqlalchemy_for_every_column_type(clean_db: Database) -> None:
    samples = await seed_samples(clean_db, 3)
    ids = [s.id for s in samples]
    statements = [
        # uuid, uuid[], text[], jsonb (exif, derivatives, source_record), bigint, timestamptz
        select(media).order_by(media.c.id),
        select(material_sample).where(one_of(material_sample.c.id, ids)).order_by(material_sample.c.id),
        select(collecting_event).order_by(collecting_event.c.id),
        select(sequence.c.accession, func.length(sequence.c.residues).label("length"))
        .where(one_of(sequence.c.material_sample_id, ids[:2])).order_by(sequence.c.accession),
    ]
    for statement in statements:
        assert clean_db.reads.compile(statement) is not None, statement  # these take the asyncpg path
        expected = await through_sqlalchemy(clean_db, statement)
        assert expected, statement
        assert [dict(row) for row in await clean_db.fetch(statement)] == expected


async def test_one_compiled_shape_serves_every_value(clean_db: Database) -> None:
    samples = await seed_samples(clean_db, 3)

    def by_name(name: str) -> Executable:
        return select(material_sample.c.material_sample_name).where(material_sample.c.material_sample_name == name)

    before = clean_db.statements.count
    found = [[row["material_sample_name"] for row in await clean_db.fetch(by_name(s.name))] for s in samples]

    assert found == [[s.name] for s in samples]
    assert clean_db.statements.count - before == 3  # counted like every other statement
    compiled = [clean_db.reads.compile(by_name(s.name)) for s in samples]
    assert len({sql for sql, _ in compiled}) == 1  # one SQL text
    assert [args for _, args in compiled] == [[s.name] for s in samples]


async def test_shapes_asyncpg_cannot_run_as_is_go_through_sqlalchemy(clean_db: Database) -> None:
    samples = await seed_samples(clean_db, 2)
    expanding = select(material_sample.c.material_sample_name).where(
        material_sample.c.id.in_([s.id for s in samples])).order_by(material_sample.c.material_sample_name)
    converted = select(cast(literal("2.50"), Numeric(6, 2)).label("amount"))  # SQLAlchemy makes it a Decimal

    for statement in (expanding, converted):
        assert clean_db.reads.compile(statement) is None
        assert [dict(row) for row in await clean_db.fetch(statement)] == await through_sqlalchemy(clean_db, statement)
    assert await clean_db.scalar(select(func.count()).select_from(material_sample)) == 2


async def test_reads_of_a_signed_in_caller_take_the_asyncpg_path(clean_db: Database) -> None:
    """Visibility by group is one array parameter, so it keeps the statement runnable as it is."""
    await seed_samples(clean_db, 2)
    members = visibility(Principal(subject="u", roles={"test": Role.USER}), frozenset())
    outsiders = visibility(Principal(subject="v", roles={"elsewhere": Role.USER}), frozenset())

    def visible_samples(visible: Visibility) -> Executable:
        return select(material_sample.c.material_sample_name).where(visible(material_sample))

    assert clean_db.reads.compile(visible_samples(members)) is not None
    assert len(await clean_db.fetch(visible_samples(members))) == 2
    assert await clean_db.fetch(visible_samples(outsiders)) == []
