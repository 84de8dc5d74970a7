// Hive Gateway configuration for DINA Graph.
//
// `hive-gateway supergraph` loads this file from its current working directory (or from
// `-c PATH` / CONFIG_PATH): run it from this folder. See README.md for the commands.
//
// Environment (read once, at start):
//   DINA_SUPERGRAPH              supergraph file (default: supergraph.graphql beside this file);
//                                a path given to `hive-gateway supergraph PATH` wins over both
//   DINA_ROUTER_HOST/PORT        where to listen (default 127.0.0.1:4000); the CLI's --host/--port
//                                and its generic HOST/PORT variables win over these
//   DINA_SUBGRAPH_URL_<NAME>     where subgraph <name> runs, instead of the URL composed into the
//                                supergraph (DINA_SUBGRAPH_URL_AGENTS=http://agents:8000/agents/graphql)
//   DINA_DEV=1                   development: turns the two below on unless they are set
//   DINA_GRAPHIQL=1|0            serve GraphiQL at /graphql to browsers (default: DINA_DEV)
//   DINA_INTROSPECTION=1|0       answer introspection queries (default: DINA_DEV)
//   DINA_MAX_DEPTH, DINA_MAX_ALIASES, DINA_MAX_COST, DINA_MAX_TOKENS, DINA_MAX_BODY_BYTES
//                                limits at the edge (12, 30, 200000, 5000, 1000000; 0: off), refused
//                                with extensions.code (edge.mjs); DINA_MAX_PAGE_SIZE and
//                                DINA_DEFAULT_PAGE_SIZE (1000, 50) are what the cost counts pages as
//   DINA_CORS_ORIGINS            "*" (any origin, never with credentials), a comma-separated list,
//                                or empty (no CORS headers; default); DINA_CORS_CREDENTIALS=1
//                                allows cookies and Authorization from the listed origins only
//   DINA_TRUSTED_DOCUMENTS       a JSON file {sha256: document}: only those operations run;
//                                unset: any document, and automatic persisted queries
//   DINA_BATCHING_LIMIT=N        accept batched requests (JSON arrays) of up to N operations
//                                (default 0: off)
//   DINA_ROUTER_LOG_LEVEL        trace | debug | info | warn | error; unset: Hive Gateway's own
//                                LOG_LEVEL, or debug with DEBUG=1, else info. NO_COLOR=1 drops the
//                                ANSI colours, LOG_JSON=1 logs JSON lines.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@graphql-hive/gateway';
import { explorerAssets, renderExplorer } from './explorer.mjs';
import { automaticPersistedQueries, bodyLimit, operationLimits, tokenRefusal, trustedDocuments } from './edge.mjs';

const env = process.env;
const flag = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(env[name].toLowerCase()));
const int = (name, fallback) => {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not "${env[name]}"`);
  return value;
};

const dev = flag('DINA_DEV', false);
const graphiql = flag('DINA_GRAPHIQL', dev);
const introspection = flag('DINA_INTROSPECTION', dev);
const batchingLimit = int('DINA_BATCHING_LIMIT', 0);
const corsOrigins = (env.DINA_CORS_ORIGINS || '').split(',').map((o) => o.trim()).filter(Boolean);
const corsCredentials = flag('DINA_CORS_CREDENTIALS', false);
if (corsCredentials && corsOrigins.includes('*')) throw new Error('DINA_CORS_CREDENTIALS needs a list of origins, not "*"');
const trusted = env.DINA_TRUSTED_DOCUMENTS ? trustedDocuments(env.DINA_TRUSTED_DOCUMENTS) : null;
const logLevel = env.DINA_ROUTER_LOG_LEVEL || undefined;
if (logLevel && !['trace', 'debug', 'info', 'warn', 'error'].includes(logLevel)) {
  throw new Error(`DINA_ROUTER_LOG_LEVEL must be trace, debug, info, warn or error, not "${logLevel}"`);
}

// Subgraph URL overrides: DINA_SUBGRAPH_URL_<NAME> applies to the subgraph composed as <name>
// (lower-cased; the name from the compose manifest, as in @join__graph(name: …)).
const URL_PREFIX = 'DINA_SUBGRAPH_URL_';
const transportEntries = Object.fromEntries(
  Object.entries(env)
    .filter(([key, value]) => key.startsWith(URL_PREFIX) && key.length > URL_PREFIX.length && value)
    .map(([key, location]) => [key.slice(URL_PREFIX.length).toLowerCase(), { location }]),
);

// Sent to every subgraph when the client sent them. x-request-id is also the gateway's own
// request id: it takes the client's or makes one, passes it on and returns it in the response.
const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'traceparent', 'tracestate'];

export const gatewayConfig = defineConfig({
  supergraph: env.DINA_SUPERGRAPH || fileURLToPath(new URL('./supergraph.graphql', import.meta.url)),
  host: env.DINA_ROUTER_HOST || '127.0.0.1',
  port: int('DINA_ROUTER_PORT', 4000),
  transportEntries,
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const headers = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      return headers;
    },
  },
  cors: corsOrigins.length
    ? { origin: corsOrigins.includes('*') ? '*' : corsOrigins, credentials: corsCredentials, methods: ['GET', 'POST'] }
    : false,
  contentEncoding: true,
  ...(trusted ? { persistedDocuments: trusted } : {}),
  plugins: () => [
    bodyLimit(int('DINA_MAX_BODY_BYTES', 1_000_000)),
    ...(trusted ? [] : [automaticPersistedQueries()]),
    operationLimits({
      maxDepth: int('DINA_MAX_DEPTH', 12),
      maxAliases: int('DINA_MAX_ALIASES', 30),
      maxCost: int('DINA_MAX_COST', 200_000),
      maxPage: int('DINA_MAX_PAGE_SIZE', 1000),
      defaultPage: int('DINA_DEFAULT_PAGE_SIZE', 50),
    }),
    tokenRefusal(),
    ...(graphiql ? [explorerAssets()] : []),
  ],
  graphiql: graphiql ? { title: 'DINA Graph' } : false,
  renderGraphiQL: renderExplorer,
  landingPage: false,
  disableIntrospection: introspection ? undefined : { disableIf: () => true },
  batching: batchingLimit > 0 ? { limit: batchingLimit } : false,
  // Limits at the edge (the subgraphs enforce theirs too); field suggestions leak the schema.
  maxTokens: int('DINA_MAX_TOKENS', 5000),
  blockFieldSuggestions: !dev,
  ...(logLevel ? { logging: logLevel } : {}),
});
