"""GraphQL of the NGS workflow: types, inputs, root fields; the molecular schema mounts them."""

from .root import NgsQuery, ngs_mutations
from .types import NGS_TYPES

__all__ = ["NGS_TYPES", "NgsQuery", "ngs_mutations"]
