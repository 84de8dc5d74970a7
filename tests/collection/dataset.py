"""A small, realistic collection written through the GraphQL mutations of the real subgraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..conftest import SubgraphServer, mutate

GROUP = "herpetology"


@dataclass
class Dataset:
    people: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def create(subgraphs: SubgraphServer, entity: str, selection: str = "id", subgraph: str = "collection",
           **input: object) -> dict:
    query = f"mutation($input: Create{entity}Input!) {{ create{entity}(input: $input) {{ " \
            f"{entity[0].lower() + entity[1:]} {{ {selection} }} errors {{ code message field }} }} }}"
    return mutate(subgraphs.url(subgraph), query, group=GROUP, **input)


def build(subgraphs: SubgraphServer) -> Dataset:
    data = Dataset()
    for key, name in [("rafael", "Rafael Fonoll"), ("olga", "Olga Matantseva"), ("tony", "Tony Iwane")]:
        data.people[key] = create(subgraphs, "Person", subgraph="agents", displayName=name)["id"]
    ids = data.ids
    ids["nhmd"] = create(subgraphs, "Institution", name="Natural History Museum of Denmark", code="NHMD")["id"]
    ids["herp"] = create(subgraphs, "Collection", name="Herpetology", code="HERP", institutionId=ids["nhmd"])["id"]
    ids["ent"] = create(subgraphs, "Collection", name="Entomology", code="ENT", institutionId=ids["nhmd"])["id"]
    parent = None
    for key, name, unit_type in [("building", "Zoological Museum", "building"), ("room", "R101", "room"),
                                 ("cabinet", "C7", "cabinet"), ("drawer", "D3", "drawer")]:
        parent = ids[key] = create(subgraphs, "StorageUnit", name=name, unitType=unit_type, parentId=parent)["id"]
    ids["ethanol"] = create(subgraphs, "PreparationType", name="ethanol 70%")["id"]
    ids["extract"] = create(subgraphs, "PreparationType", name="DNA extract")["id"]
    create(subgraphs, "ManagedAttribute", key="preservation_state", name="Preservation state",
           valueType="PICKLIST", acceptedValues=["good", "damaged"])
    create(subgraphs, "ManagedAttribute", key="body_length_mm", name="Body length (mm)", valueType="DECIMAL")
    ids["e1"] = create(subgraphs, "CollectingEvent", startEventDate="2004-07-18", countryCode="es",
                       country="Spain", decimalLatitude=43.25, decimalLongitude=-4.08,
                       minimumElevationInMeters=100, maximumElevationInMeters=200,
                       collectorIds=[data.people["rafael"]])["id"]
    ids["e2"] = create(subgraphs, "CollectingEvent", startEventDate="2009-10", countryCode="DE",
                       decimalLatitude=55.03, decimalLongitude=8.45, habitat="Wadden Sea tidal flat",
                       minimumDepthInMeters=5, maximumDepthInMeters=10,
                       collectorIds=[data.people["olga"], data.people["rafael"]])["id"]
    ids["e3"] = create(subgraphs, "CollectingEvent", startEventDate="2020", countryCode="MY",
                       collectorIds=[data.people["tony"]])["id"]
    ids["s1"] = create(subgraphs, "MaterialSample", materialSampleName="NHMD-HERP-0001", collectionId=ids["herp"],
                       collectingEventId=ids["e1"], storageUnitId=ids["drawer"], barcode="BC-0001",
                       preparationTypeId=ids["ethanol"], otherCatalogNumbers=["RuHF-TBB-01-4"],
                       managedAttributes={"preservation_state": "good", "body_length_mm": "54.5"},
                       preparedByIds=[data.people["olga"]])["id"]
    ids["s1t"] = create(subgraphs, "MaterialSample", materialSampleName="NHMD-HERP-0001-T", collectionId=ids["herp"],
                        parentMaterialSampleId=ids["s1"], preparationTypeId=ids["extract"],
                        materialSampleType="MOLECULAR_SAMPLE")["id"]
    ids["s2"] = create(subgraphs, "MaterialSample", materialSampleName="NHMD-HERP-0002", collectionId=ids["herp"],
                       collectingEventId=ids["e2"])["id"]
    ids["s3"] = create(subgraphs, "MaterialSample", materialSampleName="NHMD-ENT-0001", collectionId=ids["ent"],
                       collectingEventId=ids["e3"])["id"]
    for sample, names in [("s1", ["Triturus boscai", "Lissotriton boscai"]), ("s2", ["Shewanella sp."]),
                          ("s3", ["Gekko smithii"])]:
        organism = ids[f"{sample}_organism"] = create(subgraphs, "Organism", materialSampleId=ids[sample])["id"]
        for year, name in enumerate(names, start=2005):
            ids[f"{sample}_{name}"] = create(
                subgraphs, "Determination", organismId=organism, scientificName=name, isPrimary=True,
                determinedOn=f"{year}-01-10", determinerIds=[data.people["rafael"]],
            )["id"]
    return data
