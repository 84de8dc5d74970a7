"""The client as a package: strictly typed, and installable on its own in a fresh virtual environment."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import GROUP, admin_token

PACKAGE = REPO / "clients" / "python"


def test_mypy_strict_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(PACKAGE / "pyproject.toml"),
                             str(PACKAGE / "src")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_client_imports_nothing_of_the_server() -> None:
    imported = {alias.name.split(".")[0] if isinstance(node, ast.Import) else (node.module or "").split(".")[0]
                for path in (PACKAGE / "src").rglob("*.py") for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    assert "subgraphs" not in imported and {"httpx", "pandas", "graphql", "tqdm"} <= imported


def local_mirrors() -> list[str]:
    """The file:// package indexes pip is configured with here (so the install needs no network)."""
    config = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    return re.findall(r"file://[^\s'\"]+", "\n".join(line for line in config.splitlines() if "index-url" in line))


def test_installs_in_a_fresh_venv_and_the_readme_example_runs(router: str, seeded: dict, tmp_path: Path) -> None:
    mirrors = local_mirrors()
    if not mirrors:
        pytest.skip("pip has no local package mirror configured: installing would need the network")
    source = tmp_path / "source"  # a copy: the build leaves build/ beside the sources
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv.create(tmp_path / "venv", with_pip=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    index = ["--index-url", mirrors[0], *(a for m in mirrors[1:] for a in ("--extra-index-url", m))]
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *index,
                              str(source)], capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout + install.stderr

    readme = (PACKAGE / "README.md").read_text()
    example = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    assert len(example.strip().splitlines()) == 3
    program = example.replace('"http://127.0.0.1:4000/graphql"', f"{router!r}, token={admin_token()!r}") + \
        f"print(sorted(samples[samples['group'] == {GROUP!r}]['catalogNumber']))"
    run = subprocess.run([python, "-c", program], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['LIS-1']"
    assert "site-packages" in subprocess.run([python, "-c", "import dina_graph_client; print(dina_graph_client.__file__)"],
                                             capture_output=True, text=True, cwd=tmp_path).stdout
