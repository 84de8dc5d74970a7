"""The CLI's rough edges as a newcomer meets them: how fast a small command answers, and where the data is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from subgraphs.core.runtime.settings import PROJECT_ROOT

HEAVY = ("sqlalchemy", "strawberry", "uvicorn", "weasyprint", "alembic", "asyncpg", "boto3", "Bio")


def _python(code: str, cwd: Path, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env={**os.environ, "DINA_DEV": "true", **env},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_token_imports_none_of_the_servers_libraries(tmp_path: Path) -> None:
    """`token` (and `--help`) answer in a fraction of a second: the schemas, SQLAlchemy and WeasyPrint,
    seconds to import, load only for commands that use them. (Counted in modules, not seconds: the
    machines that run the tests are shared.)"""
    out = _python("import sys, contextlib, io\n"
                  "from subgraphs.cli import main\n"
                  "with contextlib.redirect_stdout(io.StringIO()) as token: main(['token'])\n"
                  "assert token.getvalue().count('.') == 2\n"
                  "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))",
                  tmp_path, DINA_DATA_DIR=str(tmp_path))
    loaded = set(out.split())
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_data_dir_is_the_checkouts_wherever_a_command_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DINA_DATA_DIR"}
    show = "from subgraphs.core.runtime.settings import Settings; print(Settings().data_dir)"
    done = subprocess.run([sys.executable, "-c", show], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == str(PROJECT_ROOT / ".dina")
    # A relative DINA_DATA_DIR is the working directory's, made absolute for the logs and child processes.
    assert _python(show, tmp_path, DINA_DATA_DIR="here").strip() == str(tmp_path.resolve() / "here")


def test_the_embedded_database_gets_a_runtime_dir_instead_of_a_warning(tmp_path: Path) -> None:
    """pgserver asks platformdirs for XDG_RUNTIME_DIR, unset outside a login session: a private folder
    of the data dir takes its place, so importing it warns of nothing (-W error would fail)."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    code = ("import sys; from pathlib import Path; from subgraphs.core.runtime.embedded import _runtime_dir\n"
            "_runtime_dir(Path(sys.argv[1])); import pgserver; print(pgserver.PostgresServer.runtime_path)")
    done = subprocess.run([sys.executable, "-W", "error", "-c", code, str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(str(tmp_path / "run"))
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o700
