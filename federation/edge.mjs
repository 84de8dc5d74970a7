// What the router refuses or reshapes at the edge, before planning: operation limits counted once
// per fragment (a fragment bomb costs its size, not its expansion), oversized bodies, and a bad
// token answered 401 with WWW-Authenticate as docs/security.md says.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError, getNamedType, isListType, isNonNullType, Kind } from 'graphql';

const LIST_ESTIMATE = 20; // items assumed in a list without a page argument, as the subgraphs assume
const PAGE_ARGUMENTS = ['first', 'last'];

function refusal(message, code) {
  return new GraphQLError(message, { extensions: { code } });
}

function unwrap(type) {
  return isNonNullType(type) ? type.ofType : type;
}

// Depth, aliases and cost of one selection set, with each fragment measured once and reused.
class Measure {
  constructor(schema, document, variables, { maxPage, defaultPage }) {
    this.schema = schema;
    this.variables = variables || {};
    this.maxPage = maxPage;
    this.defaultPage = defaultPage;
    this.fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    this.memo = new Map();
  }

  page(field) {
    for (const argument of field.arguments || []) {
      if (!PAGE_ARGUMENTS.includes(argument.name.value)) continue;
      const value = argument.value.kind === Kind.VARIABLE ? this.variables[argument.value.name.value] : argument.value.kind === Kind.INT ? Number(argument.value.value) : null;
      return Number.isInteger(value) ? Math.min(value, this.maxPage) : this.defaultPage;
    }
    return null;
  }

  // { depth, aliases, cost }: cost is the fields the selection can return, as in subgraphs/core/security/limits.py.
  of(selectionSet, parent, paged = false, seen = new Set()) {
    const total = { depth: 0, aliases: 0, cost: 0 };
    for (const selection of selectionSet?.selections || []) {
      let part;
      if (selection.kind === Kind.FIELD) {
        const definition = parent?.getFields?.()[selection.name.value];
        const type = definition ? unwrap(definition.type) : null;
        const page = this.page(selection);
        const connection = page !== null || (selection.selectionSet?.selections || []).some((s) => s.kind === Kind.FIELD && s.name.value === 'edges');
        const inner = this.of(selection.selectionSet, type ? getNamedType(type) : null, connection, seen);
        const multiplier = page ?? (paged && selection.name.value === 'edges' ? 1 : connection ? this.defaultPage : isListType(type) ? LIST_ESTIMATE : 1);
        part = { depth: 1 + inner.depth, aliases: inner.aliases + (selection.alias ? 1 : 0), cost: multiplier * (1 + inner.cost) };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        part = this.of(selection.selectionSet, type, paged, seen);
      } else {
        part = this.fragment(selection.name.value, paged, seen);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
    }
    return total;
  }

  fragment(name, paged, seen) {
    const key = `${name}:${paged}`;
    const fragment = this.fragments.get(name);
    if (!fragment || seen.has(name)) return { depth: 0, aliases: 0, cost: 0 }; // unknown or cyclic: validation says so
    if (!this.memo.has(key)) {
      const inside = new Set(seen).add(name);
      this.memo.set(key, this.of(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value), paged, inside));
    }
    return this.memo.get(key);
  }
}

// What `operation` breaks of the limits, as coded errors (none: within them).
function overLimits(schema, document, operation, variables, { maxDepth, maxAliases, maxCost, maxPage, defaultPage }) {
  const root = schema.getRootType(operation.operation);
  // Variables are not coerced yet: an unset page counts as the default page.
  const measured = new Measure(schema, document, variables, { maxPage, defaultPage }).of(operation.selectionSet, root);
  const errors = [];
  if (maxDepth && measured.depth > maxDepth) {
    errors.push(refusal(`This query's depth is ${measured.depth}; the limit is ${maxDepth}.`, 'QUERY_TOO_DEEP'));
  }
  if (maxAliases && measured.aliases > maxAliases) {
    errors.push(refusal(`This query has ${measured.aliases} aliases; the limit is ${maxAliases}.`, 'TOO_MANY_ALIASES'));
  }
  if (maxCost && measured.cost > maxCost) {
    errors.push(refusal(`This query could return up to ${measured.cost.toLocaleString('en')} fields; the limit is ${maxCost.toLocaleString('en')}. Ask for smaller pages or fewer nested lists.`, 'QUERY_TOO_COSTLY'));
  }
  return errors;
}

function usesVariables(operation) {
  return (operation.variableDefinitions ?? []).length > 0;
}

