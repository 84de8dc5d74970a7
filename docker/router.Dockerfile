# Hive Gateway serving the committed supergraph; subgraph URLs come from DINA_SUBGRAPH_URL_*.
FROM node:20-slim

WORKDIR /federation
COPY federation/package.json federation/package-lock.json ./
RUN npm ci --ignore-scripts --omit=optional --omit=dev --no-audit --no-fund
COPY federation/ ./

USER node
EXPOSE 4000
CMD ["node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql", "--host", "0.0.0.0", "--port", "4000"]
