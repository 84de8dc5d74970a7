"""The examples of README.md and docs/*.md, read from the Markdown, and their documented output.

An *example* is a fenced block in a shell (sh, bash, shell, console), GraphQL or Python fence, or an
unlabelled fence that starts like a command (``./run``, ``curl``…). Every example is run by
tests/test_docs_examples.py unless an HTML comment before it says why not::

    <!-- not-executed: needs a running Specify 7 -->

A fence right after an example whose language is json, text or none is the example's documented
output (in a ``console`` fence, the lines without a ``$ `` prompt are), compared with what it printed (JSON by structure, anything else line by line). In both, a
``…`` stands for any text, ids and timestamps for any id and timestamp, and ports 4000/4001 are the
test's own. Other comments before a fence steer the run:

- ``<!-- save: NAME = data.createInstitution.institution.id -->`` keeps a value of the example's JSON
  output: later GraphQL examples of the page write it ``<NAME>`` (shell and Python read ``$NAME``);
  shell variables an example sets are kept the same way;
- shell output is compared with stdout, a text one (not JSON) with stdout and then stderr, as a
  terminal shows both;
- ``<!-- exit-code: 1 -->``: the shell example ends with this exit code (default 0; its commands stop at
  the first that fails, as ``set -e`` has them);
- ``<!-- output: some items -->`` before an output fence: its lists show some of the items, in order;
- ``<!-- not-compared: reason -->`` before an output fence: shown, not compared.

A page whose examples another test replays says so once: ``<!-- examples-run-by: tests/x/test_docs.py -->``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHELL, GRAPHQL, PYTHON = "shell", "graphql", "python"
LANGUAGES = {"sh": SHELL, "bash": SHELL, "shell": SHELL, "console": SHELL, "zsh": SHELL,
             "graphql": GRAPHQL, "gql": GRAPHQL, "python": PYTHON, "py": PYTHON, "python3": PYTHON}
OUTPUTS = {"", "json", "text", "txt", "output"}
COMMAND = re.compile(r"^\s*(\./run\b|curl\b|dina-graph\b|\.venv/bin/|python3?\b|\$ )")
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<tick>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=tick)[ \t]*$",
                   re.M | re.S)
DIRECTIVE = re.compile(r"<!--\s*(not-executed|save|output|not-compared|exit-code)\s*:\s*(.*?)\s*-->", re.S)
ELLIPSIS = "…"


@dataclass
class Fence:
    path: Path
    line: int
    lang: str
    body: str
    directives: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """SHELL, GRAPHQL or PYTHON for an example, None for anything else (an output, a diagram)."""
        if self.lang in LANGUAGES:
            return LANGUAGES[self.lang]
        first = next((line for line in self.body.splitlines() if line.strip()), "")
        return SHELL if self.lang == "" and COMMAND.match(first) else None

    def directive(self, name: str) -> str | None:
        return next((value for key, value in self.directives if key == name), None)

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line} ({self.lang or 'unlabelled'} fence)"


@dataclass
class Example:
    fence: Fence
    output: Fence | None  # the documented output, when the page shows one

    @property
    def skipped(self) -> str | None:
        return self.fence.directive("not-executed")

    def saves(self) -> list[tuple[str, str]]:
        pairs = [value.split("=", 1) for key, value in self.fence.directives if key == "save"]
        return [(name.strip(), path.strip()) for name, path in pairs]

    def code(self) -> str:
        """What runs: the fence, or a console fence's `$ ` lines (and their `\\` continuations)."""
        return self._console()[0] if self.fence.lang == "console" else self.fence.body

    def documented(self) -> str | None:
        """The output the page shows: the fence after it, or a console fence's lines without `$ `."""
        inline = self._console()[1] if self.fence.lang == "console" else ""
        if self.output is not None and self.output.directive("not-compared") is None:
            return self.output.body
        return inline or None

    def _console(self) -> tuple[str, str]:
        commands, shown, continued = [], [], False
        for line in self.fence.body.splitlines():
            if continued or line.startswith("$ "):
                commands.append(line if continued else line[2:])
                continued = line.endswith("\\")
            else:
                shown.append(line)
        return "\n".join(commands) + "\n", "\n".join(shown)


RUN_BY = re.compile(r"<!--\s*examples-run-by\s*:\s*(\S+)\s*-->")


def run_by(path: Path) -> str | None:
    """The test module that replays this page's examples instead, if the page names one."""
    match = RUN_BY.search(path.read_text())
    return match[1] if match else None


def fences(path: Path) -> list[Fence]:
    text = path.read_text()
    found, end = [], 0
    for match in FENCE.finditer(text):
        gap = text[end:match.start()]
        found.append(Fence(path, text.count("\n", 0, match.start()) + 1, match["lang"].lower(), match["body"],
                           DIRECTIVE.findall(gap)))
        end = match.end()
    return found


