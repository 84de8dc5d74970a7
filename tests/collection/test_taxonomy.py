"""The taxonomy backbone through the real collection subgraph: tree writes refused or applied whole,
tree reads in one statement each, and determinations filtered by subtree."""

from __future__ import annotations

import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql, table_counts
from .dataset import GROUP, create

TAXON = "id scientificName rank taxonomicStatus version"


def taxon(subgraphs: SubgraphServer, classification: str, name: str, rank: str, **input: object) -> dict:
    return create(subgraphs, "Taxon", TAXON, classificationId=classification, scientificName=name, rank=rank, **input)


def write(subgraphs: SubgraphServer, mutation: str, **input: object) -> dict:
    body = graphql(subgraphs.url("collection"), f"mutation($input: {mutation[0].upper() + mutation[1:]}Input!) "
                   f"{{ {mutation}(input: $input) {{ taxon {{ {TAXON} }} errors {{ code field message }} }} }}",
                   {"input": input})
    assert "errors" not in body, body
    return body["data"][mutation]


def path_of(subgraphs: SubgraphServer, id: str) -> list[str]:
    body = graphql(subgraphs.url("collection"), "query($id: ID!) { taxon(id: $id) { classificationPath "
                   "{ scientificName } } }", {"id": id})
    return [t["scientificName"] for t in body["data"]["taxon"]["classificationPath"]]


@pytest.fixture
def tree(clean_db: Database, subgraphs: SubgraphServer) -> dict[str, dict]:
    """Amphibia > Caudata > Salamandridae > Lissotriton > L. boscai, L. helveticus; Triturus > T. marmoratus;
    Plethodontidae; in one classification."""
    classification = create(subgraphs, "Classification", name="Herpetology backbone", source="custom",
                            intermediateRanks=["cohort"])["id"]
    ids: dict[str, dict] = {"classification": {"id": classification}}
    for key, name, rank, parent in [
        ("amphibia", "Amphibia", "CLASS", None), ("caudata", "Caudata", "ORDER", "amphibia"),
        ("salamandridae", "Salamandridae", "FAMILY", "caudata"), ("plethodontidae", "Plethodontidae", "FAMILY", "caudata"),
        ("lissotriton", "Lissotriton", "GENUS", "salamandridae"), ("triturus", "Triturus", "GENUS", "salamandridae"),
        ("boscai", "Lissotriton boscai", "SPECIES", "lissotriton"),
        ("helveticus", "Lissotriton helveticus", "SPECIES", "lissotriton"),
        ("marmoratus", "Triturus marmoratus", "SPECIES", "triturus"),
    ]:
        ids[key] = taxon(subgraphs, classification, name, rank, parentId=parent and ids[parent]["id"])
    return ids


def test_classification_path_children_and_synonyms(tree: dict, subgraphs: SubgraphServer) -> None:
    synonym = taxon(subgraphs, tree["classification"]["id"], "Triturus boscai", "SPECIES", authorship="(Lataste, 1879)",
                    acceptedTaxonId=tree["boscai"]["id"], taxonomicStatus="HOMOTYPIC_SYNONYM",
                    vernacularNames=[{"name": "Bosca's newt", "language": "en"}])
    body = graphql(subgraphs.url("collection"), """query($id: ID!) { taxon(id: $id) {
        scientificName authorship taxonomicStatus vernacularNames { name language }
        acceptedTaxon { scientificName synonyms { scientificName } }
        classificationPath { scientificName rank } classification { name intermediateRanks } } }""",
                   {"id": synonym["id"]})
    assert body["data"]["taxon"] == {
        "scientificName": "Triturus boscai", "authorship": "(Lataste, 1879)", "taxonomicStatus": "HOMOTYPIC_SYNONYM",
        "vernacularNames": [{"name": "Bosca's newt", "language": "en"}],
        "acceptedTaxon": {"scientificName": "Lissotriton boscai", "synonyms": [{"scientificName": "Triturus boscai"}]},
        "classificationPath": [{"scientificName": n, "rank": r} for n, r in [
            ("Amphibia", "CLASS"), ("Caudata", "ORDER"), ("Salamandridae", "FAMILY"), ("Lissotriton", "GENUS"),
            ("Lissotriton boscai", "SPECIES"), ("Triturus boscai", "SPECIES")]],
        "classification": {"name": "Herpetology backbone", "intermediateRanks": ["cohort"]},
    }


