"""The API guidelines (docs/guidelines.md) as a check any module can run: `dina-graph check URL`.

A module — one of this project's subgraphs, a partner's, or a wrapper around another collections
system — is judged by its SDL (``_service { sdl }``), by probes over HTTP, by graphql-http's
GraphQL-over-HTTP audit and by composing it with the current supergraph."""
