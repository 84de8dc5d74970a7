"""The rules of the taxonomy backbone: where a taxon may hang, who may be whose synonym, moves and synonymy.

A taxon's `path` is kept by these rules only (never sent by clients): on create from its parent's (or,
for a synonym, its accepted taxon's) path, and rewritten for a whole subtree in one statement when a
taxon moves or becomes a synonym.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import uuid7
from subgraphs.core.security.auth import Principal
from subgraphs.core.security.permissions import check_write
from subgraphs.core.writes.audit import write_audit
from subgraphs.core.writes.crud import EntityRules, Values
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant, get_for_update, save

from . import repository as repo
from .models import Classification, Taxon
from .ranks import HIGHER_RANKS, LEVEL, TaxonomicStatus, TaxonRank


class TaxonomyErrorCode(StrEnum):
    TAXON_CYCLE = "TAXON_CYCLE"
    SYNONYM_OF_SYNONYM = "SYNONYM_OF_SYNONYM"
    OTHER_CLASSIFICATION = "OTHER_CLASSIFICATION"
    INVALID_RANK = "INVALID_RANK"
    INVALID_STATUS = "INVALID_STATUS"


Code = TaxonomyErrorCode
HIGHER = frozenset(HIGHER_RANKS)
# Statuses that name the accepted taxon; ACCEPTED and DOUBTFUL taxa hang in the tree by their parent.
POINTS_AT_ACCEPTED = {TaxonomicStatus.SYNONYM, TaxonomicStatus.HETEROTYPIC_SYNONYM,
                      TaxonomicStatus.HOMOTYPIC_SYNONYM, TaxonomicStatus.MISAPPLIED}


_SYNONYMS = frozenset(s.value for s in POINTS_AT_ACCEPTED)


def is_synonym(status: str) -> bool:
    return status in _SYNONYMS


def rank_below(child: str, parent: str) -> bool:
    """Whether a ``child`` rank may hang under a ``parent`` rank (intermediate and unranked fit anywhere)."""
    low, high = LEVEL.get(TaxonRank(child)), LEVEL.get(TaxonRank(parent))
    return low is None or high is None or low > high


async def _taxon(session: AsyncSession, id: uuid.UUID, field: str) -> Taxon:
    found = await repo.lock_taxon(session, id)
    if found is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No Taxon with id {id}.", field)
    return found


def _same_classification(other: Taxon, classification_id: uuid.UUID, field: str) -> None:
    if other.classification_id != classification_id:
        raise ClientError(Code.OTHER_CLASSIFICATION, f"{other.scientific_name} is in another classification.", field)


async def check_rank(session: AsyncSession, values: Values, current: Taxon | None) -> None:
    """INTERMEDIATE needs one of the classification's own rank names; other ranks take none."""
    rank = values.get("rank", current and current.rank)
    named = values.get("intermediate_rank", current and current.intermediate_rank)
    classification_id = values.get("classification_id") or current.classification_id  # type: ignore[union-attr]
    configured = await repo.intermediate_ranks(session, classification_id)
    if configured is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No Classification with id {classification_id}.", "classificationId")
    if rank == TaxonRank.INTERMEDIATE and named not in configured:
        raise ClientError(Code.INVALID_RANK, f"{named!r} is not one of this classification's intermediate ranks "
                          f"({', '.join(configured) or 'none configured'}).", "intermediateRank")
    if rank != TaxonRank.INTERMEDIATE and named is not None:
        raise ClientError(Code.INVALID_RANK, "Only rank INTERMEDIATE takes an intermediate rank name.", "intermediateRank")


