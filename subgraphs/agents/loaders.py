from __future__ import annotations

from subgraphs.core.loaders import RowByIdLoader

from .models import person


class PersonByIdLoader(RowByIdLoader):
    table = person
