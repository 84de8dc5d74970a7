"""Templates are data: listed, copied and edited through GraphQL, and refused on save when they could not render."""

from __future__ import annotations

from subgraphs.core.data.db import Database

from ..conftest import graphql, table_counts
from .conftest import decode_barcodes, download, page_texts, render_labels, seed_specimens

TEMPLATE_FIELDS = "id name kind group version query body stylesheet description layout { pageWidthMm pageHeightMm " \
    "labelWidthMm labelHeightMm columns rows marginTopMm marginLeftMm columnGapMm rowGapMm }"
CREATE = f"""mutation($input: CreateReportTemplateInput!) {{ createReportTemplate(input: $input) {{
  reportTemplate {{ {TEMPLATE_FIELDS} }} errors {{ code message field }} }} }}"""
UPDATE = f"""mutation($input: UpdateReportTemplateInput!) {{ updateReportTemplate(input: $input) {{
  reportTemplate {{ {TEMPLATE_FIELDS} history {{ version operation }} }} errors {{ code message field }} }} }}"""
BY_NAME = f"""query($name: String!) {{ reportTemplates(first: 5, filter: {{name: {{eq: $name}}}}) {{
  edges {{ node {{ {TEMPLATE_FIELDS} }} }} }} }}"""


def template(url: str, name: str) -> dict:
    (edge,) = graphql(url, BY_NAME, {"name": name})["data"]["reportTemplates"]["edges"]
    return edge["node"]


def payload_of(url: str, mutation: str, input: dict) -> dict:
    body = graphql(url, mutation, {"input": input})
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


def errors_of(url: str, mutation: str, input: dict) -> list[dict]:
    return payload_of(url, mutation, input)["errors"]


def written(url: str, mutation: str, input: dict) -> dict:
    """The template a create/update mutation wrote (a template's input has a `query` field: no **input)."""
    payload = payload_of(url, mutation, input)
    assert payload["errors"] == [], payload["errors"]
    return payload["reportTemplate"]


def copy_input(source: dict, **changes: object) -> dict:
    layout = dict(source["layout"])
    return {"name": source["name"], "kind": source["kind"], "query": source["query"], "body": source["body"],
            "stylesheet": source["stylesheet"], "layout": layout, "group": "herpetology"} | changes


async def test_the_built_in_templates_are_listed(graph: str, builtins: None) -> None:
    body = graphql(graph, "{ reportTemplates(first: 50, filter: {group: {eq: \"builtin\"}}) { totalCount "
                          "edges { node { name kind } } } }")
    kinds = {e["node"]["name"]: e["node"]["kind"] for e in body["data"]["reportTemplates"]["edges"]}
    assert kinds == {"specimen-qr": "MATERIAL_SAMPLE_LABEL", "storage-unit-label": "STORAGE_UNIT_LABEL",
                     "determination-slip": "DETERMINATION_SLIP", "collection-summary": "REPORT"}
    specimen = template(graph, "specimen-qr")
    assert (specimen["layout"]["columns"], specimen["layout"]["rows"]) == (3, 8)
    assert "qr(stable_id(item.id)" in specimen["body"]


async def test_a_copied_and_edited_template_prints_its_own_way(graph: str, db: Database, builtins: None) -> None:
    source = template(graph, "specimen-qr")
    copy = written(graph, CREATE, copy_input(source, name="herp-qr-big", body=source["body"].replace(
        '<div class="catalog">', '<div class="catalog">HERP ')))
    assert copy["version"] == 1 and copy["group"] == "herpetology"
    edited = written(graph, UPDATE, {"id": copy["id"], "version": 1, "layout": {
        "columns": 2, "rows": 4, "labelWidthMm": 100, "labelHeightMm": 70}})
    assert edited["version"] == 2 and [h["operation"] for h in edited["history"]] == ["create", "update"]
    assert (edited["layout"]["columns"], edited["layout"]["labelWidthMm"], edited["layout"]["pageWidthMm"]) == \
        (2, 100, 210)
    specimens = await seed_specimens(db, 9, "COPY")
    payload = render_labels(graph, template="herp-qr-big", ids=[s.id for s in specimens])
    assert payload["errors"] == [] and payload["pdf"]["pageCount"] == 2  # 8 per sheet now
    pdf = download(payload)
    assert "HERP COPY-0000" in page_texts(pdf)[0]
    codes = decode_barcodes(pdf)
    assert [sum(1 for c in codes if c.page == p) for p in (0, 1)] == [8, 1]
    assert template(graph, "specimen-qr")["version"] == source["version"]  # the built-in is untouched


