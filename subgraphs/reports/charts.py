"""Template functions for reports: counting records by a field, and a bar chart of the counts (SVG)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape


def _value(record: Any, path: str) -> Any:
    """``record``'s value at a dotted ``path``; a list on the way gives the value of each of its items."""
    values = [record]
    for key in path.split("."):
        next_values = []
        for value in values:
            found = value.get(key) if isinstance(value, dict) else None
            next_values.extend(found if isinstance(found, list) else [found])
        values = next_values
    return values


def count_by(records: Iterable[Any], path: str, missing: str = "(none)") -> list[tuple[str, int]]:
    """How many records have each value at ``path`` (e.g. "collectingEvent.country"), most first;
    a record with several values (a list on the path) counts once for each distinct one."""
    counts: Counter[str] = Counter()
    for record in records:
        values = {str(v) for v in _value(record, path) if v not in (None, "")}
        counts.update(values or {missing})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def bar_chart(counts: list[tuple[str, int]], width_mm: float = 160, bar_mm: float = 6) -> Markup:
    """Horizontal bars, one per (label, count), as inline SVG (vector, its text real text)."""
    top = max((count for _, count in counts), default=1) or 1
    label_mm, gap = width_mm * 0.35, 1.5
    rows = []
    for i, (label, count) in enumerate(counts):
        y = i * (bar_mm + gap)
        length = (width_mm - label_mm - 12) * count / top
        rows.append(
            f'<text x="{label_mm - 1}" y="{y + bar_mm * 0.7}" text-anchor="end" font-size="3">{escape(label)}</text>'
            f'<rect x="{label_mm}" y="{y}" width="{length:.2f}" height="{bar_mm}" fill="#4a7ab5"/>'
            f'<text x="{label_mm + length + 1}" y="{y + bar_mm * 0.7}" font-size="3">{count}</text>')
    height = max(len(counts) * (bar_mm + gap), bar_mm)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm}mm" height="{height}mm" '
                  f'viewBox="0 0 {width_mm} {height}">{"".join(rows)}</svg>')
