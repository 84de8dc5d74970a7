# Hive Gateway serving the committed supergraph; subgraph URLs come from DINA_SUBGRAPH_URL_*.
# Runtime dependencies only (--omit=dev leaves out the browser driver and the test-only schemas).
FROM node:20-slim

WORKDIR /federation
COPY federation/package.json federation/package-lock.json ./
RUN npm ci --ignore-scripts --omit=optional --omit=dev --no-audit --no-fund
COPY federation/ ./

USER node
ENV DINA_ROUTER_HOST=0.0.0.0 DINA_ROUTER_PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD node -e "fetch('http://127.0.0.1:4000/readiness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql", "--host", "0.0.0.0", "--port", "4000"]