def test_tree_reads_cost_one_statement_per_level_whatever_the_page(tree: dict, subgraphs: SubgraphServer) -> None:
    query = """query($first: Int) { taxa(first: $first, filter: {rank: {eq: "species"}}) { edges { node {
        scientificName parent { scientificName } children { scientificName } classificationPath { scientificName } } } } }"""

    def statements(first: int) -> tuple[int, int]:
        before = subgraphs.statements
        body = graphql(subgraphs.url("collection"), query, {"first": first})
        assert "errors" not in body, body
        return len(body["data"]["taxa"]["edges"]), subgraphs.statements - before

    assert statements(1) == (1, 4)
    assert statements(3) == (3, 4)  # the page, parents, children, paths: no N+1


def test_move_subtree_rewrites_every_path_below(tree: dict, subgraphs: SubgraphServer) -> None:
    moved = write(subgraphs, "moveTaxon", id=tree["lissotriton"]["id"], version=1, parentId=tree["plethodontidae"]["id"])
    assert moved["errors"] == [] and moved["taxon"]["version"] == 2
    assert path_of(subgraphs, tree["boscai"]["id"]) == [
        "Amphibia", "Caudata", "Plethodontidae", "Lissotriton", "Lissotriton boscai"]
    body = graphql(subgraphs.url("collection"), "query($id: ID!) { taxa(filter: {descendantOf: $id}, "
                   "orderBy: [{field: SCIENTIFIC_NAME}]) { totalCount edges { node { scientificName } } } }",
                   {"id": tree["salamandridae"]["id"]})
    assert [e["node"]["scientificName"] for e in body["data"]["taxa"]["edges"]] == [
        "Salamandridae", "Triturus", "Triturus marmoratus"]


@pytest.mark.parametrize(("mutation", "input", "code", "field"), [
    ("moveTaxon", {"id": "salamandridae", "parentId": "lissotriton"}, "TAXON_CYCLE", "parentId"),
    ("moveTaxon", {"id": "salamandridae", "parentId": "salamandridae"}, "TAXON_CYCLE", "parentId"),
    ("moveTaxon", {"id": "lissotriton", "parentId": "boscai"}, "TAXON_CYCLE", "parentId"),
    ("moveTaxon", {"id": "salamandridae", "parentId": "triturus"}, "TAXON_CYCLE", "parentId"),
    ("moveTaxon", {"id": "caudata", "parentId": "lissotriton"}, "TAXON_CYCLE", "parentId"),
    ("moveTaxon", {"id": "triturus", "parentId": "boscai"}, "INVALID_RANK", "rank"),
    ("synonymizeTaxon", {"id": "lissotriton", "acceptedTaxonId": "boscai"}, "TAXON_CYCLE", "acceptedTaxonId"),
])
async def test_tree_changes_that_would_break_the_tree_are_refused_whole(
        tree: dict, subgraphs: SubgraphServer, db: Database, mutation: str, input: dict, code: str, field: str) -> None:
    before = await table_counts(db)
    paths = {key: path_of(subgraphs, value["id"]) for key, value in tree.items() if key != "classification"}
    result = write(subgraphs, mutation, **{k: tree[v]["id"] for k, v in input.items()}, version=1)
    assert result["taxon"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, field)]
    assert await table_counts(db) == before
    assert {key: path_of(subgraphs, value["id"]) for key, value in tree.items() if key != "classification"} == paths