// An envelop plugin: refuses an operation over a limit with a coded error, before it is planned.
// Measured at validation, before graphql-js's own rules could expand a fragment bomb; and again at
// execution for an operation with variables, because validation results are cached by the document's
// text: a page size in a variable (`first: $n`) passed once with a small value must not let the same
// text through with a large one.
export function operationLimits(limits) {
  const operations = (document) => document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return {
    onValidate({ params, context, setResult }) {
      const { schema, documentAST } = params;
      const variables = context?.params?.variables ?? {};
      for (const operation of operations(documentAST)) {
        const errors = overLimits(schema, documentAST, operation, variables, limits);
        if (errors.length) {
          setResult(errors);
          return;
        }
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const { schema, document, operationName, variableValues } = args;
      const chosen = operations(document).filter((o) => !operationName || o.name?.value === operationName);
      for (const operation of chosen.filter(usesVariables)) {
        const errors = overLimits(schema, document, operation, variableValues ?? {}, limits);
        if (errors.length) {
          for (const error of errors) error.extensions.http = { status: 400 };
          setResultAndStopExecution({ errors });
          return;
        }
      }
    },
  };
}

function jsonError(Response, status, code, message) {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

// Refuses a body over `maxBytes` (declared or sent) with 413 before it is parsed.
export function bodyLimit(maxBytes) {
  const message = `Request bodies are limited to ${maxBytes.toLocaleString('en')} bytes.`;
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (!maxBytes || request.method !== 'POST') return;
      if (Number(request.headers.get('content-length') || 0) > maxBytes) {
        endResponse(jsonError(fetchAPI.Response, 413, 'REQUEST_TOO_LARGE', message));
      }
    },
  };
}

// Refuses variables holding a lone surrogate ("\ud800" is valid JSON but not Unicode text, so it
// cannot be stored or sent on as UTF-8), naming where it is, before anything is planned.
export function wellFormedVariables() {
  return {
    onParams({ params }) {
      const pending = [[params.variables, 'variables']];
      while (pending.length) {
        const [value, path] = pending.pop();
        if (typeof value === 'string') {
          if (!value.isWellFormed()) {
            throw new GraphQLError(`${path} contains a lone surrogate (half of a UTF-16 pair), which is not Unicode text.`,
              { extensions: { code: 'BAD_USER_INPUT', field: path, http: { status: 400 } } });
          }
        } else if (value && typeof value === 'object') {
          for (const [key, item] of Object.entries(value)) pending.push([key, `${path}.${key}`], [item, `${path}.${key}`]);
        }
      }
    },
  };
}

const CHALLENGE = 'Bearer error="invalid_token"';

// A subgraph refused the caller's token (401, UNAUTHENTICATED with no data): so does the router.
export function tokenRefusal() {
  return {
    onExecutionResult({ result, setResult }) {
      if (result?.data != null || !result?.errors?.length) return;
      if (!result.errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED')) return;
      setResult({
        ...result,
        errors: result.errors.map((e) => new GraphQLError(e.message, {
          path: e.path,
          extensions: { ...e.extensions, http: { status: 401, headers: { 'www-authenticate': CHALLENGE } } },
        })),
      });
    },
  };
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// Automatic persisted queries, Apollo's protocol (createPersistedQueryLink): a hash alone runs the
// document registered under it, or asks for it with PERSISTED_QUERY_NOT_FOUND; a hash with its
// document registers it when the hash matches. Kept in memory, the `size` most recent.
export function automaticPersistedQueries(size = 1000) {
  const store = new Map();
  return {
    onParams({ params, setParams }) {
      const hash = params.extensions?.persistedQuery?.sha256Hash;
      if (typeof hash !== 'string') return;
      if (params.query) {
        if (sha256(params.query) !== hash) throw refusal('The persisted query hash does not match the query.', 'PERSISTED_QUERY_HASH_MISMATCH');
        store.delete(hash);
        store.set(hash, params.query);
        if (store.size > size) store.delete(store.keys().next().value);
        return;
      }
      const query = store.get(hash);
      if (query === undefined) throw refusal('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND');
      setParams({ ...params, query });
    },
  };
}

// Trusted documents: a JSON object of sha256 hash -> document, the only operations that run.
export function trustedDocuments(path) {
  const documents = JSON.parse(readFileSync(path, 'utf8'));
  for (const [hash, query] of Object.entries(documents)) {
    if (sha256(query) !== hash) throw new Error(`${path}: the document under ${hash} does not hash to it`);
  }
  return {
    getPersistedOperation: (hash) => documents[hash] ?? null,
    allowArbitraryDocuments: false,
    customErrors: {
      persistedQueryOnly: { message: 'Only trusted documents run here: send the registered document\'s sha256 hash.', extensions: { code: 'PERSISTED_QUERY_ONLY' } },
      notFound: { message: 'No trusted document has this hash.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    },
  };
}
