"""Cross-cutting pieces every subgraph shares; imports no domain."""
