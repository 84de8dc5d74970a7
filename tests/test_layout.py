"""The layering, as code reads it: domains never import each other or the cross-domain exchange
workflows, core imports no domain, core's subpackages import one another one way only, and only a
domain's repository (and models) names its tables: nothing outside a domain imports its models."""

from __future__ import annotations

import ast
import re
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


def _tables() -> dict[str, str]:
    """Every table of every schema, "schema.table" → the domain (or exchange) owning it."""
    from subgraphs.registry import METADATA

    return {f"{t.schema}.{t.name}": t.schema for metadata in METADATA.values() for t in metadata.sorted_tables}


def _texts(path: Path) -> list[str]:
    """The string literals of a module (f-strings' literal parts too), docstrings included."""
    return [node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_only_a_domains_repository_and_models_name_its_tables_in_sql() -> None:
    """No module of the package but the owner's repository.py and models.py (its own or a sub-package's) spells a schema-qualified
    table name (raw SQL, COPY, a docstring pointing at another domain's table). The benchmarks' floor
    (benchmarks/floor.py) is raw SQL on purpose and is not part of the package."""
    tables = _tables()
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in sorted(tables, key=len, reverse=True)) + r")\b")
    offences = []
    for path in SUBGRAPHS.rglob("*.py"):
        relative = path.relative_to(SUBGRAPHS.parent)
        for text in _texts(path):
            for name in pattern.findall(text):
                owner = SUBGRAPHS / tables[name]  # a domain's sub-package (collection/taxonomy) has its own
                if not (path.is_relative_to(owner) and path.name in ("repository.py", "models.py")):
                    offences.append((str(relative), name))
    assert offences == []


def test_outside_a_domain_nothing_imports_its_tables() -> None:
    """Exchange and the CLI reach a domain's data through its repository or service; only the registry
    (which gives migrations every schema's metadata) imports a domain's models."""
    models = {f"subgraphs.{name}.models" for name in [*DOMAINS, "exchange"]}
    offences = []
    for path in SUBGRAPHS.rglob("*.py"):
        relative = path.relative_to(SUBGRAPHS.parent)
        if path == SUBGRAPHS / "registry.py":
            continue
        own = relative.parts[1] if len(relative.parts) > 2 else None
        offences += [(str(relative), name) for name in imported(path)
                     if any(name == m or name.startswith(m + ".") for m in models) and name.split(".")[1] != own]
    assert offences == []


def test_the_import_rules_see_an_offence() -> None:
    """The scans find what they look for: the repository's own SQL, the registry's import of models."""
    tables = _tables()
    assert tables["collection.material_sample"] == "collection" and tables["agents.person"] == "agents"
    assert any("agents.person" in text for text in _texts(SUBGRAPHS / "agents" / "repository.py"))
    assert "subgraphs.collection.models" in imported(SUBGRAPHS / "registry.py")
