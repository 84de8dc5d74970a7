"""A checklist (rows of name usages, e.g. a Darwin Core Archive's Taxon core) → one classification.

The tree is built in memory first, so every defect is found and reported with its row before anything
is written: a parentNameUsageID or acceptedNameUsageID naming no row, parents that form a cycle, a
synonym naming a synonym (linked to the end of the chain instead), a status or rank that cannot be read.
Rows without parentNameUsageID hang by their higher-rank columns (kingdom … subgenus): the lowest one
names the parent, an archive row of that rank and name when there is exactly one, else a taxon made
for it. Then all taxa go in with one COPY (audited as created), so a 100,000-name checklist takes seconds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.ids import uuid7
from subgraphs.core.writes.crud import create

from . import repository as repo
from .ranks import HIGHER_RANKS, LEVEL, TaxonomicStatus, TaxonRank, parse_rank, parse_status
from .service import CLASSIFICATION, is_synonym

NAME_LIMIT = 500


@dataclass
class NameUsage:
    """One row of a checklist, as given."""

    row: int
    source_id: str | None
    scientific_name: str | None
    authorship: str | None = None
    rank: str | None = None
    status: str | None = None
    parent_source_id: str | None = None
    accepted_source_id: str | None = None
    higher: dict[TaxonRank, str] = field(default_factory=dict)
    vernacular_names: list[dict[str, str | None]] = field(default_factory=list)
    remarks: str | None = None


def _accepted_id(usage: NameUsage) -> str | None:
    """acceptedNameUsageID unless it names the row itself (how some checklists mark an accepted name)."""
    return usage.accepted_source_id if usage.accepted_source_id != usage.source_id else None


@dataclass(eq=False)
class Node:
    id: uuid.UUID
    name: str
    rank: TaxonRank
    status: TaxonomicStatus
    usage: NameUsage | None  # None: made from higher-rank columns
    parent: Node | None = None
    accepted: Node | None = None
    path: list[uuid.UUID] | None = None


@dataclass
class ChecklistResult:
    classification_id: uuid.UUID
    taxa: int = 0
    synonyms: int = 0
    higher_taxa: int = 0  # made from higher-rank columns
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (row, reason)
    taxon_ids: dict[str, uuid.UUID] = field(default_factory=dict)  # by source id


class Tree:
    """The checklist's nodes, built and checked (``problems``) without touching the database."""

    def __init__(self, usages: list[NameUsage]) -> None:
        self.problems: list[tuple[int | None, str]] = []
        self.by_source: dict[str, Node] = {}
        self.nodes: list[Node] = []
        self.made: dict[tuple[TaxonRank, str], Node] = {}
        for usage in usages:
            self._add(usage)
        self.by_rank_name: dict[tuple[TaxonRank, str], list[Node]] = {}
        for node in self.nodes:
            if node.usage and not _accepted_id(node.usage) and not is_synonym(node.status):
                self.by_rank_name.setdefault((node.rank, node.name), []).append(node)
        for node in list(self.nodes):
            self._link(node)
        for node in list(self.nodes):
            self._resolve_synonym(node)
        self._parents_accepted()
        self._cut_cycles()
        for node in self.nodes:
            self._path(node)

    def _add(self, usage: NameUsage) -> None:
        name = (usage.scientific_name or "").strip()
        if not name:
            self.problems.append((usage.row, "has no dwc:scientificName: not imported"))
            return
        if len(name) > NAME_LIMIT or len(usage.authorship or "") > NAME_LIMIT:
            self.problems.append((usage.row, f"a name longer than {NAME_LIMIT} characters: not imported"))
            return
        if usage.source_id and usage.source_id in self.by_source:
            first = self.by_source[usage.source_id].usage
            self.problems.append((usage.row, f"duplicate taxonID {usage.source_id} (first at row {first.row}): "
                                  "not imported"))
            return
        rank = parse_rank(usage.rank)
        if rank is None:
            if usage.rank:
                self.problems.append((usage.row, f"taxonRank {usage.rank!r} is not a Darwin Core rank: imported "
                                      "as unranked"))
            rank = TaxonRank.UNRANKED
        status = parse_status(usage.status)
        if status is None:
            if usage.status:
                self.problems.append((usage.row, f"taxonomicStatus {usage.status!r} is not understood: read as "
                                      "accepted unless an accepted name is given"))
            status = TaxonomicStatus.ACCEPTED
        node = Node(uuid7(), name, rank, status, usage)
        self.nodes.append(node)
        if usage.source_id:
            self.by_source[usage.source_id] = node

    def _link(self, node: Node) -> None:
        usage = node.usage
        assert usage is not None
        accepted_id = _accepted_id(usage)
        if accepted_id:
            node.accepted = self.by_source.get(accepted_id)
            if node.accepted is not None:
                node.status = node.status if is_synonym(node.status) else TaxonomicStatus.SYNONYM
                return
            self.problems.append((usage.row, f"acceptedNameUsageID {accepted_id} names no taxon of the "
                                  "checklist: imported as doubtful"))
            node.status = TaxonomicStatus.DOUBTFUL
        elif is_synonym(node.status):
            self.problems.append((usage.row, f"is a {node.status.value} but names no accepted taxon "
                                  "(acceptedNameUsageID): imported as doubtful"))
            node.status = TaxonomicStatus.DOUBTFUL
        if usage.parent_source_id:
            node.parent = self.by_source.get(usage.parent_source_id)
            if node.parent is None:
                self.problems.append((usage.row, f"parentNameUsageID {usage.parent_source_id} names no taxon of "
                                      "the checklist: placed by its higher-rank columns"))
        if node.parent is None:
            node.parent = self._higher(node, usage)

    def _parents_accepted(self) -> None:
        """A parent that is a synonym: the taxon hangs under that synonym's accepted taxon."""
        for node in self.nodes:
            if node.accepted is None and node.parent is not None and node.parent.accepted is not None:
                self.problems.append((node.usage.row if node.usage else None, f"parentNameUsageID names the synonym "
                                      f"{node.parent.name}: hung under its accepted taxon {node.parent.accepted.name}"))
                node.parent = node.parent.accepted

    def _higher(self, node: Node, usage: NameUsage) -> Node | None:
        """The lowest higher-rank column above the node's own rank, as a node."""
        level = LEVEL.get(node.rank)
        chain = [(rank, name.strip()) for rank in HIGHER_RANKS if (name := usage.higher.get(rank))
                 and name.strip() and (level is None or LEVEL[rank] < level)]
        return self._chain_node(chain)

    def _chain_node(self, chain: list[tuple[TaxonRank, str]]) -> Node | None:
        if not chain:
            return None
        rank, name = chain[-1]
        rows = self.by_rank_name.get((rank, name), [])
        if len(rows) == 1:
            return rows[0]
        if (rank, name) not in self.made:
            made = self.made[(rank, name)] = Node(uuid7(), name, rank, TaxonomicStatus.ACCEPTED, None)
            self.nodes.append(made)
            made.parent = self._chain_node(chain[:-1])
        return self.made[(rank, name)]

    def _resolve_synonym(self, node: Node) -> None:
        """A synonym naming a synonym is linked to the accepted taxon at the end of the chain."""
        if node.accepted is None or node.accepted.accepted is None:
            return
        seen, target = {node.id}, node.accepted
        while target.accepted is not None and target.id not in seen:
            seen.add(target.id)
            target = target.accepted
        row = node.usage.row if node.usage else None
        if target.id in seen:
            self.problems.append((row, f"acceptedNameUsageID {node.accepted.usage.source_id} starts a chain of "
                                  "synonyms that loops: imported as doubtful"))
            node.accepted, node.status = None, TaxonomicStatus.DOUBTFUL
            return
        self.problems.append((row, f"acceptedNameUsageID {node.accepted.usage.source_id} is itself a synonym: "
                              f"linked to its accepted taxon {target.name}"))
        node.accepted = target

    def _cut_cycles(self) -> None:
        """Parents that lead back to the node: the first row of the loop becomes a root."""
        done: set[uuid.UUID] = set()
        for start in self.nodes:
            trail: list[Node] = []
            node: Node | None = start
            while node is not None and node.id not in done:
                if node in trail:
                    loop = trail[trail.index(node):]
                    first = min(loop, key=lambda n: n.usage.row if n.usage else 0)
                    rows = ", ".join(str(n.usage.row) for n in loop if n.usage)
                    self.problems.append((first.usage.row if first.usage else None, f"parentNameUsageID makes a "
                                          f"cycle (rows {rows}): imported as a root"))
                    first.parent = None
                    break
                trail.append(node)
                node = node.parent
            done.update(n.id for n in trail)

    def _path(self, node: Node) -> list[uuid.UUID]:
        if node.path is None:
            above = node.accepted or node.parent
            node.path = [*(self._path(above) if above is not None else []), node.id]
        return node.path


