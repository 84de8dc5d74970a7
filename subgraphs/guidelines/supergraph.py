"""The committed supergraph as an index: which subgraphs resolve each field of each type."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphql import EnumTypeDefinitionNode, ObjectTypeDefinitionNode, ObjectTypeExtensionNode, parse
from graphql.language import ConstDirectiveNode, EnumValueNode, StringValueNode


def _arguments(directive: ConstDirectiveNode) -> dict[str, str | bool]:
    found: dict[str, str | bool] = {}
    for arg in directive.arguments:
        value = arg.value
        if isinstance(value, EnumValueNode | StringValueNode):
            found[arg.name.value] = value.value
        elif value.kind == "boolean_value":
            found[arg.name.value] = value.value  # type: ignore[attr-defined]
    return found


def _joins(node: object, name: str) -> list[dict[str, str | bool]]:
    return [_arguments(d) for d in getattr(node, "directives", None) or () if d.name.value == name]


@dataclass(frozen=True)
class Supergraph:
    """``fields[type][field]``: the subgraph names resolving it (``@external`` ones left out)."""

    fields: dict[str, dict[str, frozenset[str]]]

    @classmethod
    def read(cls, path: Path) -> Supergraph:
        return cls.parse(path.read_text())

    @classmethod
    def parse(cls, sdl: str) -> Supergraph:
        document = parse(sdl)
        graph_names = {value.name.value: str(_joins(value, "join__graph")[0]["name"])
                       for node in document.definitions
                       if isinstance(node, EnumTypeDefinitionNode) and node.name.value == "join__Graph"
                       for value in node.values or ()}
        fields: dict[str, dict[str, frozenset[str]]] = {}
        for node in document.definitions:
            if not isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
                continue
            of_type = frozenset(graph_names[str(j["graph"])] for j in _joins(node, "join__type"))
            by_field = fields.setdefault(node.name.value, {})
            for definition in node.fields or ():
                joins = [j for j in _joins(definition, "join__field") if "graph" in j]
                graphs = (frozenset(graph_names[str(j["graph"])] for j in joins if not j.get("external"))
                          if joins else of_type)
                by_field[definition.name.value] = graphs
        return cls(fields)

    def graphs(self, type_name: str, field_name: str) -> frozenset[str]:
        return self.fields.get(type_name, {}).get(field_name, frozenset())
