// A light explorer that works offline: GraphiQL 3 and React from this folder's node_modules,
// served at /explorer/* (about 4 MB, 1 MB compressed), instead of Hive Gateway's 21.6 MB
// laboratory page or a CDN. The page (explorer.html) and its files (explorer-assets.json) are
// shared with the subgraphs' own explorer (subgraphs/core/http/explorer.py).
import { readFileSync } from 'node:fs';

const here = (name) => new URL(`./${name}`, import.meta.url);
const PAGE = readFileSync(here('explorer.html'), 'utf8');
const ASSETS = JSON.parse(readFileSync(here('explorer-assets.json'), 'utf8'));
const PREFIX = '/explorer/';

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderExplorer({ title = 'DINA Graph', endpoint = '/graphql' } = {}) {
  const config = JSON.stringify({ endpoint }).replace(/</g, '\\u003c');
  return PAGE.replace('__TITLE__', () => escape(title)).replace('__CONFIG__', () => config);
}

// An envelop/Yoga plugin serving the explorer's files, read once at start.
export function explorerAssets() {
  const files = new Map(Object.entries(ASSETS).map(([name, [module, type]]) => [name, { body: readFileSync(here(`node_modules/${module}`)), type }]));
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(PREFIX)) return;
      const file = files.get(url.pathname.slice(PREFIX.length));
      endResponse(file
        ? new fetchAPI.Response(file.body, { headers: { 'content-type': `${file.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' } })
        : new fetchAPI.Response('Not found', { status: 404 }));
    },
  };
}
