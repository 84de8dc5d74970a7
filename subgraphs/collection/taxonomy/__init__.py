"""The taxonomy backbone of the collection subgraph: classifications, taxa, synonymy.

It lives in the collection schema, not a subgraph of its own, because "all samples in Salamandridae"
(`MaterialSampleFilter.taxon.descendantOf`) must be one SQL statement joining determinations to the
taxon tree, and no statement may join across subgraph schemas.
"""