def test_a_synonym_of_a_synonym_is_refused(tree: dict, subgraphs: SubgraphServer) -> None:
    classification = tree["classification"]["id"]
    synonym = taxon(subgraphs, classification, "Triturus boscai", "SPECIES", acceptedTaxonId=tree["boscai"]["id"],
                    taxonomicStatus="SYNONYM")
    body = graphql(subgraphs.url("collection"), "mutation($input: CreateTaxonInput!) { createTaxon(input: $input) "
                   "{ taxon { id } errors { code field } } }", {"input": {
                       "classificationId": classification, "scientificName": "Molge boscai", "rank": "SPECIES",
                       "acceptedTaxonId": synonym["id"], "taxonomicStatus": "SYNONYM", "group": GROUP}})
    assert body["data"]["createTaxon"] == {"taxon": None, "errors": [
        {"code": "SYNONYM_OF_SYNONYM", "field": "acceptedTaxonId"}]}
    refused = write(subgraphs, "synonymizeTaxon", id=tree["helveticus"]["id"], version=1, acceptedTaxonId=synonym["id"])
    assert [e["code"] for e in refused["errors"]] == ["SYNONYM_OF_SYNONYM"]


def test_synonymize_moves_children_and_synonyms_to_the_accepted_taxon(tree: dict, subgraphs: SubgraphServer) -> None:
    classification = tree["classification"]["id"]
    old = taxon(subgraphs, classification, "Triturus marmoratus pygmaeus", "SUBSPECIES",
                parentId=tree["marmoratus"]["id"])
    junior = taxon(subgraphs, classification, "Molge marmorata", "SPECIES", acceptedTaxonId=tree["marmoratus"]["id"],
                   taxonomicStatus="SYNONYM")
    result = write(subgraphs, "synonymizeTaxon", id=tree["marmoratus"]["id"], version=1,
                   acceptedTaxonId=tree["helveticus"]["id"], taxonomicStatus="HETEROTYPIC_SYNONYM")
    assert result["errors"] == [] and result["taxon"]["taxonomicStatus"] == "HETEROTYPIC_SYNONYM"
    body = graphql(subgraphs.url("collection"), """query($id: ID!) { taxon(id: $id) {
        children { scientificName } synonyms { scientificName } } }""", {"id": tree["helveticus"]["id"]})
    assert body["data"]["taxon"] == {"children": [{"scientificName": "Triturus marmoratus pygmaeus"}], "synonyms": [
        {"scientificName": "Molge marmorata"}, {"scientificName": "Triturus marmoratus"}]}
    assert path_of(subgraphs, old["id"])[-2:] == ["Lissotriton helveticus", "Triturus marmoratus pygmaeus"]
    assert path_of(subgraphs, junior["id"])[-2:] == ["Lissotriton helveticus", "Molge marmorata"]


def test_intermediate_ranks_are_the_classifications_own(tree: dict, subgraphs: SubgraphServer) -> None:
    cohort = taxon(subgraphs, tree["classification"]["id"], "Urodela", "INTERMEDIATE", intermediateRank="cohort",
                   parentId=tree["amphibia"]["id"])
    assert cohort["rank"] == "INTERMEDIATE"
    body = graphql(subgraphs.url("collection"), "mutation($input: CreateTaxonInput!) { createTaxon(input: $input) "
                   "{ taxon { id } errors { code field } } }", {"input": {
                       "classificationId": tree["classification"]["id"], "scientificName": "X", "rank": "INTERMEDIATE",
                       "intermediateRank": "clade", "group": GROUP}})
    assert body["data"]["createTaxon"]["errors"] == [{"code": "INVALID_RANK", "field": "intermediateRank"}]


def test_taxa_of_another_classification_cannot_be_linked(tree: dict, subgraphs: SubgraphServer) -> None:
    other = create(subgraphs, "Classification", name="Another")["id"]
    body = graphql(subgraphs.url("collection"), "mutation($input: CreateTaxonInput!) { createTaxon(input: $input) "
                   "{ taxon { id } errors { code field } } }", {"input": {
                       "classificationId": other, "scientificName": "Lissotriton", "rank": "GENUS",
                       "parentId": tree["salamandridae"]["id"], "group": GROUP}})
    assert body["data"]["createTaxon"]["errors"] == [{"code": "OTHER_CLASSIFICATION", "field": "parentId"}]


