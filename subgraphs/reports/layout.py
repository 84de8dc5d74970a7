"""Where labels go on a page: sheet geometry in millimetres, checked, and turned into CSS."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from typing import Any

from strawberry.utils.str_converters import to_camel_case

from subgraphs.core.base.errors import ClientError, ErrorCode


@dataclass(frozen=True)
class Layout:
    """A sheet of ``columns`` × ``rows`` labels; one label per page (label printers) is 1 × 1 on a page of
    the label's size. Margins are from the page's top-left corner to the first label; gaps between labels."""

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    label_width_mm: float = 70.0
    label_height_mm: float = 37.0
    columns: int = 3
    rows: int = 8
    margin_top_mm: float = 0.5
    margin_left_mm: float = 0.0
    column_gap_mm: float = 0.0
    row_gap_mm: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def position(self, index: int) -> tuple[float, float]:
        """Top-left corner (x, y) in mm of the ``index``-th label on its page."""
        row, column = divmod(index % self.per_page, self.columns)
        return (self.margin_left_mm + column * (self.label_width_mm + self.column_gap_mm),
                self.margin_top_mm + row * (self.label_height_mm + self.row_gap_mm))

    def pages(self, count: int) -> Iterator[range]:
        """The label indexes of each page for ``count`` labels."""
        for start in range(0, count, self.per_page):
            yield range(start, min(start + self.per_page, count))

    def css(self) -> str:
        return (f"@page {{ size: {self.page_width_mm}mm {self.page_height_mm}mm; margin: 0 }}\n"
                "html, body { margin: 0; padding: 0 }\n"
                f".dina-sheet {{ position: relative; width: {self.page_width_mm}mm; height: {self.page_height_mm}mm;"
                " overflow: hidden; page-break-after: always }\n"
                ".dina-sheet:last-child { page-break-after: auto }\n"
                f".dina-label {{ position: absolute; width: {self.label_width_mm}mm; height: {self.label_height_mm}mm;"
                " overflow: hidden; box-sizing: border-box }\n")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


NAMES = [f.name for f in fields(Layout)]


def layout_from(values: dict[str, Any], field: str = "layout") -> Layout:
    """A checked layout: positive sizes, whole counts, and every label inside the page."""
    unknown = set(values) - set(NAMES)
    if unknown:
        raise ClientError(ErrorCode.BAD_USER_INPUT, f"Unknown layout settings: {', '.join(sorted(unknown))}.", field)
    layout = Layout(**{**Layout().as_json(), **{k: v for k, v in values.items() if v is not None}})
    for name in NAMES:
        value = getattr(layout, name)
        if value < 0 or (value == 0 and not name.startswith(("margin", "column_gap", "row_gap"))):
            raise ClientError(ErrorCode.BAD_USER_INPUT, f"`{name}` must be positive; it is {value}.",
                              f"{field}.{to_camel_case(name)}")
    width = layout.margin_left_mm + layout.columns * layout.label_width_mm + (layout.columns - 1) * layout.column_gap_mm
    height = layout.margin_top_mm + layout.rows * layout.label_height_mm + (layout.rows - 1) * layout.row_gap_mm
    if width > layout.page_width_mm + 1e-6:
        raise ClientError(ErrorCode.BAD_USER_INPUT, f"{layout.columns} columns of {layout.label_width_mm} mm need "
                          f"{width:g} mm, wider than the {layout.page_width_mm} mm page.", f"{field}.columns")
    if height > layout.page_height_mm + 1e-6:
        raise ClientError(ErrorCode.BAD_USER_INPUT, f"{layout.rows} rows of {layout.label_height_mm} mm need "
                          f"{height:g} mm, taller than the {layout.page_height_mm} mm page.", f"{field}.rows")
    return layout

