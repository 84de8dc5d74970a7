"""Running a request: the context every resolver gets (`context`) and the one executor, graphql-core's
semantics run level by level for whole lists of objects (`executor`)."""