def examples(path: Path) -> list[Example]:
    """A page's examples in order, each with the output fence that follows it (blank lines and
    comments between them only)."""
    found = fences(path)
    text = path.read_text().splitlines()
    result = []
    for index, fence in enumerate(found):
        if fence.kind is None:
            continue
        after = found[index + 1] if index + 1 < len(found) else None
        output = None
        if after is not None and after.kind is None and after.lang in OUTPUTS:
            closing = fence.line + fence.body.count("\n")  # the line of this fence's closing marks (0-based + 1)
            between = "\n".join(text[closing + 1:after.line - 1])
            if not DIRECTIVE.sub("", between).strip():
                output = after
        result.append(Example(fence, output))
    return result


def indented_commands(path: Path) -> list[int]:
    """Lines of indented (4-space) code blocks that hold a command: they would escape the check."""
    lines = path.read_text().splitlines()
    inside = False
    found = []
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
            continue
        previous = lines[number - 2] if number > 1 else ""
        if not inside and line.startswith("    ") and not previous.strip() and COMMAND.match(line[4:]):
            found.append(number)
    return found


# --- comparing documented with actual output ---------------------------------------------------------

# A whole UUID, or one cut short with "…" (01a2113d-b066-…, 0197…).
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{4,8}(?:-[0-9a-f]{1,12})*-?…")
SHA256 = re.compile(r"\b[0-9a-f]{64}\b")  # of a file whose bytes hold ids and dates (a PDF)
TIMESTAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
SIGNED = re.compile(r"(expires|signature|X-Amz-[A-Za-z]+)=[^&\"\s…]+…?")


def normalize(text: str) -> str:
    text = SHA256.sub("<sha256>", text)
    text = UUID.sub("<id>", text)
    text = TIMESTAMP.sub("<time>", text)
    return SIGNED.sub(lambda m: f"{m[1]}=<signed>", text)


def _text_matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in normalize(expected).split(ELLIPSIS))
    return re.fullmatch(pattern, normalize(actual), re.S) is not None


def difference(expected: Any, actual: Any, some_items: bool, where: str = "$") -> str | None:
    """Where ``actual`` differs from the documented ``expected`` (None: it matches)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: documented an object, got {json.dumps(actual)[:200]}"
        more = expected.get(ELLIPSIS) == ELLIPSIS  # "…": "…" stands for keys not shown
        keys = [key for key in expected if key != ELLIPSIS]
        if missing := [key for key in keys if key not in actual]:
            return f"{where}: no {', '.join(missing)} in {json.dumps(actual)[:200]}"
        if not more and (extra := [key for key in actual if key not in expected]):
            return f"{where}: undocumented {', '.join(extra)}"
        for key in keys:
            if found := difference(expected[key], actual[key], some_items, f"{where}.{key}"):
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: documented a list, got {json.dumps(actual)[:200]}"
        if not some_items or not expected:
            if len(expected) != len(actual):
                return f"{where}: documented {len(expected)} item(s), got {len(actual)}: {json.dumps(actual)[:300]}"
            for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
                if found := difference(e, a, some_items, f"{where}[{index}]"):
                    return found
            return None
        rest = iter(enumerate(actual))
        for e in expected:  # each documented item, in order, among the actual ones
            if not any(difference(e, a, some_items) is None for _, a in rest):
                return f"{where}: documented item {json.dumps(e)[:200]} not found (in order) in {json.dumps(actual)[:300]}"
        return None
    if isinstance(expected, str):
        if not isinstance(actual, str) or not _text_matches(expected, actual):
            return f"{where}: documented {expected!r}, got {actual!r}"
        return None
    if expected != actual or type(expected) is not type(actual):
        return f"{where}: documented {expected!r}, got {actual!r}"
    return None


def output_difference(documented: str, actual: str, some_items: bool) -> str | None:
    """JSON output by structure; anything else: each documented line matches an actual one, in order."""
    try:
        expected = json.loads(documented)
    except ValueError:
        expected = None
    if expected is not None:
        try:
            got = json.loads(actual)
        except ValueError:
            return f"documented JSON, got: {actual[:500]}"
        return difference(expected, got, some_items)
    lines = iter(actual.splitlines())
    for line in (line.strip() for line in documented.splitlines()):
        if line and not any(_text_matches(f"{ELLIPSIS}{line}{ELLIPSIS}", got) for got in lines):
            return f"documented line {line!r} not printed (in order); printed:\n{actual[:1500]}"
    return None


def json_path(value: Any, path: str) -> Any:
    """``data.materialSamples.edges.0.node.id`` of a decoded JSON value."""
    for step in path.split("."):
        value = value[int(step)] if isinstance(value, list) else value[step]
    return value
