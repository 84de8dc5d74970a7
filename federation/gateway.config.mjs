// Hive Gateway configuration for DINA Graph (read by `hive-gateway` from this folder).
//
// Environment:
//   DINA_SUBGRAPH_URL_<NAME>  where a subgraph runs, overriding the URL composed into
//                             supergraph.graphql (e.g. DINA_SUBGRAPH_URL_AGENTS=http://agents:8000/agents/graphql)
//   DINA_GRAPHIQL=1           serve GraphiQL (off unless asked for)
//   DINA_INTROSPECTION=1      answer introspection queries (off unless asked for)
import { defineConfig } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

const PREFIX = 'DINA_SUBGRAPH_URL_';
const graphiql = process.env.DINA_GRAPHIQL === '1';
const introspection = process.env.DINA_INTROSPECTION === '1';

// One entry per overridden subgraph: its name in the supergraph is the lower-cased suffix.
const transportEntries = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key, value]) => key.startsWith(PREFIX) && value)
    .map(([key, location]) => [key.slice(PREFIX.length).toLowerCase(), { location }]),
);

const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'traceparent', 'tracestate'];

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  // The Rust query planner: measurably faster plans than the JavaScript one.
  unifiedGraphHandler,
  transportEntries,
  graphiql: graphiql ? { title: 'DINA Graph' } : false,
  landingPage: false,
  disableIntrospection: introspection ? undefined : { disableIf: () => true },
  // Limits at the edge (the subgraphs enforce theirs too); field suggestions leak the schema.
  maxDepth: Number(process.env.DINA_MAX_DEPTH ?? 12),
  maxTokens: Number(process.env.DINA_MAX_TOKENS ?? 5000),
  blockFieldSuggestions: process.env.DINA_DEV !== '1',
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      return Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, request.headers.get(name)]));
    },
  },
});