def sample(subgraphs: SubgraphServer, name: str, *determinations: dict) -> str:
    sample_id = create(subgraphs, "MaterialSample", materialSampleName=name)["id"]
    organism = create(subgraphs, "Organism", materialSampleId=sample_id)["id"]
    for determination in determinations:
        create(subgraphs, "Determination", organismId=organism, **determination)
    return sample_id


def test_samples_below_a_taxon_in_one_statement_with_their_effective_names(
        tree: dict, subgraphs: SubgraphServer) -> None:
    synonym = taxon(subgraphs, tree["classification"]["id"], "Triturus boscai", "SPECIES",
                    acceptedTaxonId=tree["boscai"]["id"], taxonomicStatus="SYNONYM")
    sample(subgraphs, "S-1", {"scientificName": "Triturus boscai", "taxonId": synonym["id"], "isPrimary": True})
    sample(subgraphs, "S-2", {"scientificName": "Lissotriton helveticus", "taxonId": tree["helveticus"]["id"],
                              "isPrimary": True, "qualifier": "cf."},
           {"scientificName": "Triturus marmoratus", "taxonId": tree["marmoratus"]["id"], "isFiledAs": True,
            "typeStatus": "paratype", "typeStatusEvidence": "Original label, 1879"})
    sample(subgraphs, "S-3", {"scientificName": "Desmognathus fuscus", "taxonId": None, "isPrimary": True})
    sample(subgraphs, "S-4", {"scientificName": "Plethodon cinereus", "isPrimary": True})
    query = """query($taxon: ID!, $first: Int) {
      materialSamples(first: $first, filter: {taxon: {descendantOf: $taxon}}, orderBy: [{field: MATERIAL_SAMPLE_NAME}]) {
        edges { node { materialSampleName effectiveScientificName } } } }"""

    def page(taxon_key: str, first: int = 10) -> tuple[list[tuple[str, str]], int]:
        before = subgraphs.statements
        body = graphql(subgraphs.url("collection"), query, {"taxon": tree[taxon_key]["id"], "first": first})
        assert "errors" not in body, body
        return ([(e["node"]["materialSampleName"], e["node"]["effectiveScientificName"])
                 for e in body["data"]["materialSamples"]["edges"]], subgraphs.statements - before)

    # S-1 is determined as a synonym of L. boscai: it is in Lissotriton, under its accepted name.
    assert page("salamandridae") == ([("S-1", "Lissotriton boscai"), ("S-2", "Triturus marmoratus")], 2)
    assert page("salamandridae", first=1) == ([("S-1", "Lissotriton boscai")], 2)  # the page, then the names
    assert page("lissotriton") == ([("S-1", "Lissotriton boscai"), ("S-2", "Triturus marmoratus")], 2)
    assert page("triturus") == ([("S-2", "Triturus marmoratus")], 2)
    assert page("plethodontidae") == ([], 1)
    body = graphql(subgraphs.url("collection"), """{ materialSamples(filter: {materialSampleName: {in: ["S-2", "S-4"]}},
        orderBy: [{field: MATERIAL_SAMPLE_NAME}]) { edges { node { effectiveScientificName determinations {
          scientificName qualifier isFiledAs typeStatusEvidence taxon { scientificName acceptedTaxon { scientificName } }
        } } } } }""")
    assert [e["node"] for e in body["data"]["materialSamples"]["edges"]] == [
        {"effectiveScientificName": "Triturus marmoratus", "determinations": [
            {"scientificName": "Lissotriton helveticus", "qualifier": "cf.", "isFiledAs": False,
             "typeStatusEvidence": None, "taxon": {"scientificName": "Lissotriton helveticus",
                                                   "acceptedTaxon": {"scientificName": "Lissotriton helveticus"}}},
            {"scientificName": "Triturus marmoratus", "qualifier": None, "isFiledAs": True,
             "typeStatusEvidence": "Original label, 1879", "taxon": {
                 "scientificName": "Triturus marmoratus", "acceptedTaxon": {"scientificName": "Triturus marmoratus"}}},
        ]},
        # A string-only determination keeps working: its own name is the effective one until it is linked.
        {"effectiveScientificName": "Plethodon cinereus", "determinations": [
            {"scientificName": "Plethodon cinereus", "qualifier": None, "isFiledAs": False, "typeStatusEvidence": None,
             "taxon": None}]},
    ]


