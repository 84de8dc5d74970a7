from __future__ import annotations

from subgraphs.core.data.loaders import RowByIdLoader

from . import models as m


class ImportJobByIdLoader(RowByIdLoader):
    table = m.import_job
