"""ruff, as configured in pyproject.toml, finds nothing."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
