// Composes subgraph SDLs into a Federation supergraph with @theguild/federation-composition.
//
//   node compose.mjs [MANIFEST.json | -] [--out FILE]
//
// The manifest (a file, or standard input when omitted or "-") is a JSON array:
//   [{"name": "agents", "url": "http://127.0.0.1:4001/agents/graphql", "sdl": "…"}, …]
// `name` is the subgraph's name in the supergraph (the gateway's DINA_SUBGRAPH_URL_<NAME>
// override matches it), `url` its routing URL, `sdl` its `_service { sdl }`.
//
// Writes the supergraph SDL to standard output, or to FILE with --out (written in place and
// only when changed, so a running gateway watching FILE reloads once). The same manifest always
// gives byte-identical output: subgraphs are composed in name order and the library sorts the
// SDL. Exits 1 with one "composition error" line per error, 2 on a bad command line or manifest.
import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

const USAGE = 'usage: node compose.mjs [MANIFEST.json | -] [--out FILE]';

function fail(message, code = 2) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let input = '-';
let out = null;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg === '--out' || arg === '-o') {
    out = args[++i];
    if (!out) fail(USAGE);
  } else if (arg.startsWith('--out=')) {
    out = arg.slice('--out='.length);
  } else if (arg.startsWith('-') && arg !== '-') {
    fail(`unknown option ${arg}\n${USAGE}`);
  } else {
    input = arg;
  }
}

let text;
try {
  text = readFileSync(input === '-' ? 0 : input, 'utf8');
} catch (error) {
  fail(`cannot read the manifest ${input}: ${error.message}`);
}

let manifest;
try {
  manifest = JSON.parse(text);
} catch (error) {
  fail(`the manifest is not JSON: ${error.message}`);
}
if (!Array.isArray(manifest) || manifest.length === 0) {
  fail('the manifest must be a non-empty JSON array of {"name", "url", "sdl"}');
}

const seen = new Set();
const services = manifest.map((entry, index) => {
  const { name, url, sdl } = entry ?? {};
  for (const [key, value] of Object.entries({ name, url, sdl })) {
    if (typeof value !== 'string' || value === '') {
      fail(`manifest entry ${index}${typeof name === 'string' ? ` (${name})` : ''}: "${key}" must be a non-empty string`);
    }
  }
  if (seen.has(name)) fail(`manifest: subgraph "${name}" is listed twice`);
  seen.add(name);
  try {
    return { name, url, typeDefs: parse(sdl) };
  } catch (error) {
    return fail(`subgraph "${name}": its SDL does not parse: ${error.message}`, 1);
  }
});
services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const result = composeServices(services);
if (compositionHasErrors(result)) {
  for (const error of result.errors) process.stderr.write(`composition error: ${error.message}\n`);
  process.exit(1);
}

const supergraph = result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
if (out === null) {
  process.stdout.write(supergraph);
} else {
  let current = null;
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // a new file
  }
  // In place, not write-and-rename: the gateway's file watcher stops at a rename.
  if (current !== supergraph) writeFileSync(out, supergraph);
}
