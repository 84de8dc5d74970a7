"""Writes to the molecular schema."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.service import add_record

from .models import Sequence


async def create_sequence(
    session: AsyncSession, *, actor: str, residues: str, **values: Any
) -> Sequence:
    """Store residues compressed, with their length and sha256 for integrity checks."""
    residues = residues.upper()
    return await add_record(
        session, Sequence, actor=actor,
        residues_zlib=zlib.compress(residues.encode(), 9),
        checksum_sha256=hashlib.sha256(residues.encode()).hexdigest(),
        length=len(residues), **values,
    )