def taxon_rows(tree: Tree, classification_id: uuid.UUID, group: str, actor: str) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    return [{
        "id": node.id, "group": group, "created_by": actor, "created_on": now, "version": 1,
        "classification_id": classification_id, "scientific_name": node.name,
        "authorship": node.usage.authorship if node.usage else None, "rank": node.rank.value, "intermediate_rank": None,
        "parent_id": node.parent.id if node.parent and node.accepted is None else None,
        "accepted_taxon_id": node.accepted.id if node.accepted else None, "taxonomic_status": node.status.value,
        "vernacular_names": node.usage.vernacular_names if node.usage else [],
        "source_id": node.usage.source_id if node.usage else None,
        "remarks": (node.usage.remarks if node.usage else "made from the checklist's higher-rank columns"),
        "path": node.path,
    } for node in tree.nodes]


async def import_checklist(session: AsyncSession, usages: list[NameUsage], *, name: str, source: str | None,
                           group: str, actor: str) -> ChecklistResult:
    """A new classification of ``group`` holding the checklist's taxa; problems are reported, not raised."""
    classification = await create(session, CLASSIFICATION, {"name": name[:500], "source": source and source[:500],
                                                             "group": group}, actor)
    tree = Tree(usages)
    rows = taxon_rows(tree, classification.id, group, actor)
    # orjson writes UUIDs and timestamps as the audit log's other snapshots hold them (strings)
    audit = [{"record_type": "Taxon", "record_id": row["id"], "version": 1, "operation": "create", "actor": actor,
              "snapshot": orjson.dumps(row, default=str).decode()} for row in rows]
    for row in rows:
        row["vernacular_names"] = orjson.dumps(row["vernacular_names"]).decode()
    if rows:
        await repo.insert_taxa(session, rows, audit)
    return ChecklistResult(
        classification.id, taxa=len(rows), synonyms=sum(1 for n in tree.nodes if n.accepted is not None),
        higher_taxa=len(tree.made), problems=tree.problems,
        taxon_ids={n.usage.source_id: n.id for n in tree.nodes if n.usage and n.usage.source_id})
