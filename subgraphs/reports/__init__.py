"""Reports subgraph: templates that turn graph data into printable label sheets and reports (PDF)."""
