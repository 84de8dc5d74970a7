"""Time-ordered UUIDs (RFC 9562 v7), so keyset order by id follows creation order."""

from __future__ import annotations

import os
import threading
import time
import uuid

from subgraphs.core.base.errors import ClientError, ErrorCode

_lock = threading.Lock()
_last = 0
_COUNTER_BITS = 40  # random bits below a block's counter: counting never carries into the variant


def _candidate(random_bits: int) -> int:
    """A v7 value for now: millisecond timestamp, version, 12 random bits, variant, ``random_bits``
    random low bits (62 at most)."""
    unix_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    return ((unix_ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62
            | rand & ((1 << random_bits) - 1))


def _reserve(candidate: int, count: int) -> int:
    """The first of ``count`` values from ``candidate`` on, all after every value handed out so far."""
    global _last
    with _lock:
        start = max(candidate, _last + 1)
        _last = start + count - 1
    return start


def uuid7() -> uuid.UUID:
    """A v7 UUID, strictly increasing within this process (a counter breaks same-millisecond ties)."""
    return uuid.UUID(int=_reserve(_candidate(62), 1))


def uuid7_block(count: int) -> range:
    """``count`` consecutive v7 UUIDs (as ints) for bulk loads: one random start, then a counter,
    reserved so later ``uuid7()`` values still sort after them."""
    start = _reserve(_candidate(_COUNTER_BITS), count)
    return range(start, start + count)


def parse_uuid(value: object) -> uuid.UUID | None:
    """The UUID in ``value``, or None when it is not one (callers turn that into a typed error)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def require_uuid(value: object, field: str = "id") -> uuid.UUID:
    """The UUID in ``value``, or an INVALID_ID error naming ``field``."""
    key = parse_uuid(value)
    if key is None:
        raise ClientError(ErrorCode.INVALID_ID, f"`{field}` is not a UUID.", field)
    return key