async def test_a_template_with_a_syntax_error_is_refused_with_line_and_column(graph: str, db: Database,
                                                                              builtins: None) -> None:
    source = template(graph, "specimen-qr")
    before = await table_counts(db)
    (error,) = errors_of(graph, CREATE, copy_input(source, name="broken", body="<b>{{ item.id }}</b>\n"
                                                                                    "  <i>{% if item.x %}</i>"))
    assert error["code"] == "TEMPLATE_SYNTAX_ERROR" and error["field"] == "body"
    assert "line 2, column 6" in error["message"] and "endif" in error["message"]
    (error,) = errors_of(graph, CREATE, copy_input(source, name="unknown", body="{{ item.id }}\n\n"
                                                                                     "<p>{{ secrets.key }}</p>"))
    assert error["code"] == "TEMPLATE_UNKNOWN_VARIABLE"
    assert "`secrets`" in error["message"] and "line 3, column 7" in error["message"]
    assert await table_counts(db) == before


async def test_what_a_template_may_not_do_is_refused_on_save(graph: str, db: Database, builtins: None) -> None:
    source = template(graph, "specimen-qr")
    before = await table_counts(db)
    cases = {
        '{% include "/etc/passwd" %}': "TEMPLATE_FORBIDDEN",
        "{{ item.__class__.__mro__ }}": "TEMPLATE_FORBIDDEN",
        "{% extends 'base.html' %}": "TEMPLATE_FORBIDDEN",
    }
    for body, code in cases.items():
        (error,) = errors_of(graph, CREATE, copy_input(source, name="nope", body=body))
        assert (error["code"], error["field"]) == (code, "body"), body
    (error,) = errors_of(graph, CREATE, copy_input(source, name="nope", query="query { materialSamples(first: 1 "))
    assert error["code"] == "QUERY_SYNTAX_ERROR" and "line 1, column" in error["message"]
    (error,) = errors_of(graph, CREATE, copy_input(
        source, name="nope", query="query { materialSamples(first: 1) { edges { node { id } } } }"))
    assert error["code"] == "QUERY_SYNTAX_ERROR" and "$filter" in error["message"]
    (error,) = errors_of(graph, CREATE, copy_input(source, name="nope", layout={"columns": 4}))
    assert error["field"] == "layout.columns" and "wider than the 210" in error["message"]
    (error,) = errors_of(graph, CREATE, copy_input(source, name="mine", group="builtin"))
    assert error["code"] == "FORBIDDEN"  # nobody's token has a role in the built-ins' group
    assert await table_counts(db) == before
    written(graph, CREATE, copy_input(source, name="twice"))
    (error,) = errors_of(graph, CREATE, copy_input(source, name="twice"))
    assert (error["code"], error["field"]) == ("DUPLICATE_NAME", "name")


async def test_an_edit_that_breaks_a_template_is_refused_and_the_template_kept(graph: str, builtins: None) -> None:
    source = template(graph, "specimen-qr")
    copy = written(graph, CREATE, copy_input(source, name="keep-me"))
    (error,) = errors_of(graph, UPDATE, {"id": copy["id"], "version": 1, "body": "{{ item.id }}{% endfor %}"})
    assert error["code"] == "TEMPLATE_SYNTAX_ERROR"
    kept = template(graph, "keep-me")
    assert (kept["version"], kept["body"]) == (1, source["body"])