def test_a_taxon_determinations_point_at_is_not_deleted(tree: dict, subgraphs: SubgraphServer) -> None:
    sample(subgraphs, "S-9", {"scientificName": "Lissotriton boscai", "taxonId": tree["boscai"]["id"]})
    body = graphql(subgraphs.url("collection"), "mutation($input: DeleteInput!) { deleteTaxon(input: $input) "
                   "{ errors { code message } } }", {"input": {"id": tree["boscai"]["id"], "version": 1}})
    assert [e["code"] for e in body["data"]["deleteTaxon"]["errors"]] == ["HAS_DEPENDANTS"]
    assert "determinations" in body["data"]["deleteTaxon"]["errors"][0]["message"]


FAMILY_QUESTION = """query($family: ID!) {
  materialSamples(filter: {taxon: {descendantOf: $family}}, orderBy: [{field: MATERIAL_SAMPLE_NAME}]) {
    totalCount
    edges { node {
      materialSampleName
      effectiveScientificName
      primaryDetermination { scientificName taxon { taxonomicStatus acceptedTaxon { scientificName authorship } } }
      sequences { accession length }
    } }
  }
}"""


def test_router_samples_of_a_family_with_accepted_names_and_sequences(
        tree: dict, subgraphs: SubgraphServer, router: str) -> None:
    synonym = taxon(subgraphs, tree["classification"]["id"], "Triturus boscai", "SPECIES",
                    acceptedTaxonId=tree["boscai"]["id"], taxonomicStatus="SYNONYM")
    graphql(subgraphs.url("collection"), "mutation($input: UpdateTaxonInput!) { updateTaxon(input: $input) "
            "{ errors { code } } }", {"input": {"id": tree["boscai"]["id"], "version": 1, "authorship": "(Lataste, 1879)"}})
    newt = sample(subgraphs, "RuHF-TBB-01-4", {"scientificName": "Triturus boscai", "taxonId": synonym["id"],
                                               "isPrimary": True})
    sample(subgraphs, "NHMD-HERP-0007", {"scientificName": "Triturus marmoratus", "taxonId": tree["marmoratus"]["id"],
                                         "isPrimary": True})
    sample(subgraphs, "NHMD-HERP-0008", {"scientificName": "Plethodon cinereus", "isPrimary": True})
    create(subgraphs, "Sequence", "id", subgraph="molecular", accession="EF525953", residues="ACGT" * 10,
           materialSampleId=newt)
    (family,) = graphql(router, '{ taxa(filter: {scientificName: {eq: "Salamandridae"}, rank: {eq: "family"}}) '
                        '{ edges { node { id } } } }')["data"]["taxa"]["edges"]

    body = graphql(router, FAMILY_QUESTION, {"family": family["node"]["id"]})

    assert "errors" not in body, body
    assert body["data"]["materialSamples"] == {"totalCount": 2, "edges": [
        {"node": {"materialSampleName": "NHMD-HERP-0007", "effectiveScientificName": "Triturus marmoratus",
                  "primaryDetermination": {"scientificName": "Triturus marmoratus", "taxon": {
                      "taxonomicStatus": "ACCEPTED",
                      "acceptedTaxon": {"scientificName": "Triturus marmoratus", "authorship": None}}},
                  "sequences": []}},
        {"node": {"materialSampleName": "RuHF-TBB-01-4", "effectiveScientificName": "Lissotriton boscai",
                  "primaryDetermination": {"scientificName": "Triturus boscai", "taxon": {
                      "taxonomicStatus": "SYNONYM",
                      "acceptedTaxon": {"scientificName": "Lissotriton boscai", "authorship": "(Lataste, 1879)"}}},
                  "sequences": [{"accession": "EF525953", "length": 40}]}},
    ]}
