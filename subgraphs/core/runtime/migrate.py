"""Running the Alembic migrations from code (the CLI, tests and `serve` all use this).

Each subgraph is an Alembic branch (``migrations/versions/<name>``, branch label ``<name>``):
``"heads"`` is every subgraph at its newest revision, ``"agents@head"`` one subgraph only.
"""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config

from subgraphs.core.runtime.settings import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    branches = sorted(p for p in (MIGRATIONS / "versions").iterdir() if p.is_dir() and not p.name.startswith("_"))
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in branches))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
