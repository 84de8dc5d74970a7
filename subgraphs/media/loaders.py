from __future__ import annotations

from subgraphs.core.loaders import RowByIdLoader

from .models import media


class MediaByIdLoader(RowByIdLoader):
    table = media
