// A light explorer that works offline: GraphiQL 3 and React from this folder's node_modules,
// served by the router itself at /explorer/* (about 4 MB, 1 MB compressed), instead of Hive
// Gateway's 21.6 MB laboratory page or a CDN.
import { readFileSync } from 'node:fs';
const ASSETS = {
  'react.js': ['react/umd/react.production.min.js', 'text/javascript'],
  'react-dom.js': ['react-dom/umd/react-dom.production.min.js', 'text/javascript'],
  'graphiql.js': ['graphiql/graphiql.min.js', 'text/javascript'],
  'graphiql.css': ['graphiql/graphiql.min.css', 'text/css'],
};
const PREFIX = '/explorer/';

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderExplorer({ title = 'DINA Graph', endpoint = '/graphql' } = {}) {
  const config = JSON.stringify({ endpoint }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${PREFIX}graphiql.css">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script src="${PREFIX}react.js"></script>
<script src="${PREFIX}react-dom.js"></script>
<script src="${PREFIX}graphiql.js"></script>
<script>
  const { endpoint } = ${config};
  const fetcher = GraphiQL.createFetcher({ url: new URL(endpoint, location.href).href });
  ReactDOM.createRoot(document.getElementById('explorer')).render(React.createElement(GraphiQL, { fetcher }));
</script>
</body>
</html>`;
}

// An envelop/Yoga plugin serving the explorer's files, read once at start.
export function explorerAssets() {
  const files = new Map(Object.entries(ASSETS).map(([name, [module, type]]) => [name, { body: readFileSync(new URL(`./node_modules/${module}`, import.meta.url)), type }]));
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
