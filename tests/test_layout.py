"""The layering, as code reads it: domains never import each other or the cross-domain exchange
workflows, core imports no domain, and core's subpackages import one another one way only."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

SUBGRAPHS = Path(__file__).resolve().parents[1] / "subgraphs"
CORE = SUBGRAPHS / "core"
DOMAINS = sorted(p.name for p in SUBGRAPHS.iterdir()
                 if p.is_dir() and (p / "app.py").exists() and p.name != "core")


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(SUBGRAPHS.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module or ""]))
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_there_are_domains_to_check() -> None:
    assert {"agents", "collection", "molecular", "media"} <= set(DOMAINS)


def test_domains_never_import_each_other_or_exchange() -> None:
    offences = []
    for domain in DOMAINS:
        others = {f"subgraphs.{name}" for name in DOMAINS if name != domain} | {"subgraphs.exchange"}
        for path in (SUBGRAPHS / domain).rglob("*.py"):
            offences += [(str(path.relative_to(SUBGRAPHS)), name) for name in imported(path)
                         if any(name == o or name.startswith(o + ".") for o in others)]
    assert offences == []


def test_core_imports_no_domain() -> None:
    domains = {f"subgraphs.{name}" for name in [*DOMAINS, "exchange", "registry", "cli"]}
    offences = [(str(path.relative_to(SUBGRAPHS)), name) for path in CORE.rglob("*.py")
                for name in imported(path) if any(name == d or name.startswith(d + ".") for d in domains)]
    assert offences == []


def test_core_is_grouped_into_subpackages_that_import_one_way() -> None:
    assert sorted(p.name for p in CORE.glob("*.py")) == ["__init__.py"]  # every module is in a subpackage
    packages = sorted(p.name for p in CORE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    graph: dict[str, set[str]] = {name: set() for name in packages}
    for name in packages:
        assert ast.get_docstring(ast.parse((CORE / name / "__init__.py").read_text())), f"core/{name} says what it holds"
        for path in (CORE / name).rglob("*.py"):
            graph[name] |= {other for module in imported(path) if module.startswith("subgraphs.core.")
                            and (other := module.split(".")[2]) in graph and other != name}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"core subpackages import each other in a cycle: {error.args[1]}") from None
    assert set(order) == set(packages)
