"""Every example of README.md and docs/*.md runs against one fresh `serve`, as a reader pastes it, and
prints what the page says it prints (tests/docs_examples.py: what counts as an example, the markers).

One test per page, the page's examples in order (later ones use what earlier ones printed); a failure
names the page, the line of the fence and what differed. The pages share the deployment (one `serve`
for all: README first, then the first-hour guide, then the rest by name), so a page picks its records
by group or name rather than counting on what another page wrote or did not write."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from subgraphs.core.runtime.processes import wait_until_ready

from . import docs_examples as md
from .conftest import REPO, create_database, drop_database
from .test_cli_serve import serving

# README first (it shows the demo data as loaded), then the first-hour guide, then the rest.
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"),
                                     key=lambda page: (page.name != "first-hour.md", page.name))]
PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)>")
VARIABLES = re.compile(r"^\s*#\s*\$(\w+)\s*=\s*(.+)$", re.M)
# `./run` as the page means it, without the installing: the same CLI, in this test's environment.
SHELL_PREAMBLE = """set -eo pipefail
set -a  # what an example sets is kept for the next ones
./run() { "$DOCS_PYTHON" -m subgraphs.cli "$@"; }
trap 'env -0 > "$DOCS_STATE"' EXIT
"""


@dataclass
class Deployment:
    env: dict[str, str]
    ports: dict[str, int]
    token: str  # a dev token with the user role in group demo, for GraphQL examples

    def localize(self, text: str) -> str:
        """The page's ports (4000 router, 4001 subgraphs) are this deployment's."""
        for documented, port in ((4000, self.ports["router"]), (4001, self.ports["subgraphs"])):
            text = re.sub(rf"\b(127\.0\.0\.1|localhost):{documented}\b", rf"\g<1>:{port}", text)
        return text


@pytest.fixture(scope="module")
async def deployment() -> AsyncIterator[Deployment]:
    name = f"dina_docs_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        with tempfile.TemporaryDirectory() as data_dir, serving(Path(data_dir), database_url=url) as ports:
            wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", timeout=120)
            env = {k: v for k, v in os.environ.items() if not k.startswith("DINA_")}
            env |= {"DATABASE_URL": url, "DINA_DEV": "true", "DINA_DATA_DIR": data_dir,
                    "DINA_ROUTER_PORT": str(ports["router"]), "DINA_SUBGRAPH_PORT": str(ports["subgraphs"]),
                    "DOCS_PYTHON": sys.executable}
            token = subprocess.run([sys.executable, "-m", "subgraphs.cli", "token", "--group", "demo"], env=env,
                                   capture_output=True, text=True, check=True, timeout=60).stdout.strip()
            yield Deployment(env, ports, token)
    finally:
        await drop_database(name)


def _run_shell(example: md.Example, deployment: Deployment, state: dict[str, str], cwd: Path) -> str:
    with tempfile.NamedTemporaryFile() as kept:
        env = deployment.env | state | {"DOCS_STATE": kept.name}
        done = subprocess.run(["bash", "-c", SHELL_PREAMBLE + deployment.localize(example.code())], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=600, check=False)
        expected = int(example.fence.directive("exit-code") or 0)
        assert done.returncode == expected, (f"{example.fence.where}: exit code {done.returncode}, not {expected}\n"
                                             f"{done.stdout}\n{done.stderr}")
        after = dict(item.split("=", 1) for item in Path(kept.name).read_text().split("\0") if "=" in item)
    state |= {k: v for k, v in after.items() if env.get(k) != v and not k.startswith(("BASH", "_", "SHLVL"))}
    shown = example.documented()
    if shown is not None and not shown.lstrip().startswith(("{", "[")):
        return done.stdout + done.stderr  # a terminal shows both
    return done.stdout


def _filled(text: str, state: dict[str, str], example: md.Example) -> str:
    def value(match: re.Match[str]) -> str:
        assert match[1] in state, f"{example.fence.where}: <{match[1]}> was not saved by an earlier example"
        return state[match[1]]

    return PLACEHOLDER.sub(value, text)


def _run_graphql(example: md.Example, deployment: Deployment, state: dict[str, str], _: Path) -> str:
    document = _filled(example.fence.body, state, example)
    variables = {name: json.loads(value) for name, value in VARIABLES.findall(document)}
    response = httpx.post(f"http://127.0.0.1:{deployment.ports['router']}/graphql",
                          json={"query": document, "variables": variables}, timeout=120,
                          headers={"authorization": f"Bearer {deployment.token}"})
    return response.text


def _run_python(example: md.Example, deployment: Deployment, state: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", deployment.localize(example.fence.body)], cwd=cwd,
                          env=deployment.env | state, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{example.fence.where}: exit code {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


RUNNERS = {md.SHELL: _run_shell, md.GRAPHQL: _run_graphql, md.PYTHON: _run_python}


def _workspace(folder: Path) -> Path:
    """A checkout to run a page's commands in: the repository's files linked in, so `subgraphs/…` and
    `../shared/data/…` resolve as in a real checkout, and what an example writes stays out of the real one."""
    checkout = folder / REPO.name
    checkout.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in {".git", ".dina", ".cache"}:
            (checkout / entry.name).symlink_to(entry)
    if (REPO.parent / "shared").exists():
        (folder / "shared").symlink_to(REPO.parent / "shared")
    return checkout


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_examples_of_a_page_print_what_it_says(page: Path, deployment: Deployment, tmp_path: Path) -> None:
    if other := md.run_by(page):
        pytest.skip(f"{page.name}: its examples are replayed by {other}")
    state: dict[str, str] = {}
    ran = 0
    cwd = _workspace(tmp_path)
    for example in md.examples(page):
        if example.skipped:
            continue
        printed = RUNNERS[example.fence.kind](example, deployment, state, cwd)
        ran += 1
        if (shown := example.documented()) is not None:
            some = example.output is not None and example.output.directive("output") == "some items"
            problem = md.output_difference(deployment.localize(shown), printed, some)
            where = example.output.where if example.output is not None else "its own output lines"
            assert problem is None, f"{example.fence.where}: output differs from {where}: {problem}"
        for name, path in example.saves():
            try:
                state[name] = str(md.json_path(json.loads(printed), path))
            except (ValueError, KeyError, IndexError, TypeError) as error:
                raise AssertionError(f"{example.fence.where}: cannot save {name} = {path} ({error!r}) from "
                                     f"{printed[:500]}") from error
    if not ran:
        pytest.skip(f"{page.name} has no executed examples")


def test_every_example_is_run_or_says_why_not() -> None:
    """New pages are covered as they come: an example is run unless marked with a reason; a marker must
    stand before an example; a command in an indented block would escape the check, so it is refused."""
    problems = []
    for page in PAGES:
        for fence in md.fences(page):
            reason = fence.directive("not-executed")
            if reason is not None and (fence.kind is None or not reason.strip()):
                problems.append(f"{fence.where}: not-executed needs an example fence and a reason")
        problems += [f"{page.name}:{line}: a command in an indented block: make it a ```sh fence"
                     for line in md.indented_commands(page)]
        if (other := md.run_by(page)) and page.name not in ((REPO / other).read_text() if (REPO / other).is_file() else ""):
            problems.append(f"{page.name}: examples-run-by names {other}, which does not read the page")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("documented", "printed", "some_items", "caught"), [
    ('{"data": {"x": {"version": 2, "errors": []}}}', '{"data": {"x": {"version": 3, "errors": []}}}', False, True),
    ('{"data": {"x": {"errors": []}}}', '{"data": {"x": {"errors": [{"code": "FORBIDDEN"}]}}}', True, True),
    ('{"data": {"x": {"code": "HERP"}}}', '{"data": {"x": {"code": "HERP", "name": "Herpetology"}}}', False, True),
    ('{"id": "01a2113d-b066-7d25-ac82-cae783e6aa8d", "on": "2026-01-01T10:00:00+00:00"}',
     '{"id": "01a253bf-2c6d-7f64-aa50-307c6090533b", "on": "2026-12-08T03:42:00+00:00"}', False, False),
    ('{"url": "http://h/o/01a21151-….jpg?expires=1795590498&signature=a4c578a0…"}',
     '{"url": "http://h/o/01a253bf-2c6d-7f64-aa50-307c6090533b.jpg?expires=1795599999&signature=ffff"}', False, False),
    ('{"items": [1, 3]}', '{"items": [1, 2, 3]}', True, False),
    ('{"items": [3, 1]}', '{"items": [1, 2, 3]}', True, True),
    ("158 rows, 158 imported, …", "x.zip (Occurrence core): 158 rows, 158 imported, 0 already present", False, False),
    ("158 rows, 157 imported, …", "x.zip (Occurrence core): 158 rows, 158 imported, 0 already present", False, True),
])
def test_a_documented_output_that_drifted_is_caught(documented: str, printed: str, some_items: bool,
                                                    caught: bool) -> None:
    """What the page test compares with: values, list lengths and keys; ids, timestamps, signatures and `…` vary."""
    assert (md.output_difference(documented, printed, some_items) is not None) is caught


def test_a_console_fence_runs_its_prompted_lines_and_documents_the_rest() -> None:
    fence = md.Fence(REPO / "x.md", 1, "console", "$ ./run token \\\n  --group demo\nINFO dina: dev token\n$ echo hi\nhi\n")
    example = md.Example(fence, None)
    assert example.code() == "./run token \\\n  --group demo\necho hi\n"
    assert example.documented() == "INFO dina: dev token\nhi"
