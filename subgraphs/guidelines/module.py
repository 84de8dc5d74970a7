"""A module's SDL as the rules read it: its types, its entities and which of them it originates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import (
    BooleanValueNode,
    DocumentNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    build_ast_schema,
    parse,
)
from graphql.language import ConstDirectiveNode, DirectiveNode

from .supergraph import Supergraph

FEDERATION_LINK = re.compile(r"https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)")


def directives(node_owner: object, name: str) -> list[DirectiveNode]:
    """The ``@name`` directives on a schema, type or field, its extensions' included."""
    nodes = [getattr(node_owner, "ast_node", None), *getattr(node_owner, "extension_ast_nodes", ())]
    return [d for node in nodes if node is not None for d in node.directives or () if d.name.value == name]


def argument(directive: DirectiveNode | ConstDirectiveNode, name: str) -> object:
    for arg in directive.arguments:
        if arg.name.value == name and isinstance(arg.value, StringValueNode | BooleanValueNode):
            return arg.value.value
    return None


def defined(document: DocumentNode) -> DocumentNode:
    """``extend type X`` of a type the SDL never defines, as its definition: how Federation 1 style
    and Apollo's printed subgraphs write ``Query`` and other graphs' entities (graphql-core would drop them)."""
    names = {node.name.value for node in document.definitions if isinstance(node, TypeDefinitionNode)}
    nodes = []
    for node in document.definitions:
        if isinstance(node, ObjectTypeExtensionNode) and node.name.value not in names:
            names.add(node.name.value)
            node = ObjectTypeDefinitionNode(name=node.name, interfaces=node.interfaces, directives=node.directives,
                                            fields=node.fields, loc=node.loc)
        nodes.append(node)
    return DocumentNode(definitions=tuple(nodes))


@dataclass(frozen=True)
class Entity:
    type: GraphQLObjectType
    keys: tuple[str, ...]
    originated: bool  # this module is where its record lives (not a stub or an extension of another graph's)


@dataclass
class Module:
    """``name``: the module's subgraph name in the supergraph (its own fields there are not shadowing)."""

    name: str
    sdl: str
    supergraph: Supergraph
    schema: GraphQLSchema = field(init=False)

    def __post_init__(self) -> None:
        self.schema = build_ast_schema(defined(parse(self.sdl)), assume_valid_sdl=True)

    def federation_version(self) -> tuple[int, int] | None:
        for link in directives(self.schema, "link"):
            if found := FEDERATION_LINK.fullmatch(str(argument(link, "url"))):
                return int(found[1]), int(found[2])
        return None

    def objects(self) -> Iterator[GraphQLObjectType]:
        for type_ in self.schema.type_map.values():
            if isinstance(type_, GraphQLObjectType) and not reserved(type_.name):
                yield type_

    def inputs(self) -> Iterator[GraphQLInputObjectType]:
        for type_ in self.schema.type_map.values():
            if isinstance(type_, GraphQLInputObjectType) and not reserved(type_.name):
                yield type_

    def entities(self) -> Iterator[Entity]:
        for type_ in self.objects():
            keys = directives(type_, "key")
            if not keys:
                continue
            resolvable = any(argument(key, "resolvable") is not False for key in keys)
            elsewhere = self.supergraph.graphs(type_.name, "group") - {self.name}
            yield Entity(type_, tuple(str(argument(key, "fields")) for key in keys), resolvable and not elsewhere)

    def root_fields(self, root: GraphQLObjectType | None) -> Iterator[tuple[str, GraphQLField]]:
        for name, field_ in (root.fields.items() if root else ()):
            if not reserved(name):
                yield name, field_


def reserved(name: str) -> bool:
    """Names the specs and federation own (``__Type``, ``_Service``, ``_entities``), not the module."""
    return name.startswith("_")
