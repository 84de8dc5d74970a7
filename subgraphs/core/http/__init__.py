"""The HTTP edge: Strawberry's view speaking GraphQL-over-HTTP (`view`), the guard every GraphQL route
passes (body size, identity, request id: `guard`) and the ASGI assembly of one or several subgraphs (`app`)."""
