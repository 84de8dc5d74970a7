"""The batched executor answers exactly as plain graphql-core does: on the documents of issue 15, on a
small schema with permission classes, field extensions, interfaces, unions and failing fields, and on
documents generated from each subgraph's schema (hypothesis-graphql, then reshaped: overlapping
selections, aliases, fragments, `@skip`/`@include` at every depth with variables with defaults, and
several operations)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Annotated, Any

import graphql
import httpx
import hypothesis
import pytest
import strawberry
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from hypothesis_graphql import queries
from sqlalchemy import select
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission

from subgraphs.agents.models import person
from subgraphs.core.data.db import Database
from subgraphs.core.execution.context import RequestContext
from subgraphs.core.execution.executor import BatchedExecutionContext
from subgraphs.core.security.auth import Principal, Role
from subgraphs.media.models import media
from subgraphs.molecular.models import sequence
from subgraphs.registry import SCHEMAS

from .conftest import ISSUER, SubgraphServer
from .conftest import graphql as post
from .differential import agree, both, comparable
from .seed import seed_samples

# The two documents of issue 15, which the old fast path answered wrongly from their second run on.
OVERLAPPING = "{ materialSamples(first: 2) { edges { node { materialSampleName } } edges { node { id barcode } } } }"
TWO_OPERATIONS = """query One($n: Int = 4) { materialSamples(first: $n) { edges { node { id } } } }
query Two($n: Int = 2) { materialSamples(first: $n) { totalCount edges { node { id materialSampleName } } } }"""


async def test_overlapping_selections_are_merged_on_every_repeat(clean_db: Database, subgraphs: SubgraphServer) -> None:
    await seed_samples(clean_db, 3)
    answers = [post(subgraphs.url("collection"), OVERLAPPING) for _ in range(3)]

    assert answers[0] == answers[1] == answers[2]
    nodes = [edge["node"] for edge in answers[0]["data"]["materialSamples"]["edges"]]
    assert len(nodes) == 2 and all(set(node) == {"materialSampleName", "id", "barcode"} for node in nodes)
    assert all(node["materialSampleName"] for node in nodes)


async def test_the_named_operation_runs_with_its_own_variables_on_every_repeat(
        clean_db: Database, subgraphs: SubgraphServer) -> None:
    await seed_samples(clean_db, 5)
    for _ in range(3):
        for name, size in (("Two", 2), ("One", 4), ("Two", 2)):
            response = _post_named(subgraphs.url("collection"), TWO_OPERATIONS, name)
            page = response["data"]["materialSamples"]
            assert len(page["edges"]) == size, (name, response)
            assert ("totalCount" in page) == (name == "Two")


def _post_named(url: str, query: str, operation: str) -> dict:
    response = httpx.post(url, json={"query": query, "operationName": operation},
                          headers={"authorization": f"Bearer {ISSUER.token('test/admin')}"}, timeout=30)
    return response.json()


# A small schema with what the subgraphs may grow into: permission classes, extensions, abstract types.

class IsCurator(BasePermission):
    message = "Curators only."

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return info.context["curator"]


class Shout(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        return next_(source, info, **kwargs).upper()


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Specimen(Named):
    catalog: int
    secret: str = strawberry.field(permission_classes=[IsCurator], default="s3cret")

    @strawberry.field(extensions=[Shout()])
    def loud(self) -> str:
        return self.name

    @strawberry.field
    async def siblings(self) -> list[Specimen]:
        await asyncio.sleep(0)
        return [Specimen(name=f"{self.name}-{i}", catalog=self.catalog * 10 + i) for i in range(2)]

    @strawberry.field
    def broken(self) -> str:  # non-null: its error nulls the specimen
        if self.catalog % 2:
            raise ValueError(f"no {self.catalog}")
        return "fine"

    @strawberry.field
    def fragile(self) -> str | None:
        if self.catalog % 3 == 0:
            raise ValueError(f"fragile {self.catalog}")
        return "ok"


@strawberry.type
class Agent(Named):
    email: str | None = None


Thing = Annotated[Specimen | Agent, strawberry.union("Thing")]


@strawberry.type
class Query:
    @strawberry.field
    def specimens(self, first: int = 3) -> list[Specimen | None]:
        return [Specimen(name=f"S{i}", catalog=i) for i in range(first)]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Specimen(name="S7", catalog=7), Agent(name="Ada", email="ada@example.org")]

    @strawberry.field
    def things(self) -> list[Thing]:
        return [Agent(name="Bo"), Specimen(name="S4", catalog=4)]

    @strawberry.field(permission_classes=[IsCurator])
    def vault(self) -> list[Specimen] | None:
        return [Specimen(name="V", catalog=8)]


SMALL = strawberry.Schema(query=Query, execution_context_class=BatchedExecutionContext)

SMALL_DOCUMENTS = [
    "{ specimens { name secret loud } }",
    "{ specimens(first: 4) { catalog fragile siblings { name loud siblings { catalog fragile } } } }",
    "{ specimens { name broken } }",
    "{ vault { name } specimens(first: 1) { name } }",
    "{ named { __typename name ... on Specimen { catalog secret } ... on Agent { email } } }",
    "{ things { __typename ... on Named { name } ... on Specimen { catalog loud } ... on Agent { email } } }",
    """query($show: Boolean = true, $hide: Boolean = true) { a: specimens(first: 2) { ...F n: name @skip(if: $hide) }
       b: specimens { name @include(if: $show) siblings @include(if: $show) { ...F } } }
       fragment F on Specimen { catalog name siblings { name @skip(if: $hide) catalog } }""",
    "{ specimens { name } specimens { catalog siblings { name } } specimens { siblings { catalog } } }",
]


@pytest.mark.parametrize("curator", [False, True, False])
@pytest.mark.parametrize("document", SMALL_DOCUMENTS)
async def test_small_schema_matches_graphql_core(document: str, curator: bool) -> None:
    batched, plain = await both(SMALL, graphql.parse(document), {}, None, None, lambda: {"curator": curator})
    assert comparable(batched) == comparable(plain)
    through_strawberry = await SMALL.execute(document, context_value={"curator": curator})
    assert (through_strawberry.data, [e.message for e in through_strawberry.errors or ()]) == \
        (batched.data, [e.message for e in batched.errors or ()])


async def test_a_permission_class_guards_its_field_whoever_asked_before() -> None:
    """Run by a curator first, then by someone else: the second caller must not see the field."""
    document = "{ specimens(first: 2) { name secret } vault { name } }"
    curator = await SMALL.execute(document, context_value={"curator": True})
    visitor = await SMALL.execute(document, context_value={"curator": False})

    assert curator.errors is None and curator.data["specimens"][0]["secret"] == "s3cret"
    assert visitor.data == {"specimens": [None, None], "vault": None}
    assert {e.message for e in visitor.errors} == {"Curators only."}
    assert sorted(tuple(e.path) for e in visitor.errors) == [("specimens", 0, "secret"), ("specimens", 1, "secret"),
                                                             ("vault",)]


async def test_field_extensions_run() -> None:
    result = await SMALL.execute("{ specimens(first: 1) { loud siblings { loud } } }", context_value={"curator": False})
    assert result.data == {"specimens": [{"loud": "S0", "siblings": [{"loud": "S0-0"}, {"loud": "S0-1"}]}]}


# Documents generated from each subgraph's schema, reshaped, run both ways on seeded data.

def reshape(draw: st.DrawFn, document: graphql.DocumentNode) -> tuple[graphql.DocumentNode, str | None]:
    """The generated operation, with overlapping copies of fields, aliases, inline fragments and
    fragment spreads, `@skip`/`@include` on variables with defaults at any depth, and a second
    operation (the one chosen is drawn)."""
    operation = next(d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode))
    fragments: list[graphql.FragmentDefinitionNode] = []
    counter = iter(range(10_000))

    def directive(name: str, variable: str) -> graphql.DirectiveNode:
        return graphql.DirectiveNode(name=graphql.NameNode(value=name), arguments=(graphql.ArgumentNode(
            name=graphql.NameNode(value="if"), value=graphql.VariableNode(name=graphql.NameNode(value=variable))),))

    def selections(selection_set: graphql.SelectionSetNode | None, type_name: str) -> graphql.SelectionSetNode | None:
        if selection_set is None:
            return None
        out: list[Any] = []
        for selection in selection_set.selections:
            if isinstance(selection, graphql.FieldNode):
                inner_type = _field_type_name(schema_of[0], type_name, selection.name.value)
                selection = graphql.FieldNode(alias=selection.alias, name=selection.name, arguments=selection.arguments,
                                              directives=(), selection_set=selections(selection.selection_set, inner_type))
                if draw(st.booleans()) and selection.name.value != "__typename":  # an alias of its own
                    alias = graphql.FieldNode(alias=graphql.NameNode(value=f"a{next(counter)}"), name=selection.name,
                                              arguments=selection.arguments, directives=(),
                                              selection_set=selection.selection_set)
                    out.append(alias)
                choice = draw(st.sampled_from(["plain", "twice", "inline", "spread", "skip", "include"]))
                if choice == "twice":  # overlapping: the same field again, merged by the executor
                    out += [selection, selection]
                elif choice == "inline":
                    out.append(graphql.InlineFragmentNode(
                        type_condition=graphql.NamedTypeNode(name=graphql.NameNode(value=type_name)),
                        directives=(), selection_set=graphql.SelectionSetNode(selections=(selection,))))
                elif choice == "spread":
                    name = f"F{next(counter)}"
                    fragments.append(graphql.FragmentDefinitionNode(
                        name=graphql.NameNode(value=name),
                        type_condition=graphql.NamedTypeNode(name=graphql.NameNode(value=type_name)),
                        directives=(), selection_set=graphql.SelectionSetNode(selections=(selection,))))
                    out.append(graphql.FragmentSpreadNode(name=graphql.NameNode(value=name), directives=()))
                elif choice in ("skip", "include"):
                    variable = draw(st.sampled_from(["yes", "no"]))
                    out.append(graphql.FieldNode(alias=selection.alias, name=selection.name, arguments=selection.arguments,
                                                 directives=(directive(choice, variable),),
                                                 selection_set=selection.selection_set))
                else:
                    out.append(selection)
            elif isinstance(selection, graphql.InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else type_name
                out.append(graphql.InlineFragmentNode(type_condition=selection.type_condition, directives=(),
                                                      selection_set=selections(selection.selection_set, condition)))
            else:
                out.append(selection)
        return graphql.SelectionSetNode(selections=tuple(out))

    defaults = tuple(graphql.VariableDefinitionNode(
        variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
        type=graphql.NamedTypeNode(name=graphql.NameNode(value="Boolean")),
        default_value=graphql.BooleanValueNode(value=value), directives=()) for name, value in (("yes", True), ("no", False)))
    root = selections(operation.selection_set, "Query")
    uses = graphql.parse("{ y: __typename @include(if: $yes) n: __typename @include(if: $no) }").definitions[0]
    main = graphql.OperationDefinitionNode(
        operation=operation.operation, name=graphql.NameNode(value="Main"),
        variable_definitions=(*(operation.variable_definitions or ()), *defaults), directives=(),
        selection_set=graphql.SelectionSetNode(selections=(*root.selections, *uses.selection_set.selections)))
    other = graphql.parse("query Other($yes: Boolean = true) { __typename t: __typename @include(if: $yes) }").definitions[0]
    chosen = draw(st.sampled_from(["Main", "Other"])) if draw(st.booleans()) else None
    definitions = (main, other) if chosen else (main,)
    return graphql.DocumentNode(definitions=(*definitions, *fragments)), chosen


schema_of: list[graphql.GraphQLSchema] = [graphql.build_schema("type Query { a: Int }")]


def _field_type_name(schema: graphql.GraphQLSchema, type_name: str, field_name: str) -> str:
    type_ = schema.get_type(type_name)
    fields = getattr(type_, "fields", {})
    if field_name not in fields:
        return type_name
    return graphql.get_named_type(fields[field_name].type).name


def generated(subgraph: str, ids: list[str], count: int) -> list[tuple[graphql.DocumentNode, str | None]]:
    """``count`` reshaped documents generated from the subgraph's schema (the same ones every run)."""
    schema = SCHEMAS[subgraph]._schema  # noqa: SLF001
    schema_of[0] = schema
    representation = st.builds(lambda t, i: graphql.ObjectValueNode(fields=(
        graphql.ObjectFieldNode(name=graphql.NameNode(value="__typename"), value=graphql.StringValueNode(value=t)),
        graphql.ObjectFieldNode(name=graphql.NameNode(value="id"), value=graphql.StringValueNode(value=i)))),
        st.sampled_from(sorted(t for t in schema.type_map if t in {"MaterialSample", "Person", "Media", "Sequence",
                                                                   "CollectingEvent", "Organization"})),
        st.sampled_from(ids))
    scalars = {
        "_Any": representation,
        "ID": st.sampled_from(ids).map(lambda i: graphql.StringValueNode(value=i)),
        "UUID": st.sampled_from(ids).map(lambda i: graphql.StringValueNode(value=i)),
        "JSON": st.just(graphql.ObjectValueNode(fields=())),
        "Date": st.just(graphql.StringValueNode(value="2001-02-03")),
        "DateTime": st.just(graphql.StringValueNode(value="2001-02-03T04:05:06+00:00")),
        "Upload": st.just(graphql.NullValueNode()),
    }
    scalars = {name: value for name, value in scalars.items() if name in schema.type_map}
    found: list[tuple[graphql.DocumentNode, str | None]] = []

    @hypothesis.settings(max_examples=count, derandomize=True, database=None, deadline=None,
                         suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        document = data.draw(queries(schema, custom_scalars=scalars, print_ast=lambda node: node, allow_null=False))
        found.append(reshape(data.draw, document))

    collect()
    return found


EXAMPLES = 30


@pytest.mark.parametrize("subgraph", sorted(SCHEMAS))
async def test_generated_documents_match_graphql_core(clean_db: Database, subgraph: str) -> None:
    db = clean_db
    samples = await seed_samples(db, 3, group="test")
    # Ids of every entity type the representations name, so that _entities can find each kind.
    ids = [str(row["id"]) for table in (person, media, sequence) for row in await db.fetch(select(table.c.id).limit(3))]
    ids += [s.id for s in samples] + [str(uuid.uuid4()), "not-a-uuid"]
    schema, settings = SCHEMAS[subgraph], ISSUER.settings()
    principal = Principal(subject="t", name="t", roles={"test": Role.ADMIN})
    checked = with_objects = 0
    for document, operation in generated(subgraph, ids, EXAMPLES):
        errors = graphql.validate(schema._schema, document)  # noqa: SLF001
        assert not errors, (graphql.print_ast(document), errors)
        batched, plain = await both(schema, document, {}, operation, None,
                                    lambda: RequestContext(None, None, db, settings, principal))
        assert agree(batched, plain), (graphql.print_ast(document), comparable(batched), comparable(plain))
        checked += 1
        with_objects += '{"' in json.dumps(batched.data)[1:]  # an object below the root
    assert checked == EXAMPLES
    assert with_objects >= 1, "some generated documents should complete objects below the root"
