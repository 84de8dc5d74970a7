"""Building a subgraph's schema: the federated schema factory with its extensions (`factory`) and the
field factories every entity shares — `x(id:)`, Relay lists, history, batched fields (`fields`)."""
