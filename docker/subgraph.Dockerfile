# One image for every subgraph; SUBGRAPH picks which one a container serves.
FROM python:3.11-slim

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DINA_SUBGRAPH_HOST=0.0.0.0 DINA_SUBGRAPH_PORT=8000 DINA_DEV=false

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md ./
COPY subgraphs ./subgraphs
COPY migrations ./migrations
RUN pip install --no-cache-dir --no-deps -e .

USER nobody
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "exec dina-graph subgraphs --only ${SUBGRAPH:?set SUBGRAPH to agents, collection, molecular or media}"]
