"""Report templates as sandboxed Jinja2: checked on save (syntax, unknown variables, with line and
column), rendered with barcode functions, unable to reach files, the network or Python internals."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import barcodes, charts


class TemplateProblem(Exception):
    """A template that cannot be saved or rendered, with where in its source."""

    def __init__(self, code: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


@dataclass(frozen=True)
class Identifiers:
    """How a record's stable identifier is spelled on labels: a configured base URL + id, or a URN."""

    base_url: str | None = None

    def __call__(self, record_id: object) -> str:
        return f"{self.base_url}{record_id}" if self.base_url else f"urn:uuid:{record_id}"


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "qr": barcodes.qr, "code128": barcodes.code128, "datamatrix": barcodes.datamatrix,
    "count_by": charts.count_by, "bar_chart": charts.bar_chart,
}
# What a template may name besides the functions: a label gets its record as `item`, a report the whole
# query result as `data`; both get the sheet `layout`, `now` (UTC) and `stable_id(id)`.
LABEL_VARIABLES = frozenset({"item", "index", "layout", "now", "stable_id"})
REPORT_VARIABLES = frozenset({"data", "layout", "now", "stable_id"})


def _environment() -> ImmutableSandboxedEnvironment:
    # No loader: {% include %}, {% import %} and {% extends %} find nothing (no file is reachable);
    # the immutable sandbox refuses attribute access to internals and calls that change objects.
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=None,
                                        trim_blocks=True, lstrip_blocks=True)
    env.globals.update(FUNCTIONS)
    return env


ENVIRONMENT = _environment()


def _column(source: str, line: int, token: str | None) -> int:
    """1-based column of ``token`` (or of the first tag) on ``line`` of ``source``; 1 when not found."""
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    pattern = rf"\b{re.escape(token)}\b" if token else r"\{[{%#]"
    found = re.search(pattern, text)
    return found.start() + 1 if found else 1


def check(source: str, variables: frozenset[str]) -> Template:
    """The compiled template, or a TemplateProblem: a syntax error, or a name it may not use."""
    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateSyntaxError as error:
        line = error.lineno or 1
        raise TemplateProblem("TEMPLATE_SYNTAX_ERROR", f"Line {line}: {error.message}", line,
                              _column(source, line, None)) from None
    _refuse_reaching_out(source, tree)
    # Names the template sets itself ({% set %}, {% for %}) count as declared even when set inside a block.
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    unknown = meta.find_undeclared_variables(tree) - variables - set(ENVIRONMENT.globals) - assigned
    if unknown:
        name = min(unknown, key=lambda n: _first_use(tree, n))
        line = _first_use(tree, name)
        raise TemplateProblem(
            "TEMPLATE_UNKNOWN_VARIABLE", f"Line {line}: `{name}` is not defined; a template may use "
            f"{', '.join(sorted(variables | set(FUNCTIONS)))}.", line, _column(source, line, name))
    return ENVIRONMENT.from_string(tree)


def _refuse_reaching_out(source: str, tree: nodes.Template) -> None:
    """Other templates (files) and underscore attributes (Python internals) are refused on save; the
    sandbox would refuse them at render time too."""
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        keyword = {"Include": "include", "Import": "import", "FromImport": "from", "Extends": "extends"}[type(node).__name__]
        raise TemplateProblem("TEMPLATE_FORBIDDEN", f"Line {node.lineno}: `{keyword}` is not allowed: a template "
                              "cannot read other templates or files.", node.lineno, _column(source, node.lineno, keyword))
    for node in tree.find_all(nodes.Getattr):
        if node.attr.startswith("_"):
            raise TemplateProblem("TEMPLATE_FORBIDDEN", f"Line {node.lineno}: `{node.attr}` is not allowed: a "
                                  "template cannot reach Python internals.", node.lineno,
                                  _column(source, node.lineno, node.attr))


def _first_use(tree: nodes.Template, name: str) -> int:
    return min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name)


@lru_cache(maxsize=64)
def compiled(source: str, variables: frozenset[str]) -> Template:
    """Templates are rendered again and again: check and compile each source once."""
    return check(source, variables)


def render(template: Template, **context: Any) -> str:
    """The template's HTML for ``context``; a failure (a missing field, a refused call) is a TemplateProblem."""
    try:
        return template.render(now=dt.datetime.now(dt.UTC), **context)
    except TemplateError as error:
        line = _line_of(error)
        raise TemplateProblem("TEMPLATE_RENDER_ERROR", f"The template failed{f' at line {line}' if line else ''}: "
                              f"{error.message or error}", line) from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a barcode of nothing, a huge range
        raise TemplateProblem("TEMPLATE_RENDER_ERROR", f"The template failed: {error}") from None


def _line_of(error: Exception) -> int | None:
    """The template line a render error happened at, from the traceback of the compiled template."""
    frame = error.__traceback__
    line = None
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == "<template>":
            line = frame.tb_lineno
        frame = frame.tb_next
    return line
