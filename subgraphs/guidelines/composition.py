"""Does the module compose with the rest of the graph, and does it take over fields others resolve?"""

from __future__ import annotations

from collections.abc import Mapping

from subgraphs.core.runtime.federation import compose_sdl

from .findings import Finding, Places, Rule, Status, judge
from .module import Module, directives, reserved

COMPOSES = Rule("COMPOSES", "The module composes with the current supergraph's subgraphs (@theguild/federation-composition)")
NO_SHADOW = Rule("NO-SHADOW", "No root or entity field another subgraph already resolves is defined again")


def check_composition(module: Module, url: str, others: Mapping[str, str]) -> Finding:
    """``others``: the SDL of every other subgraph of the current supergraph, by name."""
    subgraphs = {name: (f"http://{name}.invalid/graphql", sdl) for name, sdl in others.items() if name != module.name}
    try:
        compose_sdl({**subgraphs, module.name: (url, module.sdl)})
    except RuntimeError as error:
        lines = [line.removeprefix("composition error: ") for line in str(error).splitlines()[1:]]
        return Finding(COMPOSES.id, Status.FAIL, tuple(lines) or (str(error),))
    return Finding(COMPOSES.id, Status.PASS, note=f"with {', '.join(sorted(subgraphs))}")


def _shadowed(module: Module) -> Places:
    entities = {entity.type.name for entity in module.entities()}
    roots = [module.schema.query_type, module.schema.mutation_type]
    for type_ in [t for t in roots if t] + [t for t in module.objects() if t.name in entities]:
        for name, field_ in type_.fields.items():
            if reserved(name) or name == "id" or directives(field_, "external"):
                continue
            others = module.supergraph.graphs(type_.name, name) - {module.name}
            shown = f"{type_.name}.{name}"
            yield shown, f"already resolved by {', '.join(sorted(others))}" if others else None
            if directives(field_, "override"):
                yield shown, "@override takes it from another subgraph"


def check_shadowing(module: Module) -> Finding:
    return judge(NO_SHADOW, _shadowed(module))