async def placement(session: AsyncSession, taxon_id: uuid.UUID, classification_id: uuid.UUID, rank: str,
                    status: str, parent_id: uuid.UUID | None, accepted_id: uuid.UUID | None) -> list[uuid.UUID]:
    """The path of a taxon hung under ``parent_id`` or, for a synonym, under ``accepted_id``; refused with a
    typed error when that would make a cycle, a synonym of a synonym, or cross classifications."""
    if is_synonym(status):
        if accepted_id is None:
            raise ClientError(Code.INVALID_STATUS, f"A {status} names its accepted taxon.", "acceptedTaxonId")
        if parent_id is not None:
            raise ClientError(Code.INVALID_STATUS, "A synonym hangs under its accepted taxon, not a parent.", "parentId")
        accepted = await _taxon(session, accepted_id, "acceptedTaxonId")
        _same_classification(accepted, classification_id, "acceptedTaxonId")
        if taxon_id in accepted.path:
            raise ClientError(Code.TAXON_CYCLE, f"{accepted.scientific_name} is this taxon or below it.", "acceptedTaxonId")
        if accepted.accepted_taxon_id is not None:
            raise ClientError(Code.SYNONYM_OF_SYNONYM, f"{accepted.scientific_name} is itself a synonym: name its "
                              "accepted taxon instead.", "acceptedTaxonId")
        return [*accepted.path, taxon_id]
    if accepted_id is not None:
        raise ClientError(Code.INVALID_STATUS, f"An {status} taxon has no accepted taxon other than itself.",
                          "acceptedTaxonId")
    if parent_id is None:
        return [taxon_id]
    parent = await _taxon(session, parent_id, "parentId")
    _same_classification(parent, classification_id, "parentId")
    if taxon_id in parent.path:
        raise ClientError(Code.TAXON_CYCLE, f"{parent.scientific_name} is this taxon or below it: a taxon cannot "
                          "hang under itself.", "parentId")
    if parent.accepted_taxon_id is not None:
        raise ClientError(Code.SYNONYM_OF_SYNONYM, f"{parent.scientific_name} is a synonym: hang this taxon under "
                          "its accepted taxon.", "parentId")
    if not rank_below(rank, parent.rank):
        raise ClientError(Code.INVALID_RANK, f"A {rank} cannot hang under the {parent.rank} {parent.scientific_name}.",
                          "rank")
    return [*parent.path, taxon_id]


async def prepare_taxon(session: AsyncSession, values: Values, current: Any) -> Values:
    await check_rank(session, values, current)
    if current is None:
        values["id"] = values.get("id") or uuid7()
        values.setdefault("taxonomic_status", TaxonomicStatus.ACCEPTED.value)
        values["path"] = await placement(session, values["id"], values["classification_id"], values["rank"],
                                         values["taxonomic_status"], values.get("parent_id"),
                                         values.get("accepted_taxon_id"))
    elif "rank" in values and current.parent_id is not None:
        parent = await _taxon(session, current.parent_id, "rank")
        if not rank_below(values["rank"], parent.rank):
            raise ClientError(Code.INVALID_RANK, f"A {values['rank']} cannot hang under the {parent.rank} "
                              f"{parent.scientific_name}.", "rank")
    if "vernacular_names" in values:
        given = [v if isinstance(v, dict) else vars(v) for v in values["vernacular_names"] or []]
        values["vernacular_names"] = [{"name": v["name"], "language": v.get("language")} for v in given]
    return values


async def move_taxon(session: AsyncSession, id: uuid.UUID, version: int, parent_id: uuid.UUID | None, actor: str,
                     principal: Principal | None = None) -> Taxon:
    """Hang an accepted taxon (and everything below it) under ``parent_id``, or make it a root (None)."""
    moved = await get_for_update(session, Taxon, id, version)
    check_write(principal, moved.group, {})
    if moved.accepted_taxon_id is not None:
        raise ClientError(Code.INVALID_STATUS, "A synonym moves with its accepted taxon; move that one.", "id")
    path = await placement(session, id, moved.classification_id, moved.rank, moved.taxonomic_status, parent_id, None)
    await repo.rehang_subtree(session, id, path)
    return await _saved(session, moved, actor, parent_id=parent_id, path=path)


async def synonymize_taxon(session: AsyncSession, id: uuid.UUID, version: int, accepted_id: uuid.UUID, status: str,
                           actor: str, principal: Principal | None = None) -> Taxon:
    """Make a taxon a synonym of ``accepted_id``: its children move under the accepted taxon, and its own
    synonyms become the accepted taxon's (never a synonym of a synonym). Its determinations stay linked
    to it and now resolve to the accepted name."""
    synonym = await get_for_update(session, Taxon, id, version)
    check_write(principal, synonym.group, {})
    if not is_synonym(status):
        raise ClientError(Code.INVALID_STATUS, f"{status} is not a synonym status.", "taxonomicStatus")
    path = await placement(session, id, synonym.classification_id, synonym.rank, status, None, accepted_id)
    await repo.adopt_children(session, id, accepted_id)
    await repo.rehang_subtree(session, id, path[:-1])
    return await _saved(session, synonym, actor, parent_id=None, accepted_taxon_id=accepted_id,
                        taxonomic_status=status, path=path)


