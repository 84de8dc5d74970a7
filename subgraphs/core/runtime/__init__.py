"""The process around the subgraphs: settings from the environment, the embedded PostgreSQL, child
processes and their supervision, migrations, the router and composition (Node tools in
`federation/`), progress bars and garbage-collector tuning. Imports nothing else of core but `base`."""
