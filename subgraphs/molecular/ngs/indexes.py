"""Index sequences: what a valid one is, and when two libraries' index pairs cannot be told apart."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# IUPAC DNA codes (no U: an index is a DNA adapter); real indexes are ACGT, N marks an unread base.
INDEX_BASES = frozenset("ACGTRYSWKMBDHVN")
WELL = re.compile(r"^([A-Z])0*([1-9][0-9]?)$")
_COMPLEMENT = str.maketrans("ACGTRYSWKMBDHVN", "TGCAYRSWMKVHDBN")


def normalised_index(text: str | None) -> tuple[str | None, str | None]:
    """The index upper-cased without spaces (None when empty), and what is wrong with it, if anything."""
    bases = "".join((text or "").split()).upper()
    if not bases:
        return None, None
    bad = sorted(set(bases) - INDEX_BASES)
    return bases, (f"{text!r} has characters that are not IUPAC DNA codes: {''.join(bad)}" if bad else None)


def reverse_complement(bases: str) -> str:
    return bases.translate(_COMPLEMENT)[::-1]


def well_position(text: str, rows: int, columns: int) -> tuple[str | None, str | None]:
    """The well as A01 … P24, and why it is not a well of a rows × columns plate, if it is not."""
    match = WELL.match(text.strip().upper())
    last = f"{chr(64 + rows)}{columns:02}"
    if match is None or ord(match.group(1)) - 64 > rows or not 1 <= int(match.group(2)) <= columns:
        return None, f"{text!r} is not a well of a {rows * columns}-well plate (A01 to {last})"
    return f"{match.group(1)}{int(match.group(2)):02}", None


def hamming(a: str, b: str) -> int:
    """Bases that differ over the shorter length (the demultiplexer reads that many cycles of both)."""
    return sum(x != y for x, y in zip(a, b, strict=False))


@dataclass(frozen=True)
class Indexed:
    """A library as the collision check sees it."""

    name: str
    i7: str | None
    i5: str | None
    lane: int | None = None
    id: object = None  # the library's record id, when it has one


def _too_close(a: str | None, b: str | None, mismatches: int) -> bool:
    if not a or not b:
        return a == b  # both unindexed on this read: nothing tells them apart on it
    return hamming(a, b) <= 2 * mismatches


def collide(a: Indexed, b: Indexed, mismatches: int = 0) -> bool:
    """True when a demultiplexer allowing ``mismatches`` per index read could give a read of one to the
    other: on the same lane (or no lane), every index read within 2 × mismatches (identical for 0)."""
    if a.lane is not None and b.lane is not None and a.lane != b.lane:
        return False
    return _too_close(a.i7, b.i7, mismatches) and _too_close(a.i5, b.i5, mismatches)


def collisions(libraries: Sequence[Indexed], mismatches: int = 0,
               new: Iterable[Indexed] | None = None) -> list[tuple[Indexed, Indexed]]:
    """Pairs that collide: among ``libraries``, or (with ``new``) of each new one with those before it."""
    found = []
    if new is None:
        seen: list[Indexed] = []
        for library in libraries:
            found += [(other, library) for other in _near(seen, library, mismatches)]
            seen.append(library)
        return found
    for library in new:
        found += [(other, library) for other in _near(libraries, library, mismatches)]
    return found


def _near(candidates: Iterable[Indexed], library: Indexed, mismatches: int) -> list[Indexed]:
    candidates = [c for c in candidates if c.id is None or c.id != library.id]  # not itself, twice
    if mismatches == 0:  # the common case, and a 384-library sheet: exact matches only
        return [c for c in candidates if (c.i7, c.i5) == (library.i7, library.i5)
                and (c.lane is None or library.lane is None or c.lane == library.lane)]
    return [c for c in candidates if collide(c, library, mismatches)]


def collision_message(a: Indexed, b: Indexed, mismatches: int) -> str:
    """Names both libraries and their pairs, e.g. for an INDEX_COLLISION error."""
    same = (a.i7, a.i5) == (b.i7, b.i5)
    how = "the same index pair" if same else f"index pairs within {2 * mismatches} mismatches of each other"
    lane = f" on lane {b.lane}" if b.lane is not None else ""
    return f"Libraries {a.name} ({_pair(a)}) and {b.name} ({_pair(b)}) have {how}{lane}."


def _pair(library: Indexed) -> str:
    return f"{library.i7 or '-'}+{library.i5 or '-'}"
