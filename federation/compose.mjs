// Composes subgraph SDLs into a supergraph with @theguild/federation-composition.
// Input (stdin): JSON [{"name": "agents", "url": "http://…/agents/graphql", "sdl": "…"}, …]
// Output (stdout): the supergraph SDL. Exit 1 with one line per composition error.
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const result = composeServices(
  manifest.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
);
if (compositionHasErrors(result)) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
process.stdout.write(result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`);