async def _saved(session: AsyncSession, record: Taxon, actor: str, **changes: Any) -> Taxon:
    for key, value in changes.items():
        setattr(record, key, value)
    record.version += 1
    await save(session, record)
    await write_audit(session, record, "update", actor)
    return record


def _dependants(id: uuid.UUID) -> list[Dependant]:
    return [Dependant(label, query) for label, query in repo.dependants(id)]


async def prepare_classification(_: AsyncSession, values: Values, __: Any) -> Values:
    if any(not name.strip() or name.upper() in TaxonRank.__members__ for name in values.get("intermediate_ranks") or []):
        raise InvalidInput([ClientError(Code.INVALID_RANK, "An intermediate rank needs a name of its own (not blank, "
                                        "not a Darwin Core rank).", "intermediateRanks")])
    return values


CLASSIFICATION = EntityRules(Classification, prepare=prepare_classification, dependants=lambda id: [
    Dependant("taxa", repo.taxa_of(id))])
TAXON = EntityRules(Taxon, prepare=prepare_taxon, dependants=_dependants)


class TaxonMatcher:
    """Links determinations of an import to a chosen classification's taxa: the exact name with its
    authorship first, then the name alone when exactly one taxon bears it; otherwise says why not."""

    def __init__(self, session: AsyncSession, classification_id: uuid.UUID) -> None:
        self.session, self.classification_id = session, classification_id
        self.found: dict[tuple[str, str | None], tuple[uuid.UUID | None, str | None]] = {}

    async def match(self, name: str, authorship: str | None) -> tuple[uuid.UUID | None, str | None]:
        """(taxon id, None), or (None, why there is none)."""
        key = (name, authorship)
        if key not in self.found:
            self.found[key] = await self._match(name, authorship)
        return self.found[key]

    async def _match(self, name: str, authorship: str | None) -> tuple[uuid.UUID | None, str | None]:
        words = name.split()
        prefixes = [" ".join(words[:n]) for n in range(1, len(words) + 1)]
        rows = (await self.session.execute(repo.taxa_by_names(self.classification_id, prefixes))).all()
        full = [r for r in rows if (r.scientific_name == name and authorship and r.authorship == authorship)
                or (r.authorship and name == f"{r.scientific_name} {r.authorship}")]
        if len(full) == 1:
            return full[0].id, None
        bare = name[:-len(authorship) - 1] if authorship and name.endswith(" " + authorship) else name
        named = [r for r in rows if r.scientific_name == bare]
        if len(named) == 1:
            return named[0].id, None
        if named or full:
            return None, f"{len(named) or len(full)} taxa of the classification are named {name!r}: left unlinked"
        return None, f"no taxon of the classification is named {name!r}: left unlinked"


def _name(row: Any) -> str:
    return f"{row['scientific_name']} {row['authorship']}" if row["authorship"] else row["scientific_name"]


def _taxon_id(row: Any) -> str:
    return row["source_id"] or f"urn:uuid:{row['id']}"


async def darwin_core_terms(session: AsyncSession, taxon_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
    """Each taxon's Darwin Core terms (local names: taxonID, taxonRank, family, acceptedNameUsage, …) from
    its classification path, all taxa in one statement: what an export writes for a linked determination."""
    paths: dict[uuid.UUID, list[Any]] = {}
    for row in (await session.execute(repo.export_rows(taxon_ids))).mappings():
        paths.setdefault(row["start_id"], []).append(row)
    terms = {}
    for taxon_id, path in paths.items():
        linked = path[-1]
        accepted = path[-2] if linked["accepted_taxon_id"] is not None and len(path) > 1 else linked
        found = {rank.value: row["scientific_name"] for row in path[:-1] if (rank := TaxonRank(row["rank"])) in HIGHER}
        found |= {"taxonID": _taxon_id(linked), "taxonRank": linked["rank"], "taxonomicStatus": linked["taxonomic_status"],
                  "acceptedNameUsage": _name(accepted), "acceptedNameUsageID": _taxon_id(accepted)}
        if linked["authorship"]:
            found["scientificNameAuthorship"] = linked["authorship"]
        if linked["rank"] in HIGHER:
            found[linked["rank"]] = linked["scientific_name"]
        terms[taxon_id] = found
    return terms
